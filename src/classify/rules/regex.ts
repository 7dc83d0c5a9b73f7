// Rule regexes through RE2 (the `re2` package, Google's engine as a native addon): matching
// time is linear in the input, so no pattern can be made to backtrack on hostile bytes.
// Each pattern runs alone: an RE2::Set would make one pass for all of them, but its automaton
// has no slower fallback and thrashes for seconds on crafted input (measured: 4 s on 64 KiB).

import RE2 from 're2';

/** What a compiled pattern is run on: strings, or the UTF-8 bytes of a latin1 string. */
export type RegexInput = string | Buffer;

export interface CompiledPattern {
  test(input: RegexInput): boolean;
}

/** What to do about a pattern RE2 refuses. */
export const PATTERN_HINT = 'RE2 has no backreferences or lookaround and repeats at most ' +
  '{1000} times; see "Regexes" in docs/rules.md';

/** RE2's own words for why it refuses a pattern, as one line. */
function reason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s+/g, ' ').trim();
}

/** Null when RE2 compiles the pattern, else the message for the rule author. */
export function checkPattern(pattern: string): string | null {
  try {
    new RE2(pattern);
    return null;
  } catch (err) {
    return `RE2 cannot compile this pattern (${reason(err)})`;
  }
}

/** Compiles a pattern that `checkPattern` accepted; throws RE2's SyntaxError otherwise. */
export function compilePattern(pattern: string): CompiledPattern {
  const re = new RE2(pattern);
  // `test` on a pattern without the g or y flag ignores lastIndex: calls share no state.
  return { test: (input) => re.test(input) };
}
