// A pure, bounded reader and writer of Android Debug Bridge messages (AOSP adb/protocol.txt):
// six little-endian words (command, arg0, arg1, data length, data checksum, magic), then data;
// and of the shell v2 packets carried inside a stream (AOSP adb/shell_service_protocol.h).

/** adbd accepts payloads up to MAX_PAYLOAD, 1 MiB since Android 9. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const HEADER_BYTES = 24;

export const COMMANDS = ['CNXN', 'AUTH', 'OPEN', 'OKAY', 'CLSE', 'WRTE', 'SYNC', 'STLS'];

export interface MessageHead {
  command: string;
  arg0: number;
  arg1: number;
  dataLength: number;
}

export type MessageResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; head: MessageHead }
  | { kind: 'malformed'; reason: string };

export function readMessageHead(buf: Buffer): MessageResult {
  if (buf.length < HEADER_BYTES) return { kind: 'incomplete' };
  const command = buf.readUInt32LE(0);
  const name = buf.toString('latin1', 0, 4);
  if (!COMMANDS.includes(name)) return { kind: 'malformed', reason: 'unknown_command' };
  if (buf.readUInt32LE(20) !== (command ^ 0xffffffff) >>> 0) {
    return { kind: 'malformed', reason: 'bad_magic' };
  }
  const dataLength = buf.readUInt32LE(12);
  if (dataLength > MAX_PAYLOAD_BYTES) return { kind: 'malformed', reason: 'payload_too_large' };
  const head = { command: name, arg0: buf.readUInt32LE(4), arg1: buf.readUInt32LE(8), dataLength };
  return { kind: 'message', head };
}

export type MessageReadResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; head: MessageHead; data: Buffer; length: number }
  | { kind: 'malformed'; reason: string };

/** One whole message (header and data), or why the bytes cannot be one. */
export function readMessage(buf: Buffer): MessageReadResult {
  const head = readMessageHead(buf);
  if (head.kind !== 'message') return head;
  const length = HEADER_BYTES + head.head.dataLength;
  if (buf.length < length) return { kind: 'incomplete' };
  return { kind: 'message', head: head.head, data: buf.subarray(HEADER_BYTES, length), length };
}

/** The sum of the data bytes, which adbd before Android 9 puts in every header. */
export function checksum(data: Buffer): number {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) >>> 0;
  return sum;
}

export function encodeMessage(command: string, arg0: number, arg1: number,
  data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  const word = Buffer.from(command, 'latin1').readUInt32LE(0);
  head.writeUInt32LE(word, 0);
  head.writeUInt32LE(arg0 >>> 0, 4);
  head.writeUInt32LE(arg1 >>> 0, 8);
  head.writeUInt32LE(data.length, 12);
  head.writeUInt32LE(checksum(data), 16);
  head.writeUInt32LE((word ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([head, data]);
}

/** Shell v2 packet ids (shell_service_protocol.h). */
export const SHELL_ID = { stdin: 0, stdout: 1, stderr: 2, exit: 3, closeStdin: 4,
  windowSize: 5 } as const;
export const SHELL_HEADER_BYTES = 5;
/** A shell v2 packet travels inside one WRTE, so it can never exceed the message cap. */
export const MAX_SHELL_PACKET_BYTES = MAX_PAYLOAD_BYTES;

export type ShellPacketResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; id: number; data: Buffer; length: number }
  | { kind: 'malformed'; reason: string };

export function readShellPacket(buf: Buffer): ShellPacketResult {
  if (buf.length < SHELL_HEADER_BYTES) return { kind: 'incomplete' };
  const id = buf[0] ?? 0;
  const size = buf.readUInt32LE(1);
  if (id > SHELL_ID.windowSize) return { kind: 'malformed', reason: 'shell_packet_id' };
  if (size > MAX_SHELL_PACKET_BYTES) return { kind: 'malformed', reason: 'shell_packet_too_large' };
  const length = SHELL_HEADER_BYTES + size;
  if (buf.length < length) return { kind: 'incomplete' };
  return { kind: 'message', id, data: buf.subarray(SHELL_HEADER_BYTES, length), length };
}

export function encodeShellPacket(id: number, data: Buffer): Buffer {
  const head = Buffer.alloc(SHELL_HEADER_BYTES);
  head[0] = id;
  head.writeUInt32LE(data.length, 1);
  return Buffer.concat([head, data]);
}
