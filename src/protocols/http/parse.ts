// A pure, bounded parser of HTTP/1.x requests (RFC 9112): the head (section 3-5), then a body
// framed by Content-Length or chunked transfer coding (sections 6-7). Bytes in, one tagged
// result out; never throws, and no length read from the wire is used before it is checked.

/** nginx's large_client_header_buffers is 4 x 8 KiB; no header line may pass 8 KiB. */
export const MAX_LINE_BYTES = 8 * 1024;
/** The whole head, all lines together (nginx: the four 8 KiB buffers). */
export const MAX_HEAD_BYTES = 32 * 1024;
export const MAX_HEADERS = 100;
/** nginx's default client_max_body_size: a larger declared body is answered 413. */
export const MAX_DECLARED_BODY_BYTES = 1024 * 1024;
/** Body bytes a session keeps in memory; the rest of a Content-Length body is skipped. */
export const MAX_BUFFERED_BODY_BYTES = 64 * 1024;
/** A chunk-size line: hex digits and extensions, as nginx bounds them. */
const MAX_CHUNK_LINE_BYTES = 4096;

export type BodyFraming =
  | { kind: 'none' }
  | { kind: 'length'; bytes: number }
  | { kind: 'chunked' };

/** The request line and headers of a head, read whether or not its framing is accepted. */
export interface RequestFields {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
}

export interface RequestHead extends RequestFields {
  /** Bytes the head took, including the blank line. */
  length: number;
  body: BodyFraming;
}

export type HeadResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; head: RequestHead }
  /** `head`: set when the lines read well but the body framing is refused, so the request
   * (its path, headers) can still be recorded. */
  | { kind: 'malformed'; reason: string; head?: RequestFields };

/** What could be read of a head that never completed (slowloris) or broke a limit. */
export interface PartialHead {
  requestLine: string | null;
  headers: [string, string][];
}

const REQUEST_LINE = /^([A-Z][A-Z0-9_-]{0,19}) (\S{1,8192}) (HTTP\/\d\.\d)$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}$/;

function malformed(reason: string): { kind: 'malformed'; reason: string } {
  return { kind: 'malformed', reason };
}

function headerLine(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const name = line.slice(0, colon);
  if (!TOKEN.test(name)) return null;
  return [name.toLowerCase(), line.slice(colon + 1).trim()];
}

function parseHeaders(lines: string[]): [string, string][] | string {
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (headers.length >= MAX_HEADERS) return 'too_many_headers';
    const header = headerLine(line);
    if (header === null) return 'bad_header_line';
    headers.push(header);
  }
  return headers;
}

export function header(headers: [string, string][], name: string): string | undefined {
  return headers.find(([n]) => n === name)?.[1];
}

/**
 * RFC 9112 6.3: chunked wins over Content-Length, as in nginx 1.18.0 (which drops the length;
 * nginx 1.21.1 and later refuse the pair with 400). An unreadable length is an error (400).
 */
function framing(headers: [string, string][]): BodyFraming | string {
  const coding = header(headers, 'transfer-encoding');
  if (coding !== undefined) {
    return /(^|,)\s*chunked\s*$/i.test(coding) ? { kind: 'chunked' } : 'bad_transfer_encoding';
  }
  return contentLength(headers);
}

/**
 * RFC 9112 6.3 (5): several Content-Length lines that differ make the message invalid, a sign
 * of request smuggling. Identical repeats are accepted, as the RFC allows (nginx 1.18.0 refuses
 * any repeat as a duplicate header, with the same 400).
 */
function contentLength(headers: [string, string][]): BodyFraming | string {
  const values = headers.filter(([n]) => n === 'content-length').map(([, v]) => v);
  const first = values[0];
  if (first === undefined) return { kind: 'none' };
  if (!values.every((v) => /^\d{1,15}$/.test(v))) return 'bad_content_length';
  const bytes = Number(first);
  if (values.some((v) => Number(v) !== bytes)) return 'conflicting_content_length';
  if (bytes > MAX_DECLARED_BODY_BYTES) return 'body_too_large';
  return bytes === 0 ? { kind: 'none' } : { kind: 'length', bytes };
}

/** Is any line of the head so far longer than nginx allows? */
function lineTooLong(buf: Buffer, end: number): boolean {
  let start = 0;
  while (start < end) {
    const lf = buf.indexOf(0x0a, start);
    const stop = lf === -1 || lf > end ? end : lf;
    if (stop - start > MAX_LINE_BYTES) return true;
    start = stop + 1;
  }
  return false;
}

