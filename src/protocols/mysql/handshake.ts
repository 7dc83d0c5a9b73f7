// Builds the initial handshake packet (protocol version 10) a MySQL 8.0 server sends first,
// byte for byte as MySQL Server's sql/auth/sql_authentication.cc lays it out.

import { randomBytes } from 'node:crypto';

// MySQL 8.0.36 as packaged in Ubuntu 22.04 LTS (mysql-server 8.0.36-0ubuntu0.22.04.1).
export const SERVER_VERSION = '8.0.36-0ubuntu0.22.04.1';
export const AUTH_PLUGIN = 'caching_sha2_password';
export const SCRAMBLE_BYTES = 20;

// MySQL 8.0.27 and later advertise 0xffff and 0xdfff: every flag up to multi-factor
// authentication plus the two top bits, all but CLIENT_CAPABILITY_EXTENSION. The low word
// leaves out CLIENT_SSL (0x0800), as a server started with TLS disabled does, so that clients
// send their HandshakeResponse41 in the clear instead of an SSLRequest.
const CAPABILITIES_LOW = 0xf7ff;
const CAPABILITIES_HIGH = 0xdfff;
const CHARSET_UTF8MB4_0900_AI_CI = 255;
const STATUS_AUTOCOMMIT = 0x0002;
const PROTOCOL_VERSION = 10;
const RESERVED_BYTES = 10;

/** A fresh scramble: 7-bit bytes, never NUL or '$', as MySQL's generate_user_salt makes. */
export function scramble(): Buffer {
  const salt = randomBytes(SCRAMBLE_BYTES);
  for (let i = 0; i < salt.length; i++) {
    let byte = (salt[i] ?? 0) & 0x7f;
    if (byte === 0x00 || byte === 0x24) byte++;
    salt[i] = byte;
  }
  return salt;
}

function fixedFields(connectionId: number, salt: Buffer): Buffer {
  const fields = Buffer.alloc(4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + RESERVED_BYTES);
  let at = fields.writeUInt32LE(connectionId >>> 0, 0);
  at += salt.copy(fields, at, 0, 8) + 1;
  at = fields.writeUInt16LE(CAPABILITIES_LOW, at);
  at = fields.writeUInt8(CHARSET_UTF8MB4_0900_AI_CI, at);
  at = fields.writeUInt16LE(STATUS_AUTOCOMMIT, at);
  at = fields.writeUInt16LE(CAPABILITIES_HIGH, at);
  fields.writeUInt8(SCRAMBLE_BYTES + 1, at);
  return fields;
}

/** The whole packet: 3-byte length, sequence 0, then the handshake payload. */
export function handshakeV10(connectionId: number, salt: Buffer): Buffer {
  const payload = Buffer.concat([
    Buffer.from([PROTOCOL_VERSION]),
    Buffer.from(`${SERVER_VERSION}\0`, 'latin1'),
    fixedFields(connectionId, salt),
    salt.subarray(8, SCRAMBLE_BYTES), Buffer.from([0]),
    Buffer.from(`${AUTH_PLUGIN}\0`, 'latin1'),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  return Buffer.concat([header, payload]);
}
