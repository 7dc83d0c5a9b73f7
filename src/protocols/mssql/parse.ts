// A pure, bounded reader of the first TDS packet (MS-TDS 2.2.3.1) and of a PRELOGIN
// message's option list (MS-TDS 2.2.6.5): the bytes every SQL Server client opens with.

/** TDS packets are at most the negotiated packet size, 32767 bytes (MS-TDS 2.2.3.1.3). */
export const MAX_PACKET_BYTES = 32767;
export const HEADER_BYTES = 8;
export const TYPE_PRELOGIN = 0x12;
const STATUS_MAX = 0x1f;
const OPTION_BYTES = 5;
const OPTION_TERMINATOR = 0xff;
const MAX_OPTIONS = 16;

export interface TdsHead {
  type: number;
  status: number;
  /** Bytes the packet declares, header included. */
  length: number;
}

export type TdsResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; head: TdsHead }
  | { kind: 'malformed'; reason: string };

export function readTdsHead(buf: Buffer): TdsResult {
  if (buf.length < HEADER_BYTES) return { kind: 'incomplete' };
  const head = { type: buf[0] ?? 0, status: buf[1] ?? 0, length: buf.readUInt16BE(2) };
  if (head.status > STATUS_MAX) return { kind: 'malformed', reason: 'bad_status' };
  if (head.length < HEADER_BYTES || head.length > MAX_PACKET_BYTES) {
    return { kind: 'malformed', reason: 'bad_length' };
  }
  if (buf[7] !== 0) return { kind: 'malformed', reason: 'bad_window' };
  return { kind: 'message', head };
}

/**
 * True when the PRELOGIN payload is a list of 5-byte options (token, offset, length), ended
 * by 0xFF, whose data all lies inside the payload.
 */
export function isPreloginOptionList(payload: Buffer): boolean {
  for (let i = 0; i < MAX_OPTIONS; i++) {
    const at = i * OPTION_BYTES;
    const token = payload[at];
    if (token === OPTION_TERMINATOR) return i > 0;
    if (token === undefined || at + OPTION_BYTES > payload.length) return false;
    const end = payload.readUInt16BE(at + 1) + payload.readUInt16BE(at + 3);
    if (end > payload.length) return false;
  }
  return false;
}

/** A whole TDS packet: header fields and its payload. */
export interface TdsPacket extends TdsHead {
  payload: Buffer;
}

export type PacketResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; packet: TdsPacket }
  | { kind: 'malformed'; reason: string };

/** One whole packet at the start of `buf`, or `incomplete` until all of it has arrived. */
export function readTdsPacket(buf: Buffer): PacketResult {
  const head = readTdsHead(buf);
  if (head.kind !== 'message') return head;
  const { length } = head.head;
  if (buf.length < length) return { kind: 'incomplete' };
  return { kind: 'message', packet: { ...head.head, payload: buf.subarray(HEADER_BYTES, length) } };
}

/** The PRELOGIN options (MS-TDS 2.2.6.5) by token, each value at most its declared length. */
export function readPreloginOptions(payload: Buffer): Map<number, Buffer> | null {
  if (!isPreloginOptionList(payload)) return null;
  const options = new Map<number, Buffer>();
  for (let at = 0; payload[at] !== OPTION_TERMINATOR; at += OPTION_BYTES) {
    const offset = payload.readUInt16BE(at + 1);
    options.set(payload[at] ?? 0, payload.subarray(offset, offset + payload.readUInt16BE(at + 3)));
  }
  return options;
}
