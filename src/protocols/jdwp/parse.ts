// A pure, bounded reader of JDWP command packets (JDWP specification, "JDWP Packets"):
// length (4, big-endian, counting the 11-byte header), id (4), flags (1), then command set
// and command (1 each) for a command or an error code (2) for a reply. Never throws.

export const HANDSHAKE = Buffer.from('JDWP-Handshake', 'latin1');
export const HEADER_BYTES = 11;
/** Our cap on one packet; debuggers' commands are tiny, class redefinitions the exception. */
export const MAX_PACKET_BYTES = 64 * 1024;
/** JDWP flags bit for a reply packet. */
export const REPLY_FLAG = 0x80;

export interface CommandPacket {
  id: number;
  flags: number;
  commandSet: number;
  command: number;
  data: Buffer;
}

export type PacketResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; packet: CommandPacket; length: number }
  | { kind: 'malformed'; reason: string };

/** Checks the 14 handshake bytes; a JVM closes on anything else. */
export function readHandshake(buf: Buffer): 'incomplete' | 'ok' | 'malformed' {
  const n = Math.min(buf.length, HANDSHAKE.length);
  if (buf.compare(HANDSHAKE, 0, n, 0, n) !== 0) return 'malformed';
  return n < HANDSHAKE.length ? 'incomplete' : 'ok';
}

export function readPacket(buf: Buffer): PacketResult {
  if (buf.length < HEADER_BYTES) return { kind: 'incomplete' };
  const length = buf.readUInt32BE(0);
  if (length < HEADER_BYTES) return { kind: 'malformed', reason: 'packet_too_short' };
  if (length > MAX_PACKET_BYTES) return { kind: 'malformed', reason: 'packet_too_large' };
  if (buf.length < length) return { kind: 'incomplete' };
  const packet = { id: buf.readUInt32BE(4), flags: buf[8] ?? 0, commandSet: buf[9] ?? 0,
    command: buf[10] ?? 0, data: buf.subarray(HEADER_BYTES, length) };
  return { kind: 'message', packet, length };
}

/** A JDWP string: a 4-byte length, then that many UTF-8 bytes; null when cut or too long. */
export function readString(data: Buffer, at = 0): string | null {
  if (data.length < at + 4) return null;
  const size = data.readUInt32BE(at);
  if (size > data.length - at - 4) return null;
  return data.toString('utf8', at + 4, at + 4 + size);
}

export function encodeString(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(bytes.length);
  return Buffer.concat([head, bytes]);
}

export function encodeReply(id: number, errorCode: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32BE(HEADER_BYTES + data.length, 0);
  head.writeUInt32BE(id >>> 0, 4);
  head[8] = REPLY_FLAG;
  head.writeUInt16BE(errorCode, 9);
  return Buffer.concat([head, data]);
}
