// Masks the variable tokens of a text in one left-to-right pass: addresses become `<ip>`,
// numbers `<n>` (digit runs inside words too), UUIDs `<uuid>`, hex runs `<hex>`, base64
// `<b64>`, generated names `<rnd>`, dates and times `<time>`, long runs of one character
// `<rep:c>`. Control and non-ASCII characters come out as `\xNN`, CR LF as a plain line
// end: the result is safe to display.

import {
  ALNUM, B64_SYMBOL, CLASS, classAt, DIGIT, HEX, isCapitals, isHexRun, isNumber, isRandom,
  matchB64, matchClock, matchIpv4, matchIpv6, matchIsoTime, matchUuid, runEnd, scanWord,
  type WordShape,
} from './tokens.js';
import { urlAt, urlFileNames, urlSeparatorAt } from './urls.js';

/** A character repeated this often or more is shown once, as `<rep:c>` (padding, sleds). */
export const MIN_REPEAT_CHARS = 16;

const BUSYBOX = 'busybox';

/** `\xNN` for controls (a line end excepted) and for everything outside printable ASCII. */
export function escapeChar(c: number): string {
  if (c === 0x0a) return '\n';
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  if (c > 0xff) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\x${c.toString(16).padStart(2, '0')}`;
}

/** One masking pass over `s` from `start` to `end`. */
export function maskText(s: string, start = 0, end = s.length): string {
  return new Masker(s, end).run(start);
}

/** Printable ASCII that is neither a letter, a digit nor the start of an escape or address. */
const PLAIN = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) PLAIN[c] = (CLASS[c] as number) & ALNUM ? 0 : 1;
for (const c of '%\\:[') PLAIN[c.charCodeAt(0)] = 0;

function isPlain(c: number): boolean {
  return c < 128 && PLAIN[c] === 1;
}

class Masker {
  readonly #s: string;
  readonly #end: number;
  #out = '';
  /** Base64 is tried once per run of its characters: never again inside a run that failed. */
  #b64TriedTo = -1;
  /** Where the last literal `busybox` ended, for the applet name that may follow. */
  #busyboxAt = -2;
  readonly #shape: WordShape = { end: 0, seen: 0, hex: false, changes: 0, lone: 0, acronyms: 0 };
  /** File names of the text's URLs (`x.sh`), masked wherever the text names them. */
  #files: string[] = [];

  constructor(s: string, end: number) {
    this.#s = s;
    this.#end = end;
  }

  run(start: number): string {
    const s = this.#s;
    const end = this.#end;
    this.#files = urlFileNames(s, start, end);
    let i = start;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 128 && ((CLASS[c] as number) & ALNUM) !== 0) {
        i = this.#token(i);
      } else if (isPlain(c) && s.charCodeAt(i + 1) !== c) {
        // Copied in one piece up to anything that needs a closer look (a repeat, a letter).
        let k = i + 1;
        while (k < end && isPlain(s.charCodeAt(k)) && s.charCodeAt(k + 1) !== s.charCodeAt(k)) k++;
        this.#out += s.slice(i, k);
        i = k;
      } else {
        i = this.#special(i, c);
      }
    }
    return this.#out;
  }

  /** A URL, an escape, a repeat, `::1` or `[2001:db8::1]`, a line end or a byte to escape. */
  #special(i: number, c: number): number {
    const s = this.#s;
    const sep = c === 0x3a || c === 0x25 ? urlSeparatorAt(s, i, this.#end) : 0;
    if (sep > 0) return this.#url(i, sep);
    const escape = escapeEnd(s, i, this.#end);
    if (escape > i) {
      this.#out += s.slice(i, escape);
      return escape;
    }
    const repeat = repeatEnd(s, i, this.#end);
    if (repeat - i >= MIN_REPEAT_CHARS) return this.#emit(`<rep:${escapeChar(c)}>`, repeat);
    const v6 = c === 0x3a || c === 0x5b ? matchIpv6Here(s, i, this.#end) : -1;
    if (v6 > i) return this.#emit('<ip>', v6);
    // CR LF and LF are the same line end to a template.
    if (!(c === 0x0d && s.charCodeAt(i + 1) === 0x0a)) this.#out += escapeChar(c);
    return i + 1;
  }

  /**
   * `://<host>/path/<file>.sh`: the host (name or address) and the file name vary, the
   * scheme, the path to the file and its extension are kept (masked as text).
   */
  #url(i: number, sep: number): number {
    const s = this.#s;
    const url = urlAt(s, i, sep, this.#end);
    this.#out += s.slice(i, url.hostStart);
    if (url.hostEnd > url.hostStart) this.#out += '<host>';
    if (url.fileStart < 0) return url.hostEnd;
    // The path holds no `:` nor `%3A`, so no URL: this inner pass goes no deeper.
    this.#out += new Masker(s, url.fileStart).run(url.hostEnd);
    return this.#emit('<file>', url.fileEnd);
  }

  /** Length of the name of a URL's file (`x` of `x.sh`) that starts at `i`, else 0. */
  #fileAt(i: number): number {
    const s = this.#s;
    if (i > 0 && isNameChar(s.charCodeAt(i - 1)) && !isAfterEscape(s, i)) return 0;
    for (const file of this.#files) {
      if (!s.startsWith(file, i) || isNameChar(s.charCodeAt(i + file.length))) continue;
      return file.lastIndexOf('.');
    }
    return 0;
  }

  /** Masks or copies the token that starts at `i` (a letter or digit); returns its end. */
  #token(i: number): number {
    const s = this.#s;
    const end = this.#end;
    const file = this.#files.length > 0 ? this.#fileAt(i) : 0;
    if (file > 0) return this.#emit('<file>', i + file);
    scanWord(s, i, end, this.#shape);
    const k = this.#shape.end;
    if (i >= this.#b64TriedTo) {
      const run = runEnd(s, k, end, ALNUM | B64_SYMBOL);
      const b64 = matchB64(s, i, run, end);
      if (b64 > 0) return this.#emit('<b64>', b64);
      this.#b64TriedTo = run;
    }
    const cls = classAt(s, i);
    const next = s.charCodeAt(k);
    // Each matcher is tried only where its first separator sits (`2024-`, `12:`, `192.`).
    let m = -1;
    if ((cls & DIGIT) !== 0) {
      if (k - i === 4 && next === 0x2d) m = matchIsoTime(s, i, end);
      else if (k - i === 2 && next === 0x3a) m = matchClock(s, i, end);
      if (m > i) return this.#emit('<time>', m);
      if (k - i <= 3 && next === 0x2e) m = matchIpv4(s, i, end);
      if (m > i) return this.#emit('<ip>', m);
    }
    if ((cls & HEX) !== 0) {
      if (k - i === 8 && next === 0x2d) m = matchUuid(s, i, end);
      if (m > i) return this.#emit('<uuid>', m);
      if (k - i <= 4 && next === 0x3a) m = matchIpv6(s, i, end);
      if (m > i) return this.#emit('<ip>', m);
    }
    return this.#word(i, k);
  }

  /** A run of letters and digits that no address or time matcher took. */
  #word(i: number, k: number): number {
    const s = this.#s;
    const n = k - i;
    const shape = this.#shape;
    if (isNumber(shape)) return this.#emit(isTimeValue(s, i) ? '<time>' : '<n>', k);
    if (n >= MIN_REPEAT_CHARS && repeatEnd(s, i, k) === k) return this.#emit(`<rep:${s[i]}>`, k);
    if (isHexRun(shape, n)) return this.#emit('<hex>', k);
    if (isRandom(shape, n) || (isCapitals(shape, n) && this.#afterBusybox(i))) {
      return this.#emit('<rnd>', k);
    }
    const word = s.slice(i, k);
    if (n === BUSYBOX.length && word === BUSYBOX) this.#busyboxAt = k;
    this.#out += (shape.seen & DIGIT) === 0 || isNamedByDigits(word) ? word : maskDigits(word);
    return k;
  }

  /** Right after `busybox ` comes an applet name; Mirai-style bots send a made-up one. */
  #afterBusybox(i: number): boolean {
    return i === this.#busyboxAt + 1 && this.#s.charCodeAt(this.#busyboxAt) === 0x20;
  }

  #emit(mask: string, k: number): number {
    this.#out += mask;
    return k;
  }
}

