// Where the variable parts of a URL sit in a text: the authority after `scheme://` (or its
// percent-encoded `%3A%2F%2F`) and the file name of the path's last segment. A dropper's host
// and file name change between runs; the command around them names the tool.
// Reads forward only, each URL within a fixed number of characters.

import { ALNUM, classAt } from './tokens.js';

/** Longest authority (user, host, port) masked as one `<host>`; longer ones are cut here. */
const MAX_AUTHORITY_CHARS = 320;
/** Longest path searched for its last segment; a longer one keeps its file name. */
const MAX_PATH_CHARS = 2048;
/** Longest extension kept after a masked file name (`.sh`, `.arm7`; `.tar.gz` keeps `.gz`). */
const MAX_EXTENSION_CHARS = 8;
/** File names remembered from one text's URLs, to mask where the text names them again. */
export const MAX_FILE_NAMES = 16;

const ENCODED_SEPARATOR = '%3a%2f%2f';
const ENCODED_SLASH = '%2f';

/** A URL's parts, as positions in the text; `fileStart` is -1 when no file name was found. */
export interface UrlParts {
  /** Where the authority starts (after the separator) and ends. */
  hostStart: number;
  hostEnd: number;
  /** The file name without its extension: `[fileStart, fileEnd)`, the dot at `fileEnd`. */
  fileStart: number;
  fileEnd: number;
  /** Where the path ends. */
  pathEnd: number;
}

function isAlnum(s: string, i: number): boolean {
  return (classAt(s, i) & ALNUM) !== 0;
}

function startsWithLower(s: string, i: number, lower: string): boolean {
  return s.slice(i, i + lower.length).toLowerCase() === lower;
}

/** Length of `://` or `%3A%2F%2F` at `i` right after a scheme's last letter, else 0. */
export function urlSeparatorAt(s: string, i: number, end: number): number {
  if (i === 0 || !isAlnum(s, i - 1)) return 0;
  const c = s.charCodeAt(i);
  if (c === 0x3a) return i + 3 <= end && s.startsWith('//', i + 1) ? 3 : 0;
  if (c !== 0x25 || i + ENCODED_SEPARATOR.length > end) return 0;
  return startsWithLower(s, i, ENCODED_SEPARATOR) ? ENCODED_SEPARATOR.length : 0;
}

/** `user:pass@host:port`, `[2001:db8::1]:80`: letters, digits and these. */
const AUTHORITY = new Set(['.', '-', '_', '~', ':', '[', ']', '@']);
/** A path holds letters, digits and these; anything else (space, quote, `;`, `?`) ends it. */
const PATH = new Set(['.', '-', '_', '~', '/', '=', '@', ',']);

/** The parts of the URL whose separator (`sep` characters) is at `i`. */
export function urlAt(s: string, i: number, sep: number, end: number): UrlParts {
  const encoded = sep !== 3;
  const hostStart = i + sep;
  let k = hostStart;
  const hostMax = Math.min(end, hostStart + MAX_AUTHORITY_CHARS);
  while (k < hostMax && (isAlnum(s, k) || AUTHORITY.has(s[k] as string))) k++;
  const parts = { hostStart, hostEnd: k, fileStart: -1, fileEnd: -1, pathEnd: k };
  let segment = -1;
  const pathMax = Math.min(end, k + MAX_PATH_CHARS);
  while (k < pathMax) {
    if (encoded && startsWithLower(s, k, ENCODED_SLASH)) {
      k += ENCODED_SLASH.length;
      segment = k;
    } else if (s[k] === '/' && !encoded) {
      k++;
      segment = k;
    } else if (isAlnum(s, k) || PATH.has(s[k] as string)) k++;
    else break;
  }
  parts.pathEnd = k;
  if (segment < 0 || k - parts.hostEnd >= MAX_PATH_CHARS) return parts;
  let dot = k - 1;
  while (dot > segment && s[dot] !== '.') dot--;
  const extension = k - dot - 1;
  if (dot <= segment || extension < 1 || extension > MAX_EXTENSION_CHARS) return parts;
  for (let j = dot + 1; j < k; j++) if (!isAlnum(s, j)) return parts;
  parts.fileStart = segment;
  parts.fileEnd = dot;
  return parts;
}

/**
 * The file names (with extension) of the URLs in `[start, end)`, at most MAX_FILE_NAMES, that
 * start with a letter or digit: where the text names them again (`sh x.sh`) they are masked.
 */
export function urlFileNames(s: string, start: number, end: number): string[] {
  const names: string[] = [];
  let i = start;
  while (i < end && names.length < MAX_FILE_NAMES) {
    const c = s.charCodeAt(i);
    const sep = c === 0x3a || c === 0x25 ? urlSeparatorAt(s, i, end) : 0;
    if (sep === 0) {
      i++;
      continue;
    }
    const url = urlAt(s, i, sep, end);
    if (url.fileStart >= 0 && isAlnum(s, url.fileStart)) {
      names.push(s.slice(url.fileStart, url.pathEnd));
    }
    i = Math.max(url.pathEnd, i + 1);
  }
  return names;
}
