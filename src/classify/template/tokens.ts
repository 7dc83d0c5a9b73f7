// Recognisers for the variable tokens of attack payloads (addresses, UUIDs, times, hex and
// base64 runs, random names). Each reads forward from a position without backtracking and
// without regular expressions: its cost is bounded by a constant or by the run it consumes.

export const DIGIT = 1;
export const UPPER = 2;
export const LOWER = 4;
/** 0-9, a-f, A-F. */
export const HEX = 8;
/** `+` and `/`, the two base64 symbols that are not letters or digits. */
export const B64_SYMBOL = 16;
export const ALNUM = DIGIT | UPPER | LOWER;

/** Character classes of ASCII; everything from 128 up is class 0. */
export const CLASS = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) CLASS[c] = DIGIT | HEX;
for (let c = 0x41; c <= 0x5a; c++) CLASS[c] = UPPER | (c <= 0x46 ? HEX : 0);
for (let c = 0x61; c <= 0x7a; c++) CLASS[c] = LOWER | (c <= 0x66 ? HEX : 0);
CLASS[0x2b] = B64_SYMBOL;
CLASS[0x2f] = B64_SYMBOL;

/** Shortest base64 run masked as `<b64>`. */
export const MIN_B64_CHARS = 16;
/** Shortest hex run masked as `<hex>`. */
export const MIN_HEX_CHARS = 8;
/** Shortest alphanumeric run that may be called random. */
export const MIN_RANDOM_CHARS = 4;

const COLON = 0x3a;
const DOT = 0x2e;
const DASH = 0x2d;

export function classAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c < 128 ? CLASS[c] as number : 0;
}

function isAlnumAt(s: string, i: number, end: number): boolean {
  return i < end && (classAt(s, i) & ALNUM) !== 0;
}

/** End of the run of characters of class `mask` starting at `i`, at most `end`. */
export function runEnd(s: string, i: number, end: number, mask: number): number {
  let k = i;
  while (k < end && (classAt(s, k) & mask) !== 0) k++;
  return k;
}

/** End of up to `max` digits at `i`; `i` itself when there are none. */
function digitsEnd(s: string, i: number, end: number, max: number): number {
  return runEnd(s, i, Math.min(end, i + max), DIGIT);
}

/** An IPv4 address with an optional `:port`; returns its end or -1. */
export function matchIpv4(s: string, i: number, end: number): number {
  if (i > 0 && s.charCodeAt(i - 1) === DOT) return -1;
  let k = i;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(k) !== DOT) return -1;
      k++;
    }
    const e = digitsEnd(s, k, end, 3);
    if (e === k || Number(s.slice(k, e)) > 255) return -1;
    k = e;
  }
  if (isAlnumAt(s, k, end) || (s.charCodeAt(k) === DOT && isAlnumAt(s, k + 1, end))) return -1;
  if (s.charCodeAt(k) === COLON) {
    const e = digitsEnd(s, k + 1, end, 5);
    if (e > k + 1 && !isAlnumAt(s, e, end)) k = e;
  }
  return k;
}

/** An IPv6 address (`::` shortening and a trailing IPv4 allowed); returns its end or -1. */
export function matchIpv6(s: string, i: number, end: number): number {
  let k = i;
  let groups = 0;
  let shortened = false;
  if (s.charCodeAt(k) === COLON && s.charCodeAt(k + 1) === COLON) {
    shortened = true;
    k += 2;
  }
  while (groups < 8) {
    const v4 = groups > 0 || shortened ? matchIpv4Plain(s, k, end) : -1;
    if (v4 > 0) return shortened || groups === 6 ? v4 : -1;
    const e = runEnd(s, k, Math.min(end, k + 5), HEX);
    if (e === k || e - k > 4) break;
    groups++;
    k = e;
    if (s.charCodeAt(k) !== COLON) break;
    if (s.charCodeAt(k + 1) === COLON) {
      if (shortened) return -1;
      shortened = true;
      k += 2;
    } else if ((classAt(s, k + 1) & HEX) !== 0) {
      k += 1;
    } else break;
  }
  if (isAlnumAt(s, k, end) || (!shortened && groups !== 8) || groups === 0) return -1;
  return k;
}

function matchIpv4Plain(s: string, i: number, end: number): number {
  const k = matchIpv4(s, i, end);
  return k > 0 && s.charCodeAt(k - 1) !== COLON && !s.slice(i, k).includes(':') ? k : -1;
}

/** A UUID, 8-4-4-4-12 hex digits; returns its end or -1. */
export function matchUuid(s: string, i: number, end: number): number {
  if (i + 36 > end) return -1;
  for (let k = 0; k < 36; k++) {
    const dash = k === 8 || k === 13 || k === 18 || k === 23;
    if (dash ? s.charCodeAt(i + k) !== DASH : (classAt(s, i + k) & HEX) === 0) return -1;
  }
  return isAlnumAt(s, i + 36, end) ? -1 : i + 36;
}

/** `n` digits exactly at `i`, then `sep` (or no separator when sep is 0); end or -1. */
function fixed(s: string, i: number, end: number, n: number, sep: number): number {
  if (digitsEnd(s, i, end, n) !== i + n) return -1;
  if (sep === 0) return i + n;
  return s.charCodeAt(i + n) === sep ? i + n + 1 : -1;
}