/**
 * Words whose digits say what they are (an encoding, a hash, an architecture, a language
 * version): `base64 -d` and `base32 -d` are two commands, `/api/v1/` and `/api/v2/` two APIs.
 * Not `x86` or `x64`: a counter after an `x` (`x64_3`, the 64th key of a chain) looks the same.
 */
const NAMED_BY_DIGITS = new Set(['base64', 'base32', 'base16', 'md5', 'md5sum', 'sha1',
  'sha1sum', 'sha256', 'sha256sum', 'sha512', 'sha512sum', 'i386', 'i686',
  'amd64', 'arm64', 'aarch64', 'armv7l', 'ipv4', 'ipv6', 'utf8', 'utf16', 'win32', 'win64',
  'log4j', 'python2', 'python3', 'php7', 'php8', 'http2', 'smb1', 'smb2', 'smb3', 'ntlmv2']);
/** Longest word looked up in NAMED_BY_DIGITS. */
const MAX_NAMED_CHARS = 9;

function isNamedByDigits(word: string): boolean {
  if (word.length > MAX_NAMED_CHARS) return false;
  const lower = word.toLowerCase();
  if (NAMED_BY_DIGITS.has(lower)) return true;
  return lower.charCodeAt(0) === 0x76 && word.length > 1 && runEnd(word, 1, word.length, DIGIT)
    === word.length;
}

