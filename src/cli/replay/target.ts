// Where each record goes and what PROXY header precedes it. The header announces the record's
// own source (or a documentation address) and its original port, so a sensor listening on an
// offset port still records the port the attacker used.

import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { MitsuError } from '../../lib/errors.js';
import { encodeProxyV1, encodeProxyV2 } from '../../sensor/proxy-protocol.js';
import type { ReplayRecord } from './records.js';

export type ProxyVersionFlag = 'v1' | 'v2';

/** RFC 5737 and RFC 3849 documentation addresses, used when a record names no source. */
export const DEFAULT_SOURCE_IPV4 = '198.51.100.7';
export const DEFAULT_SOURCE_IPV6 = '2001:db8::7';
/** IANA's dynamic port range (RFC 6335), where clients' source ports usually fall. */
const EPHEMERAL_FIRST_PORT = 49_152;
const EPHEMERAL_PORT_COUNT = 16_384;

export interface ResolvedHost {
  address: string;
  family: 4 | 6;
}

/** Resolves the host once, so every record goes to the same address. */
export async function resolveHost(host: string): Promise<ResolvedHost> {
  try {
    const { address, family } = await lookup(host);
    return { address, family: family === 6 ? 6 : 4 };
  } catch (err) {
    throw new MitsuError('MITSU_CONFIG_INVALID', `--host ${host} does not resolve`,
      'give an IP address such as 127.0.0.1 or ::1', { cause: err });
  }
}

/** The port a record is sent to: the override or its own, plus the offset. */
export function targetPort(record: ReplayRecord, port: number | undefined, offset: number): number {
  const target = (port ?? record.port) + offset;
  if (target < 1 || target > 65_535) {
    throw new MitsuError('MITSU_INPUT_INVALID',
      `line ${record.line}: port ${record.port} with --port-offset ${offset} gives ${target}`,
      'choose an offset that keeps every port within 1-65535');
  }
  return target;
}

/** The PROXY header announcing the record's source and original destination port. */
export function proxyHeader(
  record: ReplayRecord,
  host: ResolvedHost,
  version: ProxyVersionFlag,
): Buffer {
  const source = record.srcIp ?? (host.family === 6 ? DEFAULT_SOURCE_IPV6 : DEFAULT_SOURCE_IPV4);
  const [srcIp, dstIp] = sameFamily(source, host.address);
  const endpoints = {
    srcIp,
    srcPort: record.srcPort ?? ephemeralPort(record.id),
    dstIp,
    dstPort: record.port,
  };
  return version === 'v1' ? encodeProxyV1(endpoints) : encodeProxyV2(endpoints);
}

/** A header carries one family: an IPv4 address beside an IPv6 one is written IPv4-mapped. */
function sameFamily(a: string, b: string): [string, string] {
  if (isIPv4(a) === isIPv4(b)) return [a, b];
  return [isIPv4(a) ? `::ffff:${a}` : a, isIPv4(b) ? `::ffff:${b}` : b];
}

/** A stable source port per record id (FNV-1a), so repeated replays announce the same one. */
export function ephemeralPort(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193) >>> 0;
  }
  return EPHEMERAL_FIRST_PORT + (hash % EPHEMERAL_PORT_COUNT);
}
