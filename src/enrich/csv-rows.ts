// Reads the rows of the @ip-location-db CSV files, `start,end,asn,organisation`, straight from
// the file's bytes: numbers are parsed in place and only organisation names become strings.
// The last field is quoted when it holds a comma or a quote (RFC 4180 section 2).

/** Longest organisation name kept; the longest in the shipped data is 167 characters. */
export const MAX_ORG_CHARS = 256;
/** A 128-bit number has at most 39 decimal digits. */
const MAX_DIGITS_128 = 39;
const NEWLINE = 10;
const RETURN = 13;
const COMMA = 44;
const QUOTE = 34;
const ZERO = 48;
const WORD = 2 ** 32;
const DIGITS_PER_CHUNK = 4;
const CHUNK_MAX = 9999;
const POWERS_OF_TEN = [1, 10, 100, 1000, 10_000];

/** Where the fields of one row lie in the bytes; commas are -1 when missing. */
export interface RowSpan {
  line: number;
  start: number;
  comma1: number;
  comma2: number;
  comma3: number;
  end: number;
}

/** The first comma in [from, end), or -1. */
function commaIn(bytes: Uint8Array, from: number, end: number): number {
  const at = bytes.indexOf(COMMA, from);
  return at === -1 || at >= end ? -1 : at;
}

/** Calls `each` for every non-empty line. The span object is reused between calls. */
export function forEachRow(bytes: Uint8Array, each: (row: RowSpan) => void): void {
  const row: RowSpan = { line: 0, start: 0, comma1: -1, comma2: -1, comma3: -1, end: 0 };
  let pos = 0;
  while (pos < bytes.length) {
    let end = bytes.indexOf(NEWLINE, pos);
    if (end === -1) end = bytes.length;
    row.line++;
    row.start = pos;
    row.end = end > pos && bytes[end - 1] === RETURN ? end - 1 : end;
    if (row.end > pos) {
      row.comma1 = commaIn(bytes, pos, row.end);
      row.comma2 = row.comma1 === -1 ? -1 : commaIn(bytes, row.comma1 + 1, row.end);
      row.comma3 = row.comma2 === -1 ? -1 : commaIn(bytes, row.comma2 + 1, row.end);
      each(row);
    }
    pos = end + 1;
  }
}

/** The number of lines in `bytes`, an upper bound on its rows. */
export function countLines(bytes: Uint8Array): number {
  let lines = 1;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) lines++;
  return lines;
}

/** The fourth field of `row` as UTF-8 text, unquoted, cut to MAX_ORG_CHARS. */
export function orgField(bytes: Buffer, row: RowSpan): string {
  const from = row.comma3 + 1;
  const quoted = row.end - from >= 2 && bytes[from] === QUOTE && bytes[row.end - 1] === QUOTE;
  const raw = quoted
    ? bytes.toString('utf8', from + 1, row.end - 1).replaceAll('""', '"')
    : bytes.toString('utf8', from, row.end);
  return raw.length > MAX_ORG_CHARS ? raw.slice(0, MAX_ORG_CHARS) : raw;
}

/** A whole number in [0, max] written in decimal in [from, to), or -1. */
export function decimalField(bytes: Uint8Array, from: number, to: number, max: number): number {
  if (to <= from || to - from > 10) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = bytes[i]! - ZERO;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value <= max ? value : -1;
}

/**
 * Writes the 128-bit decimal in [from, to) as four big-endian 32-bit words at `into[at]`;
 * false when it is not one. Digits are taken four at a time: the words are multiplied by 10^4
 * and the chunk added, so every intermediate stays below 2^46, inside a double's exact range.
 */
export function decimal128Field(bytes: Uint8Array, from: number, to: number, into: Uint32Array,
  at: number): boolean {
  if (to <= from || to - from > MAX_DIGITS_128) return false;
  into.fill(0, at, at + 4);
  for (let i = from; i < to; i += DIGITS_PER_CHUNK) {
    const stop = Math.min(i + DIGITS_PER_CHUNK, to);
    let carry = decimalField(bytes, i, stop, CHUNK_MAX);
    if (carry === -1) return false;
    const scale = POWERS_OF_TEN[stop - i]!;
    for (let w = at + 3; w >= at; w--) {
      const x = into[w]! * scale + carry;
      into[w] = x % WORD;
      carry = Math.floor(x / WORD);
    }
    if (carry !== 0) return false;
  }
  return true;
}
