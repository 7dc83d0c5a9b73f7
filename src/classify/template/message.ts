// Skeletons of header-framed text messages (HTTP, SIP, SSDP, RTSP): the start line and header
// names kept in order, header values masked by what they hold (hosts, dates, lengths, ids),
// bodies masked with JSON-RPC ids taken out. Works from the raw text or from recorded fields.

import { escapeChar, maskText } from './mask.js';
import { urlSeparatorAt } from './urls.js';

/** Messages read from one payload; later ones add nothing a template needs. */
const MAX_MESSAGES = 8;
/** Headers kept per message. */
const MAX_HEADERS = 64;

/** Headers whose value names a host or address: the whole host becomes `<host>`. */
const HOST_HEADERS = new Set(['via', 'v', 'from', 'f', 'to', 't', 'contact', 'm', 'origin',
  'referer', 'location', 'x-forwarded-host', 'forwarded']);
const TIME_HEADERS = new Set(['date', 'last-modified', 'if-modified-since', 'expires',
  'if-unmodified-since']);
/** Values that differ on every message of one sender. */
const ID_HEADERS = new Set(['call-id', 'i', 'x-request-id']);
/** `[` + the longest IPv6 address with a zone + `]`. */
const MAX_BRACKETED_CHARS = 64;
/** Ends a host inside a header value. */
const HOST_END = new Set([':', '/', ';', '>', '?', ',', ' ', '"', '\'', '\t', ']', '[', '<']);

/** One header value, masked by what its header holds. */
export function maskHeader(name: string, value: string): string {
  const lower = name.toLowerCase();
  if (value === '') return '';
  if (lower === 'host') return '<host>';
  if (TIME_HEADERS.has(lower)) return '<time>';
  if (lower === 'content-length' || lower === 'l') return '<n>';
  if (ID_HEADERS.has(lower)) return '<id>';
  if (HOST_HEADERS.has(lower)) return maskHosts(maskParams(value));
  return maskText(value);
}

/** SIP parameters that are random per dialog or transaction (RFC 3261 8.1.1.3, 8.1.1.7). */
const ID_PARAMS = [';tag=', ';branch='];

/** `;tag=1928301774` becomes `;tag=<id>`. */
function maskParams(value: string): string {
  let out = value;
  for (const param of ID_PARAMS) {
    const at = out.toLowerCase().indexOf(param);
    if (at < 0) continue;
    let end = at + param.length;
    while (end < out.length && !';,> '.includes(out[end] as string)) end++;
    out = `${out.slice(0, at + param.length)}<id>${out.slice(end)}`;
  }
  return out;
}

/**
 * Masks the hosts in a value such as `<sip:100@192.0.2.1>;tag=1` or
 * `http://example.com/a`: what follows `//` or `@` up to a delimiter, and (with `bare`)
 * dotted names and addresses standing alone, all as `<host>`.
 */
export function maskHosts(value: string, bare = true): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < value.length; i++) {
    // A URL (`http://`) is maskText's, which masks its file name as well as its host.
    const at = value[i] === '@' ? i + 1
      : value.startsWith('//', i) && urlSeparatorAt(value, i - 1, value.length) === 0 ? i + 2
        : -1;
    if (at < 0) continue;
    let end = at;
    if (value[at] === '[') end = bracketEnd(value, at);
    while (end < value.length && !HOST_END.has(value[end] as string)) end++;
    if (end === at) continue;
    end = portEnd(value, end);
    out += `${maskText(value, from, at)}<host>`;
    from = end;
    i = end - 1;
  }
  out += maskText(value, from);
  return bare ? bareHosts(out).replaceAll('<ip>', '<host>') : out;
}

/** A host is shown with its port, if any, as one `<host>`. */
function portEnd(value: string, end: number): number {
  if (value[end] !== ':') return end;
  let k = end + 1;
  while (k < value.length && k < end + 6 && value[k]! >= '0' && value[k]! <= '9') k++;
  return k > end + 1 ? k : end;
}

/** End of `[2001:db8::1]` at `at`, looking no further than an IPv6 address can be long. */
function bracketEnd(value: string, at: number): number {
  const close = value.slice(at, at + MAX_BRACKETED_CHARS).indexOf(']');
  return close < 0 ? at : at + close + 1;
}

/**
 * `proxy.example.net` in an already masked value: dotted names ending in a word, unless a
 * path or parameter holds them (`/index.php`, `?f=a.txt`).
 */
function bareHosts(masked: string): string {
  let out = '';
  let i = 0;
  while (i < masked.length) {
    let k = i;
    while (k < masked.length && isHostChar(masked.charCodeAt(k))) k++;
    const before = masked[i - 1];
    const inPath = before === '/' || before === '=' || before === '?';
    if (k > i && !inPath && isDottedName(masked.slice(i, k))) {
      out += '<host>';
      if (masked.startsWith(':<n>', k)) k += 4;
    } else out += masked.slice(i, k);
    if (k < masked.length) out += masked[k];
    i = k + 1;
  }
  return out;
}

function isHostChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x2e || c === 0x2d;
}

