// A pure, bounded reader of RDP's first packets: a TPKT header (RFC 1006 section 6) around an
// X.224 Connection Request (ITU-T X.224 13.3) with its cookie or routing token and RDP_NEG_REQ
// (MS-RDPBCGR 2.2.1.1), and the client core data of a later MCS Connect Initial. Never throws.

/** mstsc's Connection Request is under 100 bytes; real servers refuse far bigger ones. */
export const MAX_TPKT_BYTES = 4096;
/** A cookie or routing token line, CRLF included; mstsc cuts mstshash to 9 characters. */
export const MAX_COOKIE_BYTES = 256;
export const TPKT_HEADER_BYTES = 4;
const TPKT_VERSION = 3;
/** X.224 CR fixed part: length indicator, code, dst-ref (2), src-ref (2), class option. */
const X224_CR_BYTES = 7;
const X224_CONNECTION_REQUEST = 0xe0;
const X224_DATA = 0xf0;
const MSTSHASH = 'Cookie: mstshash=';
const ROUTING_TOKEN = 'Cookie: ';
const NEG_REQ = 0x01;
const NEG_REQ_BYTES = 8;
const CORRELATION_INFO = 0x06;
const CORRELATION_INFO_BYTES = 36;
const CORRELATION_INFO_PRESENT = 0x08;

/** The security protocols of RDP_NEG_REQ (MS-RDPBCGR 2.2.1.1.1), by bit. */
export const PROTOCOL_BITS = [
  ['ssl', 0x1], ['hybrid', 0x2], ['rdstls', 0x4], ['hybrid_ex', 0x8], ['rdsaad', 0x10],
] as const;

export interface Negotiation {
  flags: number;
  /** requestedProtocols; 0 is standard RDP security only. */
  protocols: number;
  /** The correlation id (16 bytes, hex) when the client sent one. */
  correlationId: string | null;
}

export interface ConnectionRequest {
  /** Bytes the TPKT declares, header included. */
  length: number;
  /** The user name in "Cookie: mstshash=", or null when there is none. */
  cookie: string | null;
  /** Any other "Cookie: " line (a load balancer's routing token, such as msts=...). */
  routingToken: string | null;
  negotiation: Negotiation | null;
}

export type Result<T> =
  | { kind: 'incomplete' }
  | { kind: 'message'; message: T }
  | { kind: 'malformed'; reason: string };

/** What the probe needs: a whole TPKT around an X.224 Connection Request. */
export type HeadResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; length: number }
  | { kind: 'malformed'; reason: string };

function malformed(reason: string): { kind: 'malformed'; reason: string } {
  return { kind: 'malformed', reason };
}

/** Reads the TPKT length; `incomplete` until the whole packet has arrived when `whole`. */
export function readTpkt(buf: Buffer, whole: boolean): HeadResult {
  if (buf.length >= 1 && buf[0] !== TPKT_VERSION) return malformed('not_tpkt');
  if (buf.length >= 2 && buf[1] !== 0) return malformed('bad_tpkt_reserved');
  if (buf.length < TPKT_HEADER_BYTES + 2) return { kind: 'incomplete' };
  const length = buf.readUInt16BE(2);
  if (length < TPKT_HEADER_BYTES + 3 || length > MAX_TPKT_BYTES) {
    return malformed('bad_tpkt_length');
  }
  if ((buf[4] ?? 0) > length - TPKT_HEADER_BYTES - 1) return malformed('bad_x224_length');
  if (whole && buf.length < length) return { kind: 'incomplete' };
  return { kind: 'message', length };
}

/** The probe's check: TPKT and X.224 CR headers agree, whatever follows. */
export function readConnectionHead(buf: Buffer): HeadResult {
  const head = readTpkt(buf, false);
  if (head.kind !== 'message') return head;
  if (head.length < TPKT_HEADER_BYTES + X224_CR_BYTES) return malformed('bad_tpkt_length');
  // A CR's length indicator covers the whole rest of the TPDU (X.224 13.3.1).
  if (buf[4] !== head.length - TPKT_HEADER_BYTES - 1) return malformed('bad_x224_length');
  const code = (buf[5] ?? 0) & 0xf0;
  return code === X224_CONNECTION_REQUEST ? head : malformed('not_connection_request');
}

