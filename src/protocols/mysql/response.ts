// A pure, bounded reader of the client's HandshakeResponse41 (MySQL Server's protocol docs,
// "Protocol::HandshakeResponse41"): user, auth data, database, plugin and connect attributes.

const CLIENT_CONNECT_WITH_DB = 0x8;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;
const CLIENT_CONNECT_ATTRS = 0x100000;
const CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
/** Capabilities (4), max packet size (4), character set (1), 23 zero bytes. */
const FIXED_BYTES = 32;
/** MySQL 8.0 user names are at most 32 characters; database and plugin names 64. */
export const MAX_NAME_BYTES = 256;
/** caching_sha2_password sends 32 bytes, mysql_native_password 20; nothing real sends more. */
export const MAX_AUTH_BYTES = 255;
/** MySQL's own cap on the connect attributes' total size is 64 KiB; the emulator keeps less. */
const MAX_ATTRS = 32;
const MAX_ATTR_CHARS = 256;

export interface HandshakeResponse {
  capabilities: number;
  charset: number;
  user: string;
  authResponse: Buffer;
  database: string | null;
  plugin: string | null;
  attrs: Record<string, string>;
}

export type ResponseResult =
  | { kind: 'ssl_request'; capabilities: number }
  | { kind: 'message'; response: HandshakeResponse }
  | { kind: 'malformed'; reason: string };

class Short extends Error {}

/** A cursor over the payload; every read checks the bytes are there and within the cap. */
class Reader {
  at: number;
  constructor(readonly buf: Buffer, at: number) {
    this.at = at;
  }

  nulString(max: number): string {
    const end = this.buf.indexOf(0, this.at);
    if (end === -1 || end - this.at > max) throw new Short();
    const text = this.buf.toString('utf8', this.at, end);
    this.at = end + 1;
    return text;
  }

  bytes(length: number): Buffer {
    if (this.at + length > this.buf.length) throw new Short();
    this.at += length;
    return this.buf.subarray(this.at - length, this.at);
  }

  /** A length-encoded integer; 8-byte ones are refused, nothing here is that long. */
  lenenc(): number {
    const first = this.bytes(1)[0] ?? 0;
    if (first < 0xfb) return first;
    if (first === 0xfc) return this.bytes(2).readUInt16LE(0);
    if (first === 0xfd) return this.bytes(3).readUIntLE(0, 3);
    throw new Short();
  }

  lenencString(max: number): string {
    const length = this.lenenc();
    if (length > max) throw new Short();
    return this.bytes(length).toString('utf8');
  }
}

function readAuth(reader: Reader, capabilities: number): Buffer {
  if ((capabilities & CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) !== 0) {
    const length = reader.lenenc();
    if (length > MAX_AUTH_BYTES) throw new Short();
    return reader.bytes(length);
  }
  if ((capabilities & CLIENT_SECURE_CONNECTION) !== 0) {
    return reader.bytes(reader.bytes(1)[0] ?? 0);
  }
  return Buffer.from(reader.nulString(MAX_AUTH_BYTES), 'utf8');
}

function readAttrs(reader: Reader): Record<string, string> {
  const end = reader.lenenc() + reader.at;
  if (end > reader.buf.length) throw new Short();
  const attrs: Record<string, string> = {};
  for (let n = 0; reader.at < end && n < MAX_ATTRS; n++) {
    const key = reader.lenencString(MAX_ATTR_CHARS);
    attrs[key] = reader.lenencString(MAX_ATTR_CHARS);
  }
  return attrs;
}

function readRest(payload: Buffer, capabilities: number): HandshakeResponse {
  const reader = new Reader(payload, FIXED_BYTES);
  const user = reader.nulString(MAX_NAME_BYTES);
  const authResponse = readAuth(reader, capabilities);
  const has = (flag: number) => (capabilities & flag) !== 0 && reader.at < payload.length;
  const database = has(CLIENT_CONNECT_WITH_DB) ? reader.nulString(MAX_NAME_BYTES) : null;
  const plugin = has(CLIENT_PLUGIN_AUTH) ? reader.nulString(MAX_NAME_BYTES) : null;
  const attrs = has(CLIENT_CONNECT_ATTRS) ? readAttrs(reader) : {};
  return { capabilities, charset: payload[8] ?? 0, user, authResponse, database, plugin, attrs };
}

/** Reads a HandshakeResponse41 payload, or tells an SSLRequest (its 32-byte prefix alone). */
export function readHandshakeResponse(payload: Buffer): ResponseResult {
  if (payload.length < FIXED_BYTES) return { kind: 'malformed', reason: 'short_response' };
  const capabilities = payload.readUInt32LE(0);
  if (payload.length === FIXED_BYTES) return { kind: 'ssl_request', capabilities };
  try {
    return { kind: 'message', response: readRest(payload, capabilities) };
  } catch (err) {
    if (err instanceof Short) return { kind: 'malformed', reason: 'bad_response' };
    throw err;
  }
}
