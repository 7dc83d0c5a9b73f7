// A pure, bounded reader of Android Debug Bridge message headers (AOSP adb/protocol.txt):
// six little-endian words, command, arg0, arg1, data length, data checksum, magic.

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
