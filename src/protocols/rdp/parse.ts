// A pure, bounded reader of the first RDP packet: a TPKT header (RFC 1006 section 6) around
// an X.224 Connection Request TPDU (ITU-T X.224 13.3), with the optional mstshash cookie.

/** mstsc's Connection Request is under 100 bytes; real servers refuse far bigger ones. */
export const MAX_TPKT_BYTES = 4096;
const TPKT_VERSION = 3;
const TPKT_HEADER_BYTES = 4;
/** X.224 CR fixed part: length indicator, code, dst-ref (2), src-ref (2), class option. */
const X224_CR_BYTES = 7;
const X224_CONNECTION_REQUEST = 0xe0;
const MAX_COOKIE_BYTES = 256;
const COOKIE_PREFIX = 'Cookie: mstshash=';

export interface ConnectionRequest {
  /** Bytes the TPKT declares, header included. */
  length: number;
  /** The user name in "Cookie: mstshash=", or null when there is none. */
  cookie: string | null;
}

export type RequestResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; request: ConnectionRequest }
  | { kind: 'malformed'; reason: string };

function malformed(reason: string): RequestResult {
  return { kind: 'malformed', reason };
}

function readCookie(tpdu: Buffer): string | null {
  const text = tpdu.toString('latin1', X224_CR_BYTES, X224_CR_BYTES + MAX_COOKIE_BYTES);
  if (!text.startsWith(COOKIE_PREFIX)) return null;
  const end = text.indexOf('\r\n');
  return end === -1 ? null : text.slice(COOKIE_PREFIX.length, end);
}

export function readConnectionRequest(buf: Buffer): RequestResult {
  if (buf.length >= 1 && buf[0] !== TPKT_VERSION) return malformed('not_tpkt');
  if (buf.length >= 2 && buf[1] !== 0) return malformed('bad_tpkt_reserved');
  if (buf.length < TPKT_HEADER_BYTES + 2) return { kind: 'incomplete' };
  const length = buf.readUInt16BE(2);
  if (length < TPKT_HEADER_BYTES + X224_CR_BYTES || length > MAX_TPKT_BYTES) {
    return malformed('bad_tpkt_length');
  }
  if (buf[4] !== length - TPKT_HEADER_BYTES - 1) return malformed('bad_x224_length');
  const code = (buf[5] ?? 0) & 0xf0;
  if (code !== X224_CONNECTION_REQUEST) return malformed('not_connection_request');
  const tpdu = buf.subarray(TPKT_HEADER_BYTES, length);
  return { kind: 'message', request: { length, cookie: readCookie(tpdu) } };
}
