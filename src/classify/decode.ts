// Decoded layers of attacker text: URL and form encoding, echo/printf escapes, hex runs, base64,
// HTML entities, literal shell obfuscation, Log4j lookup spelling and the base64 command of a
// JNDI exploit's path, applied recursively within fixed bounds.
// Pure string work: nothing is evaluated, so `$(echo ...)` stays as written.

import { isUtf8 } from 'node:buffer';
import { decodeHTMLStrict } from 'entities';

/** Decoding rounds applied on top of one another (base64 of hex of...). Droppers nest base64
 * four deep, some inside a form-encoded value: five rounds. The work does not grow with it:
 * MAX_LAYERS and MAX_TOTAL_CHARS bound what all rounds together produce and read. */
export const MAX_DECODE_DEPTH = 5;
/** Layers returned for one text. */
export const MAX_LAYERS = 16;
/** Characters kept of one layer (a decode is cut there). */
export const MAX_LAYER_CHARS = 64 * 1024;
/** Characters of all layers of one text together. */
export const MAX_TOTAL_CHARS = 256 * 1024;
/** Characters of the input that decoders look at. */
export const MAX_INPUT_CHARS = 256 * 1024;
/** Literal shell variables remembered while substituting `$name`, and their longest value. */
export const MAX_SHELL_VARS = 64;
export const MAX_SHELL_VALUE_CHARS = 256;
/** Characters substitution may add to a text (and never more than the text's length):
 * `a=$a$a` and many `$a` stay a small growth. */
const MAX_SUBSTITUTION_GROWTH_CHARS = 4096;

/** Share of printable characters a base64 or hex decode needs to be kept as text. */
const MIN_PRINTABLE_RATIO = 0.9;
/** Share of printable ASCII a bare base64 blob's decode needs: attack scripts are ASCII, and
 * form-encoded words read as base64 (`busybox+nc+-emg+NiYle`) decode to mixed scripts. */
const MIN_BARE_ASCII_RATIO = 0.75;

interface Decoder {
  decode: (text: string) => string | null;
  /** Whether its own output is worth decoding again (`%2541`, base64 of base64); the literal
   * rewrites (entities, escapes, shell tricks) do all they can in one pass. */
  again: boolean;
}

/** Texts whose layers are remembered, and their size in characters with the layers: the rule
 * engine and the IOC extractor decode the same payload and commands of an event in turn. */
export const MAX_CACHED_TEXTS = 64;
export const MAX_CACHED_CHARS = 2 * 1024 * 1024;
const cache = new Map<string, { layers: string[]; chars: number }>();
let cachedChars = 0;

/** Decoded layers of a text (not including the text itself), bounded in count and size. */
export function decodeLayers(text: string): string[] {
  const hit = cache.get(text);
  if (hit !== undefined) {
    cache.delete(text);
    cache.set(text, hit);
    return [...hit.layers];
  }
  const layers = computeLayers(text);
  remember(text, layers);
  return [...layers];
}

/** Oldest used first out, within both bounds; a text too large for a quarter of the budget is
 * not kept. */
function remember(text: string, layers: string[]): void {
  const chars = layers.reduce((n, layer) => n + layer.length, text.length);
  if (chars > MAX_CACHED_CHARS / 4) return;
  cache.set(text, { layers, chars });
  cachedChars += chars;
  for (const [old, entry] of cache) {
    if (cache.size <= MAX_CACHED_TEXTS && cachedChars <= MAX_CACHED_CHARS) break;
    cache.delete(old);
    cachedChars -= entry.chars;
  }
}

function computeLayers(text: string): string[] {
  const input = text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
  const seen = new Set<string>([text, input]);
  const layers: string[] = [];
  let total = 0;
  let round: { text: string; by: Decoder | null }[] = [{ text: input, by: null }];
  for (let depth = 0; depth < MAX_DECODE_DEPTH && round.length > 0; depth++) {
    const next: typeof round = [];
    for (const source of round) {
      for (const decoder of DECODERS) {
        if (decoder === source.by && !decoder.again) continue;
        const raw = decoder.decode(source.text);
        if (raw === null) continue;
        const layer = raw.length > MAX_LAYER_CHARS ? raw.slice(0, MAX_LAYER_CHARS) : raw;
        if (seen.has(layer)) continue;
        if (total + layer.length > MAX_TOTAL_CHARS) continue;
        seen.add(layer);
        layers.push(layer);
        next.push({ text: layer, by: decoder });
        total += layer.length;
        if (layers.length >= MAX_LAYERS) return layers;
      }
    }
    round = next;
  }
  return layers;
}

// --- bytes to text ------------------------------------------------------------------------

