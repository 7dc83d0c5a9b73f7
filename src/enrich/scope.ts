// What kind of address a source is (`public`, `private`, `documentation`...), following the IANA
// IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890, updated by RFC 8190):
// https://www.iana.org/assignments/iana-ipv4-special-registry/
// https://www.iana.org/assignments/iana-ipv6-special-registry/

import ipaddr from 'ipaddr.js';
import type { Address } from './address.js';

export type SourceScope =
  | 'public' | 'private' | 'documentation' | 'loopback' | 'link-local' | 'shared'
  | 'multicast' | 'unspecified' | 'benchmark' | 'reserved'
  /** Text that is not an IP address (imported logs may hold anything). */
  | 'invalid';

type Rule = readonly [cidr: string, scope: SourceScope];

// First match wins, so the globally reachable exceptions come before the blocks that hold them.
// `reserved` covers every registry entry that is not globally reachable and has no finer name.
const IPV4_RULES: readonly Rule[] = [
  ['0.0.0.0/32', 'unspecified'], // RFC 1122 3.2.1.3 "this host on this network"
  ['0.0.0.0/8', 'reserved'], // RFC 791 3.2 "this network"
  ['10.0.0.0/8', 'private'], // RFC 1918
  ['100.64.0.0/10', 'shared'], // RFC 6598
  ['127.0.0.0/8', 'loopback'], // RFC 1122 3.2.1.3
  ['169.254.0.0/16', 'link-local'], // RFC 3927
  ['172.16.0.0/12', 'private'], // RFC 1918
  ['192.0.0.9/32', 'public'], // RFC 7723 PCP anycast, globally reachable
  ['192.0.0.10/32', 'public'], // RFC 8155 TURN anycast, globally reachable
  ['192.0.0.0/24', 'reserved'], // RFC 6890 2.1 IETF protocol assignments
  ['192.0.2.0/24', 'documentation'], // RFC 5737 TEST-NET-1
  ['192.88.99.0/24', 'reserved'], // RFC 7526 deprecated 6to4 relay anycast
  ['192.168.0.0/16', 'private'], // RFC 1918
  ['198.18.0.0/15', 'benchmark'], // RFC 2544
  ['198.51.100.0/24', 'documentation'], // RFC 5737 TEST-NET-2
  ['203.0.113.0/24', 'documentation'], // RFC 5737 TEST-NET-3
  ['224.0.0.0/4', 'multicast'], // RFC 5771
  ['240.0.0.0/4', 'reserved'], // RFC 1112 4; holds 255.255.255.255, RFC 919 limited broadcast
];

const IPV6_RULES: readonly Rule[] = [
  ['::/128', 'unspecified'], // RFC 4291 2.5.2
  ['::1/128', 'loopback'], // RFC 4291 2.5.3
  ['64:ff9b::/96', 'public'], // RFC 6052 well-known NAT64 prefix, globally reachable
  ['64:ff9b:1::/48', 'reserved'], // RFC 8215 local-use translation
  ['100::/64', 'reserved'], // RFC 6666 discard-only
  ['100:0:0:1::/64', 'reserved'], // RFC 9780 dummy prefix
  ['2001:1::1/128', 'public'], // RFC 7723 PCP anycast
  ['2001:1::2/128', 'public'], // RFC 8155 TURN anycast
  ['2001:1::3/128', 'public'], // RFC 9665 DNS-SD SRP anycast
  ['2001:2::/48', 'benchmark'], // RFC 5180
  ['2001:3::/32', 'public'], // RFC 7450 AMT
  ['2001:4:112::/48', 'public'], // RFC 7535 AS112-v6
  ['2001:20::/28', 'public'], // RFC 7343 ORCHIDv2
  ['2001:30::/28', 'public'], // RFC 9374 DRIP entity tags
  ['2001::/32', 'public'], // RFC 4380 Teredo: real clients behind NAT
  ['2001::/23', 'reserved'], // RFC 2928 IETF protocol assignments
  ['2001:db8::/32', 'documentation'], // RFC 3849
  ['3fff::/20', 'documentation'], // RFC 9637
  ['5f00::/16', 'reserved'], // RFC 9602 SRv6 SIDs
  ['fc00::/7', 'private'], // RFC 4193 unique local
  ['fe80::/10', 'link-local'], // RFC 4291 2.5.6
  ['ff00::/8', 'multicast'], // RFC 4291 2.7
  ['2000::/3', 'public'], // the only block IANA has allocated for global unicast
];

type Parsed = readonly [range: [Address, number], scope: SourceScope];

const parseRules = (rules: readonly Rule[]): Parsed[] =>
  rules.map(([cidr, scope]) => [ipaddr.parseCIDR(cidr), scope] as const);

const V4 = parseRules(IPV4_RULES);
const V6 = parseRules(IPV6_RULES);

/** The scope of `address`. IPv6 outside 2000::/3 and the blocks above is IANA-reserved. */
export function scopeOf(address: Address): SourceScope {
  const isV4 = address.kind() === 'ipv4';
  for (const [range, scope] of isV4 ? V4 : V6) {
    if (address.match(range)) return scope;
  }
  return isV4 ? 'public' : 'reserved';
}
