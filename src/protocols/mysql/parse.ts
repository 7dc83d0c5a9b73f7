// A pure, bounded reader of MySQL client/server packets (3-byte length, 1-byte sequence id)
// and of the HandshakeResponse41 / SSLRequest fixed part. Never throws.

/** Real servers refuse packets above max_allowed_packet (64 MiB in 8.0); the emulator far less. */
export const MAX_PACKET_BYTES = 64 * 1024;
const HEADER_BYTES = 4;
const CLIENT_PROTOCOL_41 = 0x0200;
/** Capabilities (4), max packet size (4), character set (1), then 23 reserved zero bytes. */
const RESPONSE_FILLER_AT = 9;
const RESPONSE_FILLER_BYTES = 23;

export type PacketResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; sequence: number; payload: Buffer; length: number }
  | { kind: 'malformed'; reason: string };

export function readPacket(buf: Buffer): PacketResult {
  if (buf.length < HEADER_BYTES) return { kind: 'incomplete' };
  const size = buf.readUIntLE(0, 3);
  if (size > MAX_PACKET_BYTES) return { kind: 'malformed', reason: 'packet_too_large' };
  if (buf.length < HEADER_BYTES + size) return { kind: 'incomplete' };
  const payload = buf.subarray(HEADER_BYTES, HEADER_BYTES + size);
  return { kind: 'message', sequence: buf[3] ?? 0, payload, length: HEADER_BYTES + size };
}

/** True for the fixed start of HandshakeResponse41 or SSLRequest, a client's first packet. */
export function isHandshakeResponse(payload: Buffer): boolean {
  if (payload.length < RESPONSE_FILLER_AT + RESPONSE_FILLER_BYTES) return false;
  if ((payload.readUInt32LE(0) & CLIENT_PROTOCOL_41) === 0) return false;
  const filler = payload.subarray(RESPONSE_FILLER_AT, RESPONSE_FILLER_AT + RESPONSE_FILLER_BYTES);
  return filler.every((byte) => byte === 0);
}