/** UTF-8 when the bytes are valid UTF-8 (attackers' scripts mostly are), else one char a byte. */
function bytesToText(bytes: Buffer): string {
  return isUtf8(bytes) ? bytes.toString('utf8') : bytes.toString('latin1');
}

function isPrintableAscii(code: number): boolean {
  return (code >= 0x20 && code < 0x7f) || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** A decode of the blob when it reads as text, else null. Non-ASCII counts as text only in
 * valid UTF-8, which random bytes almost never are; so random bytes almost never pass. At
 * least `minAscii` of the characters must be printable ASCII. */
function textualDecode(bytes: Buffer, minAscii = 0): string | null {
  if (bytes.length < 4) return null;
  const utf8 = isUtf8(bytes);
  const text = bytes.toString(utf8 ? 'utf8' : 'latin1');
  let printable = 0;
  let ascii = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isPrintableAscii(code)) ascii++;
    else if (utf8 && code >= 0xa0) printable++;
  }
  const enough = (ascii + printable) / text.length >= MIN_PRINTABLE_RATIO;
  return enough && ascii / text.length >= minAscii ? text : null;
}

/** Replaces every match for which `fn` gives a string; null when nothing changed. */
function replaceAll(text: string, pattern: RegExp,
  fn: (match: string, ...groups: (string | undefined)[]) => string | null): string | null {
  let changed = false;
  const out = text.replace(pattern, (match: string, ...rest: unknown[]) => {
    // replace() passes the groups, then the offset and the whole string.
    const groups = rest.slice(0, -2) as (string | undefined)[];
    const replacement = fn(match, ...groups);
    if (replacement === null) return match;
    changed = true;
    return replacement;
  });
  return changed && out !== text ? out : null;
}

// --- URL and form encoding ----------------------------------------------------------------

const PERCENT_RUN = /(?:%[0-9a-fA-F]{2})+/g;
/** `name=value` with a `+` in the value: there `+` is a space (x-www-form-urlencoded). */
const FORM_VALUE_WITH_PLUS = /=[^\s&"'=]*\+/;

function urlDecode(text: string): string | null {
  const form = FORM_VALUE_WITH_PLUS.test(text);
  if (!form && !text.includes('%')) return null;
  const spaced = form ? text.replace(/\+/g, ' ') : text;
  const decoded = spaced.replace(PERCENT_RUN, percentRun);
  return decoded === text ? null : decoded;
}

/** `%77%67` → `wg`; runs with bytes above 0x7f go through UTF-8 detection. */
function percentRun(run: string): string {
  let ascii = '';
  for (let i = 0; i < run.length; i += 3) {
    const code = parseInt(run.slice(i + 1, i + 3), 16);
    if (code > 0x7f) return bytesToText(Buffer.from(run.replace(/%/g, ''), 'hex'));
    ascii += String.fromCharCode(code);
  }
  return ascii;
}

// --- echo -e / printf escapes -------------------------------------------------------------

const ESCAPE = /\\(?:x([0-9a-fA-F]{1,2})|u([0-9a-fA-F]{4})|0?([0-7]{1,3})|([nrt\\]))/g;
const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };

/** `\x77`, `\0167` (echo -e), `\167` (printf), `\u0077` and `\n`-style escapes. */
function unescapeBackslashes(text: string): string | null {
  if (!text.includes('\\')) return null;
  return replaceAll(text, ESCAPE, (_m, hex, uni, oct, simple) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    if (uni) return String.fromCharCode(parseInt(uni, 16));
    if (oct) return String.fromCharCode(parseInt(oct, 8) & 0xff);
    return SIMPLE_ESCAPES[simple ?? ''] ?? null;
  });
}

// --- base64 --------------------------------------------------------------------------------

/** Runs of 16 or more base64 characters are base64, or hex (an optional `0x`, an even number
 * of hex digits): found in one pass, since hex digits are base64 characters. */