function isDottedName(token: string): boolean {
  const dot = token.lastIndexOf('.');
  if (dot <= 0 || dot === token.length - 1) return false;
  for (let i = dot + 1; i < token.length; i++) {
    const c = token.charCodeAt(i) | 0x20;
    if (c < 0x61 || c > 0x7a) return false;
  }
  return token.length - dot > 2;
}

/** Replaces each JSON `"id": value` with `"id":<id>` (JSON-RPC ids count requests). */
export function maskJsonIds(text: string): string {
  let out = '';
  let from = 0;
  let at = text.indexOf('"id"');
  while (at >= 0) {
    let v = at + 4;
    while (text[v] === ' ') v++;
    if (text[v] === ':') {
      v++;
      while (text[v] === ' ') v++;
      const end = valueEnd(text, v);
      out += `${text.slice(from, at)}"id":<id>`;
      from = end;
    }
    at = text.indexOf('"id"', Math.max(at + 4, from));
  }
  return out + text.slice(from);
}

/** End of a JSON scalar (string, number, literal) at `v`; strings may hold escaped quotes. */
function valueEnd(text: string, v: number): number {
  if (text[v] === '"') {
    let k = v + 1;
    while (k < text.length && text[k] !== '"') k += text[k] === '\\' ? 2 : 1;
    return Math.min(k + 1, text.length);
  }
  let k = v;
  while (k < text.length && !',}] \r\n'.includes(text[k] as string)) k++;
  return k;
}

/** Skeleton of the messages in a payload's text (latin1), one line per line. */
export function messagesSkeleton(text: string): string {
  const parts: string[] = [];
  let pos = 0;
  for (let n = 0; n < MAX_MESSAGES && pos < text.length; n++) {
    const head = headEnd(text, pos);
    const lines = text.slice(pos, head.end).split('\n');
    const length = contentLength(lines);
    parts.push(startLine(lines[0] ?? ''), ...headerLines(lines.slice(1)));
    const bodyEnd = length === null ? text.length : Math.min(text.length, head.next + length);
    if (head.next < bodyEnd) parts.push('', maskBody(text.slice(head.next, bodyEnd)));
    pos = bodyEnd;
  }
  return parts.join('\n');
}

function headEnd(text: string, pos: number): { end: number; next: number } {
  const crlf = text.indexOf('\r\n\r\n', pos);
  const lf = text.indexOf('\n\n', pos);
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, next: crlf + 4 };
  if (lf >= 0) return { end: lf, next: lf + 2 };
  return { end: text.length, next: text.length };
}

function contentLength(lines: string[]): number | null {
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && (name === 'content-length' || name === 'l')) {
      const n = Number.parseInt(line.slice(colon + 1).trim(), 10);
      return Number.isFinite(n) && n >= 0 ? n : null;
    }
  }
  return null;
}

/** `HTTP/1.1`, `SIP/2.0`, `RTSP/1.0`: a tool sends one version, kept as it is. */
const VERSION = /^[A-Z]{3,5}\/\d\.\d$/;

/** `METHOD target VERSION`: the method and version kept, the target's hosts and tokens masked. */
function startLine(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  const space = trimmed.indexOf(' ');
  if (space <= 0) return maskText(trimmed);
  const last = trimmed.lastIndexOf(' ');
  const version = last > space && VERSION.test(trimmed.slice(last + 1)) ? last : trimmed.length;
  return `${escapeText(trimmed.slice(0, space))} ` +
    `${maskHosts(trimmed.slice(space + 1, version), false)}${escapeText(trimmed.slice(version))}`;
}

function headerLines(lines: string[]): string[] {
  const out: string[] = [];
  for (const raw of lines.slice(0, MAX_HEADERS)) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const colon = line.indexOf(':');
    if (colon <= 0) {
      out.push(maskText(line));
      continue;
    }
    const name = line.slice(0, colon);
    out.push(`${maskText(name)}: ${maskHeader(name.trim(), line.slice(colon + 1).trim())}`);
  }
  if (lines.length > MAX_HEADERS) out.push('<more headers>');
  return out;
}

/** A body, masked; JSON-RPC ids taken out first. */
export function maskBody(body: string): string {
  return maskText(body.includes('"id"') ? maskJsonIds(body) : body);
}

function escapeText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += escapeChar(text.charCodeAt(i));
  return out;
}

/** The skeleton of an HTTP request from its recorded fields (the inside of a TLS stream). */
export function httpFieldsSkeleton(fields: Record<string, unknown>): string {
  const str = (key: string): string => {
    const value = fields[key];
    return typeof value === 'string' ? value : '';
  };
  const query = str('query');
  const lines = [`${escapeText(str('method'))} ${maskText(str('path'))}` +
    `${query === '' ? '' : `?${maskText(query)}`} ${maskText(str('version'))}`];
  const headers = Array.isArray(fields['headers']) ? fields['headers'] : [];
  for (const pair of headers.slice(0, MAX_HEADERS)) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string') continue;
    const value = typeof pair[1] === 'string' ? pair[1] : '';
    lines.push(`${maskText(pair[0])}: ${maskHeader(pair[0], value)}`);
  }
  if (str('body') !== '') lines.push('', str('body_encoding') === 'base64' ? '<body>'
    : maskBody(str('body')));
  return lines.join('\n');
}
