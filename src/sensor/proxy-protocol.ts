// The PROXY protocol header (v1 text, v2 binary) that a load balancer puts before a connection's
// first byte to pass on the client's address; spec: HAProxy doc/proxy-protocol.txt, 2.1 and 2.2.
// The parser is pure, bounded and total: it never throws, and its reasons never quote the bytes.

import { SocketAddress } from 'node:net';

/** Section 2.1: the longest v1 line, CRLF included (UNKNOWN with two full IPv6 addresses). */
export const MAX_PROXY_V1_BYTES = 107;

/**
 * Our cap on a whole v2 header (16 fixed bytes, addresses, TLVs). The length field allows
 * 16 + 65535; HAProxy, nginx and cloud load balancers send a few hundred bytes at most.
 */
export const MAX_PROXY_V2_BYTES = 4096;

const V1_SIGNATURE = Buffer.from('PROXY ', 'latin1');
/** Section 2.2: `\r\n\r\n\0\r\nQUIT\n`. */
const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');
const V2_FIXED_BYTES = 16;
const V2_TLV_HEAD_BYTES = 3;
const MAX_U16 = 0xffff;
const CR = 0x0d;
const LF = 0x0a;

export type ProxyVersion = 1 | 2;
export type ProxyTransport = 'tcp' | 'udp';

