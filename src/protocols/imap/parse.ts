// A pure, bounded tokenizer of IMAP4rev1 command lines (RFC 3501 9): atoms, quoted strings
// with backslash escapes, NIL, and a trailing literal announcement "{n}" or "{n+}" (RFC 7888)
// whose bytes follow on the next line. Never throws.

/** Literals longer than this are refused; a login needs a few hundred bytes at most. */
export const MAX_LITERAL_BYTES = 8192;
/** Tokens per command line; LOGIN and AUTHENTICATE need four. */
export const MAX_TOKENS = 32;

export interface Literal {
  bytes: number;
  /** A synchronizing literal waits for the server's "+" continuation (RFC 3501 7.5). */
  sync: boolean;
}

export type TokenResult =
  | { kind: 'message'; tokens: string[]; literal: Literal | null }
  | { kind: 'malformed'; reason: 'bad_quote' | 'literal_too_big' | 'too_many_tokens' };

const LITERAL_END = /\{(\d{1,10})(\+?)\}$/;

/** Reads a quoted string starting at `at` (the opening quote); null when unterminated. */
function quoted(text: string, at: number): { value: string; end: number } | null {
  let value = '';
  for (let i = at + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) i++;
    value += text[i];
  }
  return null;
}

/** Splits one line (or the rest of one after a literal) into tokens. */
export function tokenize(text: string): TokenResult {
  const announced = LITERAL_END.exec(text);
  const body = announced === null ? text : text.slice(0, announced.index);
  const tokens: string[] = [];
  let at = 0;
  while (at < body.length) {
    if (body[at] === ' ') { at++; continue; }
    if (tokens.length >= MAX_TOKENS) return { kind: 'malformed', reason: 'too_many_tokens' };
    if (body[at] === '"') {
      const q = quoted(body, at);
      if (q === null) return { kind: 'malformed', reason: 'bad_quote' };
      tokens.push(q.value);
      at = q.end;
      continue;
    }
    const space = body.indexOf(' ', at);
    const end = space === -1 ? body.length : space;
    tokens.push(body.slice(at, end));
    at = end;
  }
  if (announced === null) return { kind: 'message', tokens, literal: null };
  const bytes = Number(announced[1]);
  if (bytes > MAX_LITERAL_BYTES) return { kind: 'malformed', reason: 'literal_too_big' };
  return { kind: 'message', tokens, literal: { bytes, sync: announced[2] !== '+' } };
}