/** One "Cookie: ...\r\n" line at the start of `rest`, or null when there is none. */
function readCookieLine(rest: Buffer): { line: string; bytes: number } | null | 'bad' {
  if (!rest.subarray(0, ROUTING_TOKEN.length).equals(Buffer.from(ROUTING_TOKEN, 'latin1'))) {
    return null;
  }
  const end = rest.subarray(0, MAX_COOKIE_BYTES).indexOf('\r\n');
  if (end === -1) return 'bad';
  return { line: rest.toString('latin1', 0, end), bytes: end + 2 };
}

function readNegotiation(rest: Buffer): Negotiation | null | 'bad' {
  if (rest.length === 0) return null;
  if (rest.length < NEG_REQ_BYTES || rest[0] !== NEG_REQ) return 'bad';
  if (rest.readUInt16LE(2) !== NEG_REQ_BYTES) return 'bad';
  const flags = rest[1] ?? 0;
  const negotiation = { flags, protocols: rest.readUInt32LE(4), correlationId: null };
  if ((flags & CORRELATION_INFO_PRESENT) === 0) return negotiation;
  const info = rest.subarray(NEG_REQ_BYTES);
  if (info.length < CORRELATION_INFO_BYTES || info[0] !== CORRELATION_INFO) return 'bad';
  return { ...negotiation, correlationId: info.toString('hex', 4, 20) };
}

/** The whole Connection Request: cookie or routing token, then the negotiation request. */
export function readConnectionRequest(buf: Buffer): Result<ConnectionRequest> {
  const head = readConnectionHead(buf);
  if (head.kind !== 'message') return head;
  if (buf.length < head.length) return { kind: 'incomplete' };
  const rest = buf.subarray(TPKT_HEADER_BYTES + X224_CR_BYTES, head.length);
  const cookie = readCookieLine(rest);
  if (cookie === 'bad') return malformed('unterminated_cookie');
  const negotiation = readNegotiation(rest.subarray(cookie?.bytes ?? 0));
  if (negotiation === 'bad') return malformed('bad_negotiation_request');
  const line = cookie?.line ?? null;
  const isUser = line?.startsWith(MSTSHASH) === true;
  const request = {
    length: head.length,
    cookie: isUser && line !== null ? line.slice(MSTSHASH.length) : null,
    routingToken: !isUser && line !== null ? line.slice(ROUTING_TOKEN.length) : null,
    negotiation,
  };
  return { kind: 'message', message: request };
}

/** What the Client Core Data (MS-RDPBCGR 2.2.1.3.2) says about the client machine. */
export interface ClientCore {
  version: number;
  keyboardLayout: number;
  build: number;
  /** The client's computer name (UTF-16LE, NUL-padded to 16 characters). */
  name: string;
}

const GCC_USER_DATA_KEY = Buffer.from('Duca', 'latin1');
const CS_CORE = 0xc001;
/** Header (4), version (4), width, height, depth, SAS (2 each), layout (4), build (4), name. */
const CS_CORE_NAME_AT = 24;
const CS_CORE_NAME_BYTES = 32;

/**
 * Finds the client core data in an X.224 Data TPDU carrying MCS Connect Initial: the GCC
 * user data follows the "Duca" key and a PER length, and its first block is CS_CORE.
 */
export function readClientCore(packet: Buffer): ClientCore | null {
  if ((packet[5] ?? 0) !== X224_DATA) return null;
  const key = packet.indexOf(GCC_USER_DATA_KEY, TPKT_HEADER_BYTES);
  if (key === -1) return null;
  let at = key + GCC_USER_DATA_KEY.length;
  at += ((packet[at] ?? 0) & 0x80) !== 0 ? 2 : 1;
  if (at + CS_CORE_NAME_AT + CS_CORE_NAME_BYTES > packet.length) return null;
  if (packet.readUInt16LE(at) !== CS_CORE) return null;
  const raw = packet.toString('utf16le', at + CS_CORE_NAME_AT,
    at + CS_CORE_NAME_AT + CS_CORE_NAME_BYTES);
  const nul = raw.indexOf('\0');
  return {
    version: packet.readUInt32LE(at + 4),
    keyboardLayout: packet.readUInt32LE(at + 16),
    build: packet.readUInt32LE(at + 20),
    name: nul === -1 ? raw : raw.slice(0, nul),
  };
}
