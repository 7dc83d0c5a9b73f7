// A pure, bounded parser of HTTP/1.x request heads (RFC 9112 section 3). Bytes in, one
// tagged result out; never throws. Bodies are measured by Content-Length, not parsed.

/** Real servers reject heads above 8-16 KiB (nginx: 8 KiB per line, Apache: 8190). */
export const MAX_HEAD_BYTES = 16 * 1024;
export const MAX_HEADERS = 100;
const MAX_BODY_BYTES = 1024 * 1024;

export interface RequestHead {
  method: string;
  target: string;
  version: string;
  headers: [string, string][];
  /** Bytes the head took, including the blank line. */
  length: number;
  /** Declared body length, capped at MAX_BODY_BYTES. */
  bodyLength: number;
}

export type HeadResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; head: RequestHead }
  | { kind: 'malformed'; reason: string };

const REQUEST_LINE = /^([A-Z][A-Z0-9_-]{0,19}) (\S{1,8192}) (HTTP\/\d\.\d)$/;

function parseHeaders(lines: string[]): [string, string][] | string {
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (headers.length >= MAX_HEADERS) return 'too_many_headers';
    const colon = line.indexOf(':');
    if (colon <= 0) return 'bad_header_line';
    headers.push([line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

function bodyLength(headers: [string, string][]): number {
  const value = headers.find(([name]) => name === 'content-length')?.[1] ?? '0';
  const n = /^\d{1,12}$/.test(value) ? Number(value) : 0;
  return Math.min(n, MAX_BODY_BYTES);
}

export function parseRequestHead(buf: Buffer): HeadResult {
  const end = buf.indexOf('\r\n\r\n');
  if (end === -1) {
    return buf.length >= MAX_HEAD_BYTES ? { kind: 'malformed', reason: 'head_too_large' }
      : { kind: 'incomplete' };
  }
  if (end > MAX_HEAD_BYTES) return { kind: 'malformed', reason: 'head_too_large' };
  const lines = buf.subarray(0, end).toString('latin1').split('\r\n');
  const request = REQUEST_LINE.exec(lines[0] ?? '');
  if (request === null) return { kind: 'malformed', reason: 'bad_request_line' };
  const headers = parseHeaders(lines.slice(1));
  if (typeof headers === 'string') return { kind: 'malformed', reason: headers };
  const [, method, target, version] = request as unknown as [string, string, string, string];
  return {
    kind: 'message',
    head: { method, target, version, headers, length: end + 4, bodyLength: bodyLength(headers) },
  };
}