const MIN_BLOB_CHARS = 16;
const HEX_BLOB = /^(?:0x)?((?:[0-9a-fA-F]{2})+)$/;
const MIN_HEX_DIGITS = 16;
/** `echo X | base64 -d` (also `--decode`, `-D`), where X may be short or quoted. */
const ECHO_BASE64 =
  /echo\s+(?:-[a-zA-Z]+\s+)*(["']?)([A-Za-z0-9+/=]{4,})\1\s*\|\s*base64\s+(?:-d|--decode|-D)\b/g;

function base64Text(blob: string): string | null {
  if (blob.replace(/=+$/, '').length % 4 === 1) return null;
  return textualDecode(Buffer.from(blob, 'base64'));
}

/** Whether a bare run can be base64 at all: padding completes a group of four, and `+` is
 * rare. Base64 of ASCII text has a `+` only where a third byte is `>` or `~`, while form
 * encoding (`cd+/tmp+nc+...`) has one every few characters. */
function plausibleBase64(blob: string): boolean {
  const body = blob.replace(/=+$/, '');
  if (body.length !== blob.length && blob.length % 4 !== 0) return false;
  let plus = 0;
  for (let i = body.indexOf('+'); i >= 0; i = body.indexOf('+', i + 1)) plus++;
  return plus <= 1 + Math.floor(body.length / 32);
}

/** A bare run's decode: plausible base64 that reads as text, mostly ASCII. */
function bareBase64Text(blob: string): string | null {
  if (!plausibleBase64(blob) || blob.replace(/=+$/, '').length % 4 === 1) return null;
  return textualDecode(Buffer.from(blob, 'base64'), MIN_BARE_ASCII_RATIO);
}

function blobText(blob: string): string | null {
  // `/tmp/<hex>`: `/` is a base64 character, so a path may lead the hex run.
  const cut = blob.lastIndexOf('/') + 1;
  const hex = HEX_BLOB.exec(blob.slice(cut))?.[1];
  if (hex === undefined || hex.length < MIN_HEX_DIGITS) return bareBase64Text(blob);
  const decoded = textualDecode(Buffer.from(hex, 'hex'));
  return decoded === null ? null : blob.slice(0, cut) + decoded;
}

/** Base64 in `echo X | base64 -d` and in bare blobs, and long hex runs, where they read as
 * text. */
function blobDecode(text: string): string | null {
  // The whole `echo X | base64 -d` becomes the decoded text, which the rest of the pipe reads.
  const piped = replaceAll(text, ECHO_BASE64, (_whole, _quote, blob) =>
    blob === undefined ? null : base64Text(blob));
  const source = piped ?? text;
  return replaceBlobs(source) ?? piped;
}

const BASE64_ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') {
  BASE64_ALPHABET[c.charCodeAt(0)] = 1;
}
const isBase64Char = (code: number): boolean => code < 128 && BASE64_ALPHABET[code] === 1;

/** Every run of base64 characters (and up to two `=`) of at least MIN_BLOB_CHARS, replaced by
 * its decode where that reads as text. A loop, not a regex: several times faster on 64 KiB. */
function replaceBlobs(text: string): string | null {
  let out = '';
  let last = 0;
  for (let i = 0; i < text.length;) {
    if (!isBase64Char(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
    const runEnd = end;
    while (end < text.length && end - runEnd < 2 && text.charCodeAt(end) === 0x3d) end++;
    const decoded = runEnd - i >= MIN_BLOB_CHARS ? blobText(text.slice(i, end)) : null;
    if (decoded !== null) {
      out += text.slice(last, i) + decoded;
      last = end;
    }
    i = end;
  }
  return last === 0 ? null : out + text.slice(last);
}

// --- HTML entities -------------------------------------------------------------------------

const ENTITY = /&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;

function htmlDecode(text: string): string | null {
  if (!ENTITY.test(text)) return null;
  const decoded = decodeHTMLStrict(text);
  return decoded === text ? null : decoded;
}

// --- Log4j lookups ------------------------------------------------------------------------

/** Log4j 2 lookups that only spell a word (CVE-2021-44228 scanners hide `jndi:ldap` in them):
 * `${lower:J}`, `${upper:n}`, and any lookup with a `:-` default (`${::-j}`, `${env:X:-d}`). */
const LOG4J_CASE = /\$\{(lower|upper):([^{}$]{0,16})\}/gi;
const LOG4J_DEFAULT = /\$\{[^{}$]{0,64}?:-([^{}$]{0,16})\}/g;

function log4jDeobfuscate(text: string): string | null {
  if (!text.includes('${')) return null;
  const out = text.replace(LOG4J_CASE, (_m, how: string, word: string) =>
    how.toLowerCase() === 'lower' ? word.toLowerCase() : word.toUpperCase())
    .replace(LOG4J_DEFAULT, '$1');
  return out === text ? null : out;
}

/** JNDIExploit and its forks run the command a lookup's path carries, base64:
 * `${jndi:ldap://host:1389/Basic/Command/Base64/<base64>}` (also `TomcatBypass/Command/...`). */
const JNDI_BASE64_COMMAND = /(\/Command\/Base64\/)([A-Za-z0-9+/_-]{4,8192}={0,2})/gi;

/** The command decoded on a line of its own after the base64, so the lookup's URL stays as
 * written and the command reads as a command. */
function jndiCommandDecode(text: string): string | null {
  if (!/\/Command\/Base64\//i.test(text)) return null;
  return replaceAll(text, JNDI_BASE64_COMMAND, (whole, _path, blob) => {
    const command = blob === undefined ? null : base64Text(blob);
    return command === null ? null : `${whole}\n${command}\n`;
  });
}

// --- shell obfuscation (literal tricks only) -----------------------------------------------

/** `${IFS}`, `$IFS$9` and a bare `$IFS` all read as a space to sh. */
const IFS = /\$\{IFS\}|\$IFS\$[0-9]|\$IFS(?![A-Za-z0-9_])/g;
/** `$@` and `$*` expand to nothing in a script run without arguments: `w$@get`. */
const EMPTY_EXPANSION = /\$[@*]/g;
/** `$'...'` ANSI-C quoting, once its escapes are decoded, is the text inside. */
const ANSI_C_QUOTE = /\$'([^'\n]*)'/g;
/** `w\g\e\t`: a backslash before a letter is dropped (not `\x..`, left to the escapes). */
const ESCAPED_LETTER = /\\(?!x[0-9a-fA-F])([A-Za-z./:-])/g;
/** Quotes glued to a word (`w'g'e"t"`, `"h"ttp`) only split it. */
const QUOTED_WORD = /(['"])([\w./-]*)\1/g;
const WORD_CHAR = /[A-Za-z0-9_/]/;

function shellDeobfuscate(text: string): string | null {
  if (!/[$'"\\]/.test(text)) return null;
  let out = text.replace(IFS, ' ').replace(EMPTY_EXPANSION, '').replace(ANSI_C_QUOTE, '$1')
    .replace(ESCAPED_LETTER, '$1');
  out = out.replace(QUOTED_WORD, (quoted: string, _q: string, inner: string, at: number,
    whole: string) => WORD_CHAR.test(whole.charAt(at - 1) + whole.charAt(at + quoted.length))
    ? inner : quoted);
  out = substituteVariables(out);
  return out === text ? null : out;
}

/** `name=literal` assignment, `${name}` or `$name`; values with `$(`/backquotes are not literal. */
const SHELL_TOKEN = new RegExp(
  String.raw`(?<![\w$])([A-Za-z_][A-Za-z0-9_]{0,63})=("[^"\n\`]{0,256}"|'[^'\n]{0,256}'|` +
  String.raw`[^\s;&|()<>'"\`$]{1,256}|\$(?:\{[A-Za-z_]\w{0,63}\}|[A-Za-z_]\w{0,63}))` +
  String.raw`|\$\{([A-Za-z_][A-Za-z0-9_]{0,63})\}|\$([A-Za-z_][A-Za-z0-9_]{0,63})`, 'g');

/** Left to right, as sh reads a script: `u=http://x; wget $u/a` becomes `wget http://x/a`. */
function substituteVariables(text: string): string {
  if (!text.includes('$') || !text.includes('=')) return text;
  const vars = new Map<string, string>();
  let growth = 0;
  const maxGrowth = Math.min(MAX_SUBSTITUTION_GROWTH_CHARS, text.length);
  /** The value of `$name` where known and the growth budget allows, else the reference. */
  const lookup = (reference: string, name: string): string => {
    const value = vars.get(name);
    if (value === undefined || growth + value.length > maxGrowth) {
      return reference;
    }
    growth += value.length;
    return value;
  };
  const expand = (value: string): string =>
    value.replace(/\$\{([A-Za-z_]\w*)\}|\$([A-Za-z_]\w*)/g, (m, a?: string, b?: string) =>
      lookup(m, a ?? b ?? ''));
  return text.replace(SHELL_TOKEN, (whole, name?: string, value?: string, braced?: string,
    plain?: string) => {
    if (name === undefined || value === undefined) return lookup(whole, braced ?? plain ?? '');
    const single = value.startsWith("'");
    const inner = /^["']/.test(value) ? value.slice(1, -1) : value;
    const literal = single ? inner : expand(inner);
    if (literal.length > MAX_SHELL_VALUE_CHARS) vars.delete(name);
    else if (vars.size < MAX_SHELL_VARS || vars.has(name)) vars.set(name, literal);
    return single ? whole : `${name}=${value[0] === '"' ? `"${literal}"` : literal}`;
  });
}

const DECODERS: readonly Decoder[] = [
  { decode: urlDecode, again: true },
  { decode: unescapeBackslashes, again: false },
  { decode: blobDecode, again: true },
  { decode: htmlDecode, again: false },
  { decode: shellDeobfuscate, again: false },
  { decode: log4jDeobfuscate, again: false },
  { decode: jndiCommandDecode, again: false },
];
