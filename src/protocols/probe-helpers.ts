// Small, total helpers the probes share: prefix matching that knows when too few bytes have
// arrived, case-folded ASCII comparison and bounded first-line reading. No I/O, no throwing.

/** The bytes so far fit the protocol but are too few to tell; the sensor waits for more. */
export const PROBE_PARTIAL = 0.4;

/** Longest first line a line-based probe reads before giving up on it. */
export const MAX_PROBE_LINE_BYTES = 1024;

export function ascii(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** True when `first` has `prefix` at `at`; with `fold`, ASCII letters match either case. */
export function startsWithAt(first: Buffer, prefix: Buffer, at = 0, fold = false): boolean {
  if (first.length - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const a = first[at + i] ?? 0;
    const b = prefix[i] ?? 0;
    if (a !== b && (!fold || foldByte(a) !== foldByte(b))) return false;
  }
  return true;
}

export function startsWithFold(first: Buffer, prefix: Buffer, at = 0): boolean {
  return startsWithAt(first, prefix, at, true);
}

function foldByte(byte: number): number {
  return byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte;
}

/**
 * Scores `first` against fixed prefixes: `full` when one is complete, PROBE_PARTIAL when
 * the bytes so far are a shorter start of one, 0 otherwise. Case-sensitive unless `fold`.
 */
export function prefixScore(
  first: Buffer, prefixes: readonly Buffer[], full: number, fold = false,
): number {
  let score = 0;
  for (const prefix of prefixes) {
    if (startsWithAt(first, prefix, 0, fold)) return full;
    const partial = first.length > 0 && first.length < prefix.length;
    if (partial && startsWithAt(prefix, first, 0, fold)) score = PROBE_PARTIAL;
  }
  return score;
}

/** The first line without its end (LF or CRLF), or null when no end is within reach. */
export function firstLine(first: Buffer, maxBytes = MAX_PROBE_LINE_BYTES): string | null {
  const lf = first.subarray(0, maxBytes + 1).indexOf(0x0a);
  if (lf === -1) return null;
  const end = lf > 0 && first[lf - 1] === 0x0d ? lf - 1 : lf;
  return first.subarray(0, end).toString('latin1');
}

/** Rows of a prefix table: a command start and the score it earns when complete. */
export type PrefixTable = readonly (readonly [prefix: Buffer, score: number])[];

export function prefixTable(rows: Record<string, number>): PrefixTable {
  return Object.entries(rows).map(([prefix, score]) => [ascii(prefix), score] as const);
}

/** The best prefixScore over a table of text commands, case-folded. */
export function tableScore(first: Buffer, table: PrefixTable): number {
  let best = 0;
  for (const [prefix, score] of table) {
    best = Math.max(best, prefixScore(first, [prefix], score, true));
  }
  return best;
}
