// Parsing of address text for enrichment: strict forms only, IPv4-mapped IPv6 as IPv4, and the
// 32-bit word form the range tables search.

import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Longest address text accepted: a full IPv6 address with an embedded IPv4 tail is 45
 * characters (RFC 4291 section 2.2); the rest allows for a zone index. */
export const MAX_IP_TEXT_CHARS = 64;

const DOT = 46;
const ZERO = 48;
const NINE = 57;

/**
 * The address `text` names, or null when it is not one. Only the forms `net.isIP` accepts are
 * taken (so `127.1` or `0x7f.0.0.1`, which inet_aton would read, are not), and an IPv4-mapped
 * IPv6 address (`::ffff:192.0.2.1`, as a dual-stack socket reports IPv4 peers) becomes IPv4.
 */
export function parseAddress(text: string): Address | null {
  if (text.length === 0 || text.length > MAX_IP_TEXT_CHARS) return null;
  const octets = dottedQuad(text);
  if (octets !== null) return new ipaddr.IPv4(octets);
  if (isIP(text) === 0) return null;
  try {
    return ipaddr.process(text);
  } catch {
    // isIP and ipaddr.js disagree on some exotic zone forms; such text is simply not an address.
    return null;
  }
}

/**
 * The octets of a dotted-quad IPv4 address in the form `net.isIP` accepts (no leading zeros),
 * else null. The sensor records every IPv4 source in this form, so this path skips the regular
 * expressions of the general parsers: it is most of the cost of an uncached lookup.
 */
function dottedQuad(text: string): number[] | null {
  const octets: number[] = [];
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i === text.length ? DOT : text.charCodeAt(i);
    if (c === DOT) {
      if (digits === 0 || value > 255 || octets.length === 4) return null;
      octets.push(value);
      value = 0;
      digits = 0;
    } else if (c >= ZERO && c <= NINE && digits < 3 && !(digits === 1 && value === 0)) {
      value = value * 10 + (c - ZERO);
      digits++;
    } else {
      return null;
    }
  }
  return octets.length === 4 ? octets : null;
}

/** Writes `address` into `into` as big-endian 32-bit words (1 for IPv4, 4 for IPv6). */
export function writeWords(address: Address, into: Uint32Array): void {
  if (address.kind() === 'ipv4') {
    const [a, b, c, d] = (address as ipaddr.IPv4).octets as [number, number, number, number];
    into[0] = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
    return;
  }
  const parts = (address as ipaddr.IPv6).parts;
  for (let i = 0; i < 4; i++) into[i] = ((parts[2 * i]! << 16) | parts[2 * i + 1]!) >>> 0;
}

/** A CIDR block as its first and last address in words, 1 for IPv4 and 4 for IPv6. */
export interface WordRange {
  width: 1 | 4;
  start: Uint32Array;
  end: Uint32Array;
}

/**
 * The addresses `cidr` covers, or null when it is not a CIDR block in strict form or has host
 * bits set (`192.0.2.1/24` is more likely a typo than a block).
 */
export function cidrRange(cidr: string): WordRange | null {
  if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr) && !ipaddr.IPv6.isValidCIDR(cidr)) {
    return null;
  }
  const [address, prefix] = ipaddr.parseCIDR(cidr);
  const width = address.kind() === 'ipv4' ? 1 : 4;
  const start = new Uint32Array(width);
  const end = new Uint32Array(width);
  writeWords(address, start);
  for (let i = 0; i < width; i++) {
    const networkBits = Math.min(32, Math.max(0, prefix - 32 * i));
    const hostMask = networkBits === 32 ? 0 : 0xffff_ffff >>> networkBits;
    if ((start[i]! & hostMask) !== 0) return null;
    end[i] = (start[i]! | hostMask) >>> 0;
  }
  return { width, start, end };
}
