// Address helpers: one canonical text form for every IP address Mitsu records.

import { isIPv6 } from 'node:net';

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) becomes `192.0.2.1`. */
export function canonicalIp(address: string | undefined): string {
  if (address === undefined) return '';
  if (address.startsWith('::ffff:') && address.includes('.')) return address.slice(7);
  return isIPv6(address) ? address.toLowerCase() : address;
}
