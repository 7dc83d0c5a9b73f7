// A pure, bounded reader of the Telnet byte stream (RFC 854, RFC 855): a run of data bytes,
// an option command (WILL/WONT/DO/DONT), a subnegotiation (IAC SB ... IAC SE) or another
// IAC command. One item per call; never throws.

/** BusyBox telnetd keeps subnegotiations in a small buffer; NAWS needs 4 bytes, TTYPE ~40. */
export const MAX_SUBNEGOTIATION_BYTES = 256;
/** Data bytes handed out per item at most. */
export const MAX_DATA_RUN_BYTES = 4096;

export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
export const SB = 0xfa;
export const SE = 0xf0;

export type TelnetItem =
  | { type: 'data'; bytes: Buffer }
  | { type: 'option'; command: number; option: number }
  | { type: 'sub'; option: number; data: Buffer }
  | { type: 'command'; code: number };

export type ItemResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; item: TelnetItem; length: number }
  | { kind: 'malformed'; reason: string };

/** Reads the item at the start of `buf`. */
export function parseItem(buf: Buffer): ItemResult {
  if (buf.length === 0) return { kind: 'incomplete' };
  if (buf[0] !== IAC) return dataRun(buf);
  if (buf.length < 2) return { kind: 'incomplete' };
  const code = buf[1] ?? 0;
  if (code === IAC) return { kind: 'message', item: { type: 'data', bytes: buf.subarray(1, 2) },
    length: 2 };
  if (code >= WILL && code <= DONT) {
    if (buf.length < 3) return { kind: 'incomplete' };
    return { kind: 'message', item: { type: 'option', command: code, option: buf[2] ?? 0 },
      length: 3 };
  }
  if (code === SB) return subnegotiation(buf);
  return { kind: 'message', item: { type: 'command', code }, length: 2 };
}

function dataRun(buf: Buffer): ItemResult {
  const limit = Math.min(buf.length, MAX_DATA_RUN_BYTES);
  let end = 0;
  while (end < limit && buf[end] !== IAC) end++;
  return { kind: 'message', item: { type: 'data', bytes: buf.subarray(0, end) }, length: end };
}

/** IAC SB option data... IAC SE, with IAC IAC standing for one 0xff inside the data. */
function subnegotiation(buf: Buffer): ItemResult {
  if (buf.length < 3) return { kind: 'incomplete' };
  const data: number[] = [];
  for (let i = 3; i < buf.length; i++) {
    if (data.length > MAX_SUBNEGOTIATION_BYTES) {
      return { kind: 'malformed', reason: 'subnegotiation_too_long' };
    }
    const byte = buf[i] ?? 0;
    if (byte !== IAC) {
      data.push(byte);
      continue;
    }
    if (i + 1 >= buf.length) return { kind: 'incomplete' };
    const next = buf[i + 1];
    if (next === SE) {
      return { kind: 'message', item: { type: 'sub', option: buf[2] ?? 0, data: Buffer.from(data) },
        length: i + 2 };
    }
    if (next !== IAC) return { kind: 'malformed', reason: 'bad_subnegotiation' };
    data.push(IAC);
    i++;
  }
  if (data.length > MAX_SUBNEGOTIATION_BYTES) {
    return { kind: 'malformed', reason: 'subnegotiation_too_long' };
  }
  return { kind: 'incomplete' };
}