/**
 * `x<n>_` for `x150_`, `key<n>` for `key0`: a counter in a key, host or file name varies
 * between runs of one tool, the letters around it do not. Versions go the same way
 * (`9p1`, `x86`): a tool is told by its name, and rules by more than a digit.
 */
function maskDigits(word: string): string {
  let out = '';
  let from = 0;
  for (let j = 0; j <= word.length; j++) {
    const digit = j < word.length && (classAt(word, j) & DIGIT) !== 0;
    if (digit && (j === 0 || (classAt(word, j - 1) & DIGIT) === 0)) {
      out += word.slice(from, j);
      from = j;
    } else if (!digit && j > 0 && (classAt(word, j - 1) & DIGIT) !== 0) {
      out += '<n>';
      from = j;
    }
  }
  return out + word.slice(from);
}

/**
 * End of a `%2F` (URL encoding) or `\x2f` (shell, C) escape at `i`, else `i`: kept as one
 * unit, so that what follows it starts a token (`%2F198.51.100.7` holds an address).
 */
function escapeEnd(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  const at = c === 0x25 ? i + 1 : c === 0x5c && s.charCodeAt(i + 1) === 0x78 ? i + 2 : -1;
  if (at < 0 || at + 2 > end) return i;
  return (classAt(s, at) & HEX) !== 0 && (classAt(s, at + 1) & HEX) !== 0 ? at + 2 : i;
}

/** Whether `%20` or `\x20` ends right before `i` (`sh%20x.sh`). */
function isAfterEscape(s: string, i: number): boolean {
  const at = s[i - 3] === '%' ? i - 3 : s[i - 4] === '\\' && s[i - 3] === 'x' ? i - 4 : -1;
  return at >= 0 && escapeEnd(s, at, i) === i;
}

/** `::1`, or `[2001:db8::1]` with an optional `:port`, at `i`; its end or -1. */
function matchIpv6Here(s: string, i: number, end: number): number {
  if (s.charCodeAt(i) === 0x3a) return s.charCodeAt(i + 1) === 0x3a ? matchIpv6(s, i, end) : -1;
  const k = matchIpv6(s, i + 1, end);
  if (k < 0 || s.charCodeAt(k) !== 0x5d) return -1;
  const port = s.charCodeAt(k + 1) === 0x3a ? runEnd(s, k + 2, Math.min(end, k + 7), DIGIT) : -1;
  return port > k + 2 ? port : k + 1;
}

/** Names of values that are times (`ts=`, `"timestamp":`, jQuery's `_=`), lower case. */
const TIME_KEYS = new Set(['t', 'ts', '_', 'tm', 'time', 'timestamp', 'date', 'now', 'exp',
  'expires', 'iat', 'nbf', 'since', 'until', 'stamp', 'epoch', 'nonce_ts']);
/** Longest key looked at before a number. */
const MAX_KEY_CHARS = 24;

/**
 * Whether the number at `i` is the value of a time key (`ts=1700000000`, `"time": 17`). The
 * key decides, never the digits, so that one sender's values always mask alike.
 */
function isTimeValue(s: string, i: number): boolean {
  let k = i - 1;
  if (s[k] === ' ') k--;
  if (s[k] === '"') k--;
  if (s[k] !== '=' && s[k] !== ':') return false;
  k--;
  if (s[k] === '"') k--;
  let from = k;
  while (from >= 0 && k - from < MAX_KEY_CHARS && isKeyChar(s.charCodeAt(from))) from--;
  const key = s.slice(from + 1, k + 1).toLowerCase();
  return TIME_KEYS.has(key) || key.endsWith('time') || key.endsWith('_at') ||
    key.endsWith('timestamp');
}

/** A character of a file name: letters, digits, `_`, `-` and `.`. */
function isNameChar(c: number): boolean {
  return isKeyChar(c) || c === 0x2e;
}

function isKeyChar(c: number): boolean {
  return (c < 128 && ((CLASS[c] as number) & ALNUM) !== 0) || c === 0x5f || c === 0x2d;
}

/** End of the run of the character at `i`. */
function repeatEnd(s: string, i: number, end: number): number {
  const c = s.charCodeAt(i);
  let k = i + 1;
  while (k < end && s.charCodeAt(k) === c) k++;
  return k;
}
