// A pure, bounded reader of a CoAP message (RFC 7252 section 3): the 4-byte header, the
// token and the option list up to the payload marker. Never throws.

export const HEADER_BYTES = 4;
/** Token lengths 9 to 15 are reserved (RFC 7252 3). */
const MAX_TOKEN_BYTES = 8;
const PAYLOAD_MARKER = 0xff;
/** Enough for a URI path of a few segments and queries; real messages carry a handful. */
export const MAX_OPTIONS = 32;

export interface CoapHead {
  type: number;
  /** Class and detail packed as on the wire: 0x01 is 0.01 GET. */
  code: number;
  messageId: number;
  /** Option numbers in order. */
  options: number[];
  /** Uri-Path option values (option 11), in order. */
  uriPath: string[];
  token: Buffer;
  /** Where the payload starts, or the message length when there is none. */
  payloadAt: number;
}

export type CoapResult =
  | { kind: 'message'; head: CoapHead }
  | { kind: 'malformed'; reason: string };

/** Reads a 4-bit option field with its 1- or 2-byte extension; null when reserved or cut. */
function extended(nibble: number, buf: Buffer, at: number): [number, number] | null {
  if (nibble < 13) return [nibble, at];
  if (nibble === 13) return at < buf.length ? [(buf[at] ?? 0) + 13, at + 1] : null;
  if (nibble === 14) return at + 1 < buf.length ? [buf.readUInt16BE(at) + 269, at + 2] : null;
  return null;
}

const URI_PATH = 11;

interface Options {
  options: number[];
  uriPath: string[];
  end: number;
}

function readOptions(buf: Buffer, start: number): Options | null {
  const options: number[] = [];
  const uriPath: string[] = [];
  let at = start;
  let number = 0;
  while (at < buf.length && buf[at] !== PAYLOAD_MARKER) {
    if (options.length >= MAX_OPTIONS) return null;
    const byte = buf[at] ?? 0;
    const delta = extended(byte >> 4, buf, at + 1);
    const length = delta === null ? null : extended(byte & 0x0f, buf, delta[1]);
    if (delta === null || length === null || length[1] + length[0] > buf.length) return null;
    number += delta[0];
    options.push(number);
    if (number === URI_PATH) uriPath.push(buf.toString('utf8', length[1], length[1] + length[0]));
    at = length[1] + length[0];
  }
  // A marker with no payload after it is a format error (RFC 7252 3).
  if (at === buf.length - 1) return null;
  return { options, uriPath, end: at < buf.length ? at + 1 : at };
}

/** A datagram holds one whole message, so there is no "incomplete" here. */
export function readMessage(buf: Buffer): CoapResult {
  if (buf.length < HEADER_BYTES) return { kind: 'malformed', reason: 'too_short' };
  const first = buf[0] ?? 0;
  if (first >> 6 !== 1) return { kind: 'malformed', reason: 'bad_version' };
  const tokenBytes = first & 0x0f;
  if (tokenBytes > MAX_TOKEN_BYTES || HEADER_BYTES + tokenBytes > buf.length) {
    return { kind: 'malformed', reason: 'bad_token' };
  }
  const read = readOptions(buf, HEADER_BYTES + tokenBytes);
  if (read === null) return { kind: 'malformed', reason: 'bad_options' };
  const head = {
    type: (first >> 4) & 0x03, code: buf[1] ?? 0, messageId: buf.readUInt16BE(2),
    options: read.options, uriPath: read.uriPath, payloadAt: read.end,
    token: buf.subarray(HEADER_BYTES, HEADER_BYTES + tokenBytes),
  };
  return { kind: 'message', head };
}
