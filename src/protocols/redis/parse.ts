// A pure, bounded reader of one Redis request: a RESP array of bulk strings or an inline
// line split the way Redis' sdssplitargs does. Never throws; every declared length is checked
// against a MAX_* limit before anything is allocated. Error texts are Redis 6.0's own.

/** Our cap on one bulk string; Redis allows 512 MB (proto-max-bulk-len). */
export const MAX_BULK_BYTES = 1024 * 1024;
/** Our cap on the arguments of one command; Redis allows 1024 * 1024. */
export const MAX_ARGS = 1024;
/** Redis' PROTO_INLINE_MAX_SIZE: longest inline line or count line before an error. */
export const MAX_LINE_BYTES = 64 * 1024;

export type RequestResult =
  | { kind: 'incomplete' }
  /** `args` is empty for a blank inline line or a non-positive array count. */
  | { kind: 'message'; args: Buffer[]; length: number; inline: boolean }
  /** `reply` is the error text Redis sends before closing; `declared` a refused length. */
  | { kind: 'malformed'; reason: string; reply: string; declared?: number };

type Line = { text: string; next: number } | null;

function malformed(reason: string, reply: string, declared?: number): RequestResult {
  return declared === undefined ? { kind: 'malformed', reason, reply }
    : { kind: 'malformed', reason, reply, declared };
}

/** The CRLF-ended line at `at`, or null when none ends within MAX_LINE_BYTES. */
function lineAt(buf: Buffer, at: number): Line {
  const end = buf.subarray(at, at + MAX_LINE_BYTES + 2).indexOf('\r\n');
  if (end === -1) return null;
  return { text: buf.toString('latin1', at, at + end), next: at + end + 2 };
}

/** Redis' string2ll on a count: digits with an optional minus, nothing else. */
function count(text: string): number | null {
  if (!/^-?\d{1,19}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : Number.MAX_SAFE_INTEGER;
}

export function parseRequest(buf: Buffer): RequestResult {
  if (buf.length === 0) return { kind: 'incomplete' };
  return buf[0] === 0x2a ? parseArray(buf) : parseInline(buf);
}

function parseArray(buf: Buffer): RequestResult {
  const head = lineAt(buf, 0);
  if (head === null) {
    if (buf.length > MAX_LINE_BYTES) {
      return malformed('count_line_too_long', 'Protocol error: too big mbulk count string');
    }
    return { kind: 'incomplete' };
  }
  const n = count(head.text.slice(1));
  if (n === null || n > MAX_ARGS) {
    return malformed('invalid_multibulk_length', 'Protocol error: invalid multibulk length',
      n ?? undefined);
  }
  if (n <= 0) return { kind: 'message', args: [], length: head.next, inline: false };
  return parseBulks(buf, head.next, n);
}

function parseBulks(buf: Buffer, start: number, n: number): RequestResult {
  const args: Buffer[] = [];
  let at = start;
  while (args.length < n) {
    if (at >= buf.length) return { kind: 'incomplete' };
    if (buf[at] !== 0x24) {
      const got = String.fromCharCode(buf[at] ?? 0);
      return malformed('expected_bulk', `Protocol error: expected '$', got '${printable(got)}'`);
    }
    const line = lineAt(buf, at);
    if (line === null) {
      if (buf.length - at > MAX_LINE_BYTES) {
        return malformed('count_line_too_long', 'Protocol error: too big bulk count string');
      }
      return { kind: 'incomplete' };
    }
    const size = count(line.text.slice(1));
    if (size === null || size < 0 || size > MAX_BULK_BYTES) {
      return malformed('invalid_bulk_length', 'Protocol error: invalid bulk length',
        size ?? undefined);
    }
    if (buf.length < line.next + size + 2) return { kind: 'incomplete' };
    args.push(buf.subarray(line.next, line.next + size));
    at = line.next + size + 2;
  }
  return { kind: 'message', args, length: at, inline: false };
}

function printable(char: string): string {
  return /^[\x20-\x7e]$/.test(char) ? char : ' ';
}

function parseInline(buf: Buffer): RequestResult {
  const lf = buf.subarray(0, MAX_LINE_BYTES + 1).indexOf(0x0a);
  if (lf === -1) {
    if (buf.length > MAX_LINE_BYTES) {
      return malformed('inline_too_long', 'Protocol error: too big inline request');
    }
    return { kind: 'incomplete' };
  }
  const end = lf > 0 && buf[lf - 1] === 0x0d ? lf - 1 : lf;
  const args = splitArgs(buf.subarray(0, end));
  if (args === null) {
    return malformed('unbalanced_quotes', 'Protocol error: unbalanced quotes in request');
  }
  if (args.length > MAX_ARGS) {
    return malformed('invalid_multibulk_length', 'Protocol error: invalid multibulk length');
  }
  return { kind: 'message', args, length: lf + 1, inline: true };
}

const SPACE = new Set([0x20, 0x09, 0x0a, 0x0d, 0x0b, 0x0c, 0x00]);
const ESCAPES: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08,
  0x61: 0x07 };

/** sdssplitargs (Redis sds.c): words, "double quotes" with escapes, 'single quotes'. */
export function splitArgs(line: Buffer): Buffer[] | null {
  const args: Buffer[] = [];
  let at = 0;
  for (;;) {
    while (at < line.length && SPACE.has(line[at] ?? 0)) at++;
    if (at >= line.length || args.length > MAX_ARGS) return args;
    const word = readWord(line, at);
    if (word === null) return null;
    args.push(Buffer.from(word.bytes));
    at = word.next;
  }
}

function readWord(line: Buffer, start: number): { bytes: number[]; next: number } | null {
  const bytes: number[] = [];
  let at = start;
  while (at < line.length) {
    const c = line[at] ?? 0;
    if (c === 0x22 || c === 0x27) {
      const quoted = c === 0x22 ? readDouble(line, at + 1, bytes) : readSingle(line, at + 1, bytes);
      if (quoted === null) return null;
      // Redis requires a space (or the end) right after a closing quote.
      if (quoted < line.length && !SPACE.has(line[quoted] ?? 0)) return null;
      return { bytes, next: quoted };
    }
    if (SPACE.has(c)) break;
    bytes.push(c);
    at++;
  }
  return { bytes, next: at };
}

/** Reads up to the closing double quote; returns the index after it, or null. */
function readDouble(line: Buffer, start: number, out: number[]): number | null {
  let at = start;
  while (at < line.length) {
    const c = line[at] ?? 0;
    if (c === 0x22) return at + 1;
    if (c === 0x5c && at + 3 < line.length && line[at + 1] === 0x78 &&
      isHex(line[at + 2]) && isHex(line[at + 3])) {
      out.push(parseInt(line.toString('latin1', at + 2, at + 4), 16));
      at += 4;
    } else if (c === 0x5c && at + 1 < line.length) {
      const e = line[at + 1] ?? 0;
      out.push(ESCAPES[e] ?? e);
      at += 2;
    } else {
      out.push(c);
      at++;
    }
  }
  return null;
}

function readSingle(line: Buffer, start: number, out: number[]): number | null {
  let at = start;
  while (at < line.length) {
    const c = line[at] ?? 0;
    if (c === 0x27) return at + 1;
    if (c === 0x5c && line[at + 1] === 0x27) {
      out.push(0x27);
      at += 2;
    } else {
      out.push(c);
      at++;
    }
  }
  return null;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(String.fromCharCode(c));
}