/** `hh:mm:ss` with optional fraction; returns its end or -1. */
export function matchClock(s: string, i: number, end: number): number {
  let k = fixed(s, i, end, 2, COLON);
  if (k > 0) k = fixed(s, k, end, 2, COLON);
  if (k > 0) k = fixed(s, k, end, 2, 0);
  if (k < 0) return -1;
  if (s.charCodeAt(k) === DOT) k = Math.max(k, digitsEnd(s, k + 1, end, 9));
  return isAlnumAt(s, k, end) && s[k] !== 'Z' ? -1 : k;
}

/** An ISO 8601 date, with optional time and zone; returns its end or -1. */
export function matchIsoTime(s: string, i: number, end: number): number {
  let k = fixed(s, i, end, 4, DASH);
  if (k > 0) k = fixed(s, k, end, 2, DASH);
  if (k > 0) k = fixed(s, k, end, 2, 0);
  if (k < 0) return -1;
  const clock = s[k] === 'T' || s[k] === ' ' ? matchClock(s, k + 1, end) : -1;
  if (clock > 0) k = zoneEnd(s, clock, end);
  return isAlnumAt(s, k, end) ? -1 : k;
}

/** End of `Z`, `+09`, `+0900` or `+09:00` at `k`, else `k`. */
function zoneEnd(s: string, k: number, end: number): number {
  if (s[k] === 'Z') return k + 1;
  if (s[k] !== '+' && s[k] !== '-') return k;
  const hours = fixed(s, k + 1, end, 2, 0);
  if (hours < 0) return k;
  const minutes = fixed(s, s.charCodeAt(hours) === COLON ? hours + 1 : hours, end, 2, 0);
  return minutes > 0 ? minutes : hours;
}

/**
 * A base64 run of at least MIN_B64_CHARS that mixes upper case, lower case and digits with
 * the frequent class changes of encoded bytes (words and paths change class far less often).
 * The run of base64 characters is `[i, k)`; returns its end (padding included) or -1.
 */
export function matchB64(s: string, i: number, k: number, end: number): number {
  if (k - i < MIN_B64_CHARS) return -1;
  let seen = 0;
  let symbols = 0;
  let changes = 0;
  let last = 0;
  for (let j = i; j < k; j++) {
    const cls = classAt(s, j) & (ALNUM | B64_SYMBOL);
    seen |= cls;
    if (cls === B64_SYMBOL) symbols++;
    if (j > i && cls !== last) changes++;
    last = cls;
  }
  const mixed = (seen & ALNUM) === ALNUM && symbols * 8 <= k - i;
  if (!mixed || changes * 20 < (k - i - 1) * 9) return -1;
  let e = k;
  while (e < end && e < k + 2 && s[e] === '=') e++;
  return e;
}

/** What one pass over a run of letters and digits learnt about it. */
export interface WordShape {
  /** Where the run ends. */
  end: number;
  /** The classes seen (DIGIT, UPPER, LOWER), or'ed. */
  seen: number;
  /** Every character is a hex digit. */
  hex: boolean;
  /** Changes between digit, upper and lower case from one character to the next. */
  changes: number;
  /** Lone lower-case letters inside the run (`q` in `GqZk`). */
  lone: number;
  /** Capitals run into lower case mid-run (`HTTPRe`). */
  acronyms: number;
}

/** Reads the run of letters and digits at `i` into `shape` (reused: no allocation). */
export function scanWord(s: string, i: number, end: number, shape: WordShape): void {
  let seen = 0;
  let hex = HEX;
  let changes = 0;
  let lone = 0;
  let acronyms = 0;
  let last = 0;
  let run = 0;
  let j = i;
  for (; j < end; j++) {
    const c = s.charCodeAt(j);
    const full = c < 128 ? CLASS[c] as number : 0;
    const cls = full & ALNUM;
    if (cls === 0) break;
    seen |= cls;
    hex &= full;
    if (j > i && cls !== last) {
      changes++;
      if (last === LOWER && run === 1 && j - 1 > i) lone++;
      if (last === UPPER && cls === LOWER && run > 1 && run < j - i) acronyms++;
      run = 0;
    }
    run++;
    last = cls;
  }
  shape.end = j;
  shape.seen = seen;
  shape.hex = hex !== 0;
  shape.changes = changes;
  shape.lone = lone;
  shape.acronyms = acronyms;
}

/** Digits only. */
export function isNumber(shape: WordShape): boolean {
  return shape.seen === DIGIT;
}

/** All hex, at least MIN_HEX_CHARS, with a digit (digits alone are numbers). */
export function isHexRun(shape: WordShape, length: number): boolean {
  return length >= MIN_HEX_CHARS && shape.hex && (shape.seen & DIGIT) !== 0;
}

/**
 * A generated name rather than a word: letters and digits interleaved (`x7Gq2`), or cases
 * mixed in a way camelCase words never are (`GqZkTw`: single lower-case letters between
 * capitals). Versions such as `9p1`, `x86` or `3ubuntu0` change class too rarely to count.
 */
export function isRandom(shape: WordShape, length: number): boolean {
  if (length < MIN_RANDOM_CHARS) return false;
  const { seen, changes, lone, acronyms } = shape;
  if ((seen & DIGIT) !== 0 && (seen & (UPPER | LOWER)) !== 0) return changes >= 3;
  return seen === (UPPER | LOWER) && changes >= 4 && lone >= 1 && lone + acronyms >= 2;
}

/** Upper-case letters only, at least MIN_RANDOM_CHARS: Mirai's `/bin/busybox ECCHI`. */
export function isCapitals(shape: WordShape, length: number): boolean {
  return length >= MIN_RANDOM_CHARS && shape.seen === UPPER;
}