/** A header naming the original endpoints: the sensor records these instead of the socket's. */
export interface ProxiedHeader {
  version: ProxyVersion;
  command: 'proxy';
  transport: ProxyTransport;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

/**
 * A valid header without usable addresses: v2 LOCAL (a proxy's own health check), v1 UNKNOWN,
 * or a v2 family we do not decode (AF_UNSPEC, AF_UNIX). Section 2.2 says the receiver then
 * uses the real connection's endpoints.
 */
export interface UnproxiedHeader {
  version: ProxyVersion;
  command: 'local' | 'unknown';
}

export type ProxyHeader = ProxiedHeader | UnproxiedHeader;

export type ProxyParseResult =
  | { kind: 'incomplete' }
  | { kind: 'absent' }
  | { kind: 'header'; header: ProxyHeader; length: number }
  | { kind: 'malformed'; reason: string };

const INCOMPLETE: ProxyParseResult = Object.freeze({ kind: 'incomplete' });
const ABSENT: ProxyParseResult = Object.freeze({ kind: 'absent' });

function malformed(reason: string): ProxyParseResult {
  return { kind: 'malformed', reason };
}

/**
 * Reads a PROXY header from the first bytes of a connection. `incomplete` means the bytes so
 * far are a prefix of a header (read more and call again with all of them); `absent` means
 * they cannot start one; `length` is how many bytes the header takes. A listener that expects
 * PROXY must drop `absent` connections too: section 2 forbids guessing whether a header is sent.
 */
export function parseProxyHeader(buf: Buffer): ProxyParseResult {
  if (startsLike(buf, V1_SIGNATURE)) {
    return buf.length < V1_SIGNATURE.length ? INCOMPLETE : parseV1(buf);
  }
  if (startsLike(buf, V2_SIGNATURE)) {
    return buf.length < V2_FIXED_BYTES ? INCOMPLETE : parseV2(buf);
  }
  return ABSENT;
}

/** True when buf and sig agree on every byte both have. */
function startsLike(buf: Buffer, sig: Buffer): boolean {
  const n = Math.min(buf.length, sig.length);
  return buf.compare(sig, 0, n, 0, n) === 0;
}

// ---- version 1 ------------------------------------------------------------------------------

function parseV1(buf: Buffer): ProxyParseResult {
  const end = findV1LineEnd(buf);
  if (typeof end === 'string') return malformed(end);
  if (end === -1) return INCOMPLETE;
  const header = parseV1Line(buf.toString('latin1', 0, end));
  if (typeof header === 'string') return malformed(header);
  return { kind: 'header', header, length: end + 2 };
}

/**
 * The index of the line's CR, -1 when more bytes are needed, or why the line is bad. Section
 * 2.1 forbids a lone CR or LF; we also refuse non-printable bytes early rather than waiting
 * for 107 bytes of them.
 */
function findV1LineEnd(buf: Buffer): number | string {
  const limit = Math.min(buf.length, MAX_PROXY_V1_BYTES);
  for (let i = 0; i < limit; i++) {
    const byte = buf[i] as number;
    if (byte === CR) {
      if (i + 1 >= MAX_PROXY_V1_BYTES) return 'v1 line has no CRLF within 107 bytes';
      if (i + 1 >= buf.length) return -1;
      return buf[i + 1] === LF ? i : 'v1 line has a CR without LF';
    }
    if (byte === LF) return 'v1 line has an LF without CR';
    if (byte < 0x20 || byte > 0x7e) return 'v1 line has a non-printable byte';
  }
  return buf.length >= MAX_PROXY_V1_BYTES ? 'v1 line has no CRLF within 107 bytes' : -1;
}

function parseV1Line(line: string): ProxyHeader | string {
  const fields = line.split(' ');
  const protocol = fields[1];
  if (protocol === 'UNKNOWN') return { version: 1, command: 'unknown' };
  if (protocol !== 'TCP4' && protocol !== 'TCP6') return 'v1 protocol is not TCP4, TCP6 or UNKNOWN';
  if (fields.length !== 6) return 'v1 line does not have four fields after the protocol';

  const [, , srcText, dstText, srcPortText, dstPortText] = fields as [string, string, string,
    string, string, string];
  const family = protocol === 'TCP4' ? 4 : 6;
  const srcIp = canonicalIp(srcText, family);
  const dstIp = canonicalIp(dstText, family);
  if (srcIp === null || dstIp === null) return `v1 address is not a valid ${protocol} address`;
  const srcPort = parseV1Port(srcPortText);
  const dstPort = parseV1Port(dstPortText);
  if (srcPort === null || dstPort === null) return 'v1 port is not a decimal in 0-65535';
  return { version: 1, command: 'proxy', transport: 'tcp', srcIp, srcPort, dstIp, dstPort };
}

/** Section 2.1: decimal, no leading zeros, 0 to 65535. */
function parseV1Port(text: string): number | null {
  if (!/^(0|[1-9][0-9]{0,4})$/.test(text)) return null;
  const port = Number(text);
  return port <= MAX_U16 ? port : null;
}

// ---- version 2 ------------------------------------------------------------------------------

const V2_COMMANDS: Record<number, 'local' | 'proxy'> = { 0x0: 'local', 0x1: 'proxy' };
const V2_ADDRESS_BYTES: Record<number, number> = { 0x1: 4, 0x2: 16 };
const V2_TRANSPORTS: Record<number, ProxyTransport> = { 0x1: 'tcp', 0x2: 'udp' };

function parseV2(buf: Buffer): ProxyParseResult {
  const verCmd = buf[12] as number;
  const famProto = buf[13] as number;
  if (verCmd >> 4 !== 2) return malformed('v2 version nibble is not 2');
  const command = V2_COMMANDS[verCmd & 0x0f];
  if (command === undefined) return malformed('v2 command is unassigned');
  if (famProto >> 4 > 3 || (famProto & 0x0f) > 2) {
    return malformed('v2 address family or transport is unassigned');
  }

  const length = V2_FIXED_BYTES + buf.readUInt16BE(14);
  if (length > MAX_PROXY_V2_BYTES) {
    return malformed(`v2 header is longer than ${MAX_PROXY_V2_BYTES} bytes`);
  }
  if (buf.length < length) return INCOMPLETE;

  // Section 2.2: LOCAL ignores the address block, whatever the family says.
  if (command === 'local') return { kind: 'header', header: { version: 2, command }, length };
  const header = decodeV2Addresses(buf.subarray(V2_FIXED_BYTES, length), famProto);
  return typeof header === 'string' ? malformed(header) : { kind: 'header', header, length };
}

function decodeV2Addresses(block: Buffer, famProto: number): ProxyHeader | string {
  const addressBytes = V2_ADDRESS_BYTES[famProto >> 4];
  const transport = V2_TRANSPORTS[famProto & 0x0f];
  // Section 2.2: a receiver may fall back to the real endpoints for families it does not use.
  if (addressBytes === undefined || transport === undefined) {
    return { version: 2, command: 'unknown' };
  }
  const portsAt = 2 * addressBytes;
  if (block.length < portsAt + 4) return 'v2 address block is shorter than its family needs';
  const tlvProblem = checkTlvs(block.subarray(portsAt + 4));
  if (tlvProblem !== null) return tlvProblem;
  return {
    version: 2,
    command: 'proxy',
    transport,
    srcIp: formatIp(block.subarray(0, addressBytes)),
    srcPort: block.readUInt16BE(portsAt),
    dstIp: formatIp(block.subarray(addressBytes, portsAt)),
    dstPort: block.readUInt16BE(portsAt + 2),
  };
}

/** Section 2.2.1: TLVs follow the addresses; we skip them but they must tile the rest exactly. */
function checkTlvs(tlvs: Buffer): string | null {
  let offset = 0;
  while (offset < tlvs.length) {
    if (tlvs.length - offset < V2_TLV_HEAD_BYTES) return 'v2 TLV is cut short';
    offset += V2_TLV_HEAD_BYTES + tlvs.readUInt16BE(offset + 1);
    if (offset > tlvs.length) return 'v2 TLV runs past the header';
  }
  return null;
}

// ---- addresses ------------------------------------------------------------------------------

/** The address in the form Node prints for sockets, or null when it is not of that family. */
function canonicalIp(text: string, family: 4 | 6): string | null {
  const bytes = family === 4 ? parseIpv4(text) : parseIpv6(text);
  return bytes === null ? null : formatIp(bytes);
}

/** Section 2.1: four decimals 0-255, one dot between, no leading zeros. */
function parseIpv4(text: string): Buffer | null {
  if (!/^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(text)) return null;
  const octets = text.split('.').map(Number);
  return octets.every((o) => o <= 255) ? Buffer.from(octets) : null;
}

/** Hex groups with at most one `::`; a dotted IPv4 tail is accepted, as inet_pton does. */
function parseIpv6(text: string): Buffer | null {
  if (text.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(text)) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = parseGroups(halves[0] as string, halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] as string, true) : [];
  if (head === null || tail === null) return null;

  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = Buffer.alloc(16);
  words.forEach((word, i) => out.writeUInt16BE(word, 2 * i));
  return out;
}

