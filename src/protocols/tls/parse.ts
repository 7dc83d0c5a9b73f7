// A pure, bounded reader of the start of a TLS client hello: the record and handshake headers
// (RFC 8446 section 5.1 and 4) or an SSLv2-compatible CLIENT-HELLO (RFC 6101 appendix E.1).

/** A record may carry 2^14 bytes of plaintext plus 2048 of expansion (RFC 5246 6.2.3). */
export const MAX_RECORD_BYTES = 16384 + 2048;
const RECORD_HEADER_BYTES = 5;
const CONTENT_HANDSHAKE = 0x16;
const HANDSHAKE_CLIENT_HELLO = 0x01;
const SSL2_CLIENT_HELLO = 0x01;
const SSL2_HEADER_BYTES = 11;
const SSL2_SESSION_ID_BYTES = 16;

export interface HelloHead {
  format: 'tls' | 'sslv2';
  /** Version the record or message claims, e.g. 0x0301 for TLS 1.0. */
  version: number;
  /** Bytes the record (or SSLv2 message) declares. */
  length: number;
}

export type HelloResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; hello: HelloHead }
  | { kind: 'malformed'; reason: string };

const INCOMPLETE = { kind: 'incomplete' } as const;

function malformed(reason: string): HelloResult {
  return { kind: 'malformed', reason };
}

/** SSL 3.0 to TLS 1.3 all write major version 3 on the wire. */
function isVersion(major: number | undefined, minor: number | undefined): boolean {
  return major === 3 && minor !== undefined && minor <= 4;
}

export function readTlsHello(buf: Buffer): HelloResult {
  if (buf.length >= 1 && buf[0] !== CONTENT_HANDSHAKE) return malformed('not_handshake');
  if (buf.length >= 2 && buf[1] !== 3) return malformed('bad_version');
  if (buf.length < RECORD_HEADER_BYTES + 1) return INCOMPLETE;
  if (!isVersion(buf[1], buf[2])) return malformed('bad_version');
  const length = buf.readUInt16BE(3);
  if (length < 4 || length > MAX_RECORD_BYTES) return malformed('bad_record_length');
  if (buf[5] !== HANDSHAKE_CLIENT_HELLO) return malformed('not_client_hello');
  if (buf.length >= 10 && buf[9] !== 3) return malformed('bad_hello_version');
  return { kind: 'message', hello: { format: 'tls', version: buf.readUInt16BE(1), length } };
}

/** SSLv2 header: 2-byte length with the top bit set, then CLIENT-HELLO and its lengths. */
export function readSsl2Hello(buf: Buffer): HelloResult {
  if (buf.length >= 1 && ((buf[0] ?? 0) & 0x80) === 0) return malformed('not_sslv2');
  if (buf.length >= 3 && buf[2] !== SSL2_CLIENT_HELLO) return malformed('not_client_hello');
  if (buf.length < SSL2_HEADER_BYTES) return INCOMPLETE;
  const length = buf.readUInt16BE(0) & 0x7fff;
  const version = buf.readUInt16BE(3);
  if (version !== 0x0002 && !isVersion(buf[3], buf[4])) return malformed('bad_version');
  const ciphers = buf.readUInt16BE(5);
  const session = buf.readUInt16BE(7);
  const challenge = buf.readUInt16BE(9);
  if (ciphers === 0 || ciphers % 3 !== 0) return malformed('bad_cipher_specs');
  if (session !== 0 && session !== SSL2_SESSION_ID_BYTES) return malformed('bad_session_id');
  if (challenge < 16 || challenge > 32) return malformed('bad_challenge');
  if (length !== SSL2_HEADER_BYTES - 2 + ciphers + session + challenge) {
    return malformed('bad_length');
  }
  return { kind: 'message', hello: { format: 'sslv2', version, length } };
}
