// A pure, bounded reader of one SIP message head (RFC 3261 7): the start line and the header
// fields up to the blank line, with compact names expanded (7.3.3) and folded lines joined.
// Over UDP the datagram's end may stand for the blank line. Never throws.

/** Asterisk/PJSIP refuse heads past a few KiB; 8 KiB covers every scanner we have seen. */
export const MAX_HEAD_BYTES = 8192;
export const MAX_HEADERS = 64;
/** Bodies are skipped, never kept past the payload buffer; SDP offers are a few hundred bytes. */
export const MAX_BODY_BYTES = 65_536;

const COMPACT: Record<string, string> = {
  v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length',
  c: 'content-type', k: 'supported', s: 'subject', e: 'content-encoding',
};

export interface SipMessage {
  /** Set for requests: INVITE, REGISTER, OPTIONS... */
  method: string | null;
  uri: string;
  /** Set for responses. */
  status: number | null;
  /** Lowercase full names, in order, repeated ones kept apart. */
  headers: [string, string][];
  /** Bytes of the head including the blank line. */
  headBytes: number;
  bodyBytes: number;
}

export type SipResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; message: SipMessage }
  | { kind: 'malformed'; reason: string };

const REQUEST_LINE = /^([A-Za-z]{1,32}) (\S{1,2048}) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 ([1-6]\d\d)(?: |$)/;

function malformed(reason: string): SipResult {
  return { kind: 'malformed', reason };
}

/** The first header named `name` (lowercase full name), or undefined. */
export function header(message: SipMessage, name: string): string | undefined {
  return message.headers.find(([n]) => n === name)?.[1];
}

function readHeaders(lines: string[]): [string, string][] | string {
  const headers: [string, string][] = [];
  for (const line of lines) {
    const last = headers[headers.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return 'bad_header';
    if (headers.length >= MAX_HEADERS) return 'too_many_headers';
    const raw = line.slice(0, colon).trim().toLowerCase();
    headers.push([COMPACT[raw] ?? raw, line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** Reads one message from `buf`; `whole` says the buffer is a datagram, complete as it is. */
export function readMessage(buf: Buffer, whole = false): SipResult {
  const window = buf.subarray(0, MAX_HEAD_BYTES);
  let end = window.indexOf('\r\n\r\n');
  let headBytes = end + 4;
  if (end === -1) {
    if (buf.length >= MAX_HEAD_BYTES) return malformed('head_too_long');
    if (!whole) return { kind: 'incomplete' };
    [end, headBytes] = [buf.length, buf.length];
  }
  const lines = window.toString('latin1', 0, end).split('\r\n');
  const start = lines.shift() ?? '';
  const request = REQUEST_LINE.exec(start);
  const response = request === null ? STATUS_LINE.exec(start) : null;
  if (request === null && response === null) return malformed('bad_start_line');
  const headers = readHeaders(lines);
  if (typeof headers === 'string') return malformed(headers);
  const length = headers.find(([n]) => n === 'content-length')?.[1] ?? '0';
  if (!/^\d{1,9}$/.test(length)) return malformed('bad_content_length');
  const bodyBytes = Number(length);
  if (bodyBytes > MAX_BODY_BYTES) return malformed('body_too_big');
  const message: SipMessage = {
    method: request?.[1]?.toUpperCase() ?? null, uri: request?.[2] ?? '',
    status: response === null ? null : Number(response[1]), headers, headBytes, bodyBytes,
  };
  return { kind: 'message', message };
}