export function parseRequestHead(buf: Buffer): HeadResult {
  const window = buf.subarray(0, MAX_HEAD_BYTES + 4);
  const end = window.indexOf('\r\n\r\n');
  const seen = end === -1 ? window.length : end;
  if (lineTooLong(window, seen)) return malformed('header_too_large');
  if (end === -1) {
    return buf.length >= MAX_HEAD_BYTES ? malformed('header_too_large') : { kind: 'incomplete' };
  }
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const request = REQUEST_LINE.exec(lines[0] ?? '');
  if (request === null) return malformed('bad_request_line');
  const headers = parseHeaders(lines.slice(1));
  if (typeof headers === 'string') return malformed(headers);
  const [, method, target, version] = request as unknown as [string, string, string, string];
  const fields = { method, target, version, headers };
  const body = framing(headers);
  if (typeof body === 'string') return { kind: 'malformed', reason: body, head: fields };
  return { kind: 'message', head: { ...fields, length: end + 4, body } };
}

/** The complete lines of a head that will not complete; bounded by MAX_HEAD_BYTES. */
export function parsePartialHead(buf: Buffer): PartialHead {
  const text = buf.subarray(0, MAX_HEAD_BYTES).toString('latin1');
  const lines = text.split('\r\n').slice(0, MAX_HEADERS + 1);
  if (!text.endsWith('\r\n')) lines.pop();
  const headers: [string, string][] = [];
  for (const line of lines.slice(1)) {
    const parsed = headerLine(line);
    if (parsed !== null) headers.push(parsed);
  }
  return { requestLine: lines[0] ?? null, headers };
}

export type ChunkedResult =
  /** `received`: the data of the chunks so far, the unfinished one's arrived bytes included. */
  | { kind: 'incomplete'; received: Buffer[] }
  | { kind: 'message'; body: Buffer; length: number }
  | { kind: 'malformed'; reason: string };

/**
 * Decodes a whole chunked body (RFC 9112 7.1) from the start of `buf`, trailers included.
 * The decoded body may not pass `maxBytes`; the caller answers 413 when it does.
 */
export function parseChunked(buf: Buffer, maxBytes = MAX_BUFFERED_BODY_BYTES): ChunkedResult {
  const parts: Buffer[] = [];
  let total = 0;
  let at = 0;
  for (;;) {
    const lf = buf.subarray(at, at + MAX_CHUNK_LINE_BYTES).indexOf('\r\n');
    if (lf === -1) {
      return buf.length - at >= MAX_CHUNK_LINE_BYTES ? malformed('bad_chunk_size')
        : { kind: 'incomplete', received: parts };
    }
    const size = /^([0-9a-fA-F]{1,8})(;.*)?$/.exec(buf.toString('latin1', at, at + lf));
    if (size === null) return malformed('bad_chunk_size');
    const bytes = parseInt(size[1] ?? '', 16);
    if (total + bytes > maxBytes) return malformed('body_too_large');
    at += lf + 2;
    if (bytes === 0) return trailers(buf, at, parts, total);
    if (buf.length < at + bytes + 2) {
      return { kind: 'incomplete', received: [...parts, buf.subarray(at, at + bytes)] };
    }
    if (buf[at + bytes] !== 0x0d || buf[at + bytes + 1] !== 0x0a) {
      return malformed('bad_chunk_end');
    }
    parts.push(buf.subarray(at, at + bytes));
    total += bytes;
    at += bytes + 2;
  }
}

/** Skips trailer fields up to the blank line that ends a chunked body. */
function trailers(buf: Buffer, at: number, parts: Buffer[], total: number): ChunkedResult {
  const window = buf.subarray(at, at + MAX_LINE_BYTES);
  if (window.subarray(0, 2).equals(Buffer.from('\r\n'))) {
    return { kind: 'message', body: Buffer.concat(parts, total), length: at + 2 };
  }
  const end = window.indexOf('\r\n\r\n');
  if (end === -1) {
    return window.length >= MAX_LINE_BYTES ? malformed('bad_trailer')
      : { kind: 'incomplete', received: parts };
  }
  return { kind: 'message', body: Buffer.concat(parts, total), length: at + end + 4 };
}