function parseGroups(part: string, mayEndInIpv4: boolean): number[] | null {
  if (part === '') return [];
  const items = part.split(':');
  const words: number[] = [];
  for (const [i, item] of items.entries()) {
    if (mayEndInIpv4 && i === items.length - 1 && item.includes('.')) {
      const v4 = parseIpv4(item);
      if (v4 === null) return null;
      words.push(v4.readUInt16BE(0), v4.readUInt16BE(2));
    } else if (/^[0-9A-Fa-f]{1,4}$/.test(item)) {
      words.push(parseInt(item, 16));
    } else {
      return null;
    }
  }
  return words;
}

/** 4 bytes as dotted decimal; 16 bytes compressed and lowercase, exactly as Node's sockets. */
function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address;
}

// ---- encoding -------------------------------------------------------------------------------

/** The endpoints to announce; both addresses of one family. */
export interface ProxyEndpoints {
  transport?: ProxyTransport;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

/** A v2 TLV (section 2.2.1); the parser skips them, the encoder can add them for tests. */
export interface ProxyTlv {
  type: number;
  value: Buffer;
}

/**
 * A v1 line: `PROXY TCP4|TCP6 src dst sport dport\r\n`, or `PROXY UNKNOWN\r\n`.
 * Throws RangeError on a UDP transport, mixed families or bad ports: callers validate first.
 */
export function encodeProxyV1(endpoints: ProxyEndpoints | 'unknown'): Buffer {
  if (endpoints === 'unknown') return Buffer.from('PROXY UNKNOWN\r\n', 'latin1');
  if ((endpoints.transport ?? 'tcp') !== 'tcp') throw new RangeError('PROXY v1 carries TCP only');
  const { src, dst } = endpointBytes(endpoints);
  const protocol = src.length === 4 ? 'TCP4' : 'TCP6';
  const fields = [protocol, formatIp(src), formatIp(dst), endpoints.srcPort, endpoints.dstPort];
  return Buffer.from(`PROXY ${fields.join(' ')}\r\n`, 'latin1');
}

/**
 * A v2 header with command PROXY (or LOCAL, without addresses), followed by the given TLVs.
 * Throws RangeError on mixed families, bad ports or a header over MAX_PROXY_V2_BYTES.
 */
export function encodeProxyV2(endpoints: ProxyEndpoints | 'local', tlvs: ProxyTlv[] = []): Buffer {
  const tail = Buffer.concat(tlvs.map(encodeTlv));
  if (endpoints === 'local') return v2Header(0x20, 0x00, tail);
  const { src, dst } = endpointBytes(endpoints);
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(endpoints.srcPort, 0);
  ports.writeUInt16BE(endpoints.dstPort, 2);
  const family = src.length === 4 ? 0x10 : 0x20;
  const transport = (endpoints.transport ?? 'tcp') === 'tcp' ? 0x01 : 0x02;
  return v2Header(0x21, family | transport, Buffer.concat([src, dst, ports, tail]));
}

function v2Header(verCmd: number, famProto: number, body: Buffer): Buffer {
  if (V2_FIXED_BYTES + body.length > MAX_PROXY_V2_BYTES) {
    throw new RangeError(`PROXY v2 header over ${MAX_PROXY_V2_BYTES} bytes`);
  }
  const fixed = Buffer.alloc(V2_FIXED_BYTES);
  V2_SIGNATURE.copy(fixed, 0);
  fixed[12] = verCmd;
  fixed[13] = famProto;
  fixed.writeUInt16BE(body.length, 14);
  return Buffer.concat([fixed, body]);
}

function encodeTlv(tlv: ProxyTlv): Buffer {
  if (tlv.value.length > MAX_U16) throw new RangeError('PROXY v2 TLV value over 65535 bytes');
  const head = Buffer.alloc(V2_TLV_HEAD_BYTES);
  head[0] = tlv.type & 0xff;
  head.writeUInt16BE(tlv.value.length, 1);
  return Buffer.concat([head, tlv.value]);
}

function endpointBytes(endpoints: ProxyEndpoints): { src: Buffer; dst: Buffer } {
  const src = parseIpv4(endpoints.srcIp) ?? parseIpv6(endpoints.srcIp);
  const dst = parseIpv4(endpoints.dstIp) ?? parseIpv6(endpoints.dstIp);
  if (src === null || dst === null) throw new RangeError('PROXY endpoint is not an IP address');
  if (src.length !== dst.length) throw new RangeError('PROXY endpoints mix IPv4 and IPv6');
  for (const port of [endpoints.srcPort, endpoints.dstPort]) {
    if (!Number.isInteger(port) || port < 0 || port > MAX_U16) {
      throw new RangeError('PROXY port is not an integer in 0-65535');
    }
  }
  return { src, dst };
}
