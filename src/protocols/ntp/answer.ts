// What ntpd 4.2.8p15 (Ubuntu 22.04 LTS, "restrict default ... noquery") answers: a mode 4
// server reply of 48 bytes to a client request, and nothing to mode 6 or 7 queries (monlist
// was removed in 4.2.7p26). Records the mode, version and, for mode 7, the request code.

const MODE_CLIENT = 3;
const MODE_SERVER = 4;
const MODE_PRIVATE = 7;
const PACKET_BYTES = 48;
/** Seconds from the NTP era (1900) to the Unix epoch (RFC 5905 6). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;
const STRATUM = 2;
/** 2^-23 s, ntpd's usual precision on x86_64. */
const PRECISION_LOG2 = -23;
/** Reference id of a stratum 2 server: its upstream's IPv4 address (documentation range). */
const REFERENCE_ID = [203, 0, 113, 123];

function writeTimestamp(packet: Buffer, at: number, ms: number): void {
  const seconds = Math.floor(ms / 1000);
  packet.writeUInt32BE((seconds + NTP_UNIX_OFFSET_S) >>> 0, at);
  packet.writeUInt32BE(Math.floor(((ms % 1000) / 1000) * 2 ** 32) >>> 0, at + 4);
}

function serverReply(request: Buffer, version: number): Buffer {
  const now = Date.now();
  const packet = Buffer.alloc(PACKET_BYTES);
  packet[0] = (version << 3) | MODE_SERVER;
  packet[1] = STRATUM;
  packet[2] = request[2] ?? 6;
  packet.writeInt8(PRECISION_LOG2, 3);
  packet.writeUInt32BE(0x0000_0a3d, 4);
  packet.writeUInt32BE(0x0000_0c52, 8);
  Buffer.from(REFERENCE_ID).copy(packet, 12);
  writeTimestamp(packet, 16, now - 512_000);
  request.copy(packet, 24, 40, 48);
  writeTimestamp(packet, 32, now);
  writeTimestamp(packet, 40, now);
  return packet;
}

export function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  if (datagram.length === 0) return undefined;
  const version = ((datagram[0] ?? 0) >> 3) & 0x07;
  const mode = (datagram[0] ?? 0) & 0x07;
  Object.assign(fields, { ntp_mode: mode, ntp_version: version });
  if (mode === MODE_PRIVATE && datagram.length >= 4) {
    Object.assign(fields, { implementation: datagram[2], request_code: datagram[3] });
  }
  if (mode !== MODE_CLIENT || datagram.length < PACKET_BYTES) return undefined;
  return serverReply(datagram, version);
}
