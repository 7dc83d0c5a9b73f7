import { describe, expect, it } from 'vitest';
import { parseAddress } from './address.js';
import { scopeOf, type SourceScope } from './scope.js';

function scope(text: string): SourceScope {
  const address = parseAddress(text);
  if (address === null) throw new Error(`test address ${text} does not parse`);
  return scopeOf(address);
}

// First and last address of each special-purpose block, and a neighbour outside it where the
// neighbour is public, so an off-by-one in a prefix length shows.
const IPV4: [string, SourceScope][] = [
  ['0.0.0.0', 'unspecified'],
  ['0.0.0.1', 'reserved'], ['0.255.255.255', 'reserved'], ['1.0.0.0', 'public'],
  ['10.0.0.0', 'private'], ['10.255.255.255', 'private'], ['11.0.0.0', 'public'],
  ['100.63.255.255', 'public'], ['100.64.0.0', 'shared'], ['100.127.255.255', 'shared'],
  ['100.128.0.0', 'public'],
  ['127.0.0.1', 'loopback'], ['127.255.255.255', 'loopback'],
  ['169.254.0.0', 'link-local'], ['169.254.255.255', 'link-local'], ['169.255.0.0', 'public'],
  ['172.15.255.255', 'public'], ['172.16.0.0', 'private'], ['172.31.255.255', 'private'],
  ['172.32.0.0', 'public'],
  ['192.0.0.0', 'reserved'], ['192.0.0.8', 'reserved'], ['192.0.0.9', 'public'],
  ['192.0.0.10', 'public'], ['192.0.0.170', 'reserved'], ['192.0.0.255', 'reserved'],
  ['192.0.2.0', 'documentation'], ['192.0.2.255', 'documentation'], ['192.0.3.0', 'public'],
  ['192.88.99.1', 'reserved'],
  ['192.168.0.0', 'private'], ['192.168.255.255', 'private'],
  ['198.17.255.255', 'public'], ['198.18.0.0', 'benchmark'], ['198.19.255.255', 'benchmark'],
  ['198.20.0.0', 'public'],
  ['198.51.100.0', 'documentation'], ['198.51.100.255', 'documentation'],
  ['203.0.113.0', 'documentation'], ['203.0.113.255', 'documentation'],
  ['203.0.114.0', 'public'],
  ['223.255.255.255', 'public'], ['224.0.0.1', 'multicast'], ['239.255.255.255', 'multicast'],
  ['240.0.0.0', 'reserved'], ['255.255.255.255', 'reserved'],
];

const IPV6: [string, SourceScope][] = [
  ['::', 'unspecified'], ['::1', 'loopback'], ['::2', 'reserved'],
  ['64:ff9b::c000:201', 'public'], ['64:ff9b:1::1', 'reserved'],
  ['100::1', 'reserved'], ['100:0:0:1::1', 'reserved'],
  ['2001::1', 'public'], ['2001:1::1', 'public'], ['2001:1::2', 'public'],
  ['2001:1::3', 'public'], ['2001:1::4', 'reserved'],
  ['2001:2::', 'benchmark'], ['2001:2:0:ffff:ffff:ffff:ffff:ffff', 'benchmark'],
  ['2001:2:1::', 'reserved'],
  ['2001:3::1', 'public'], ['2001:4:112::1', 'public'], ['2001:10::1', 'reserved'],
  ['2001:20::1', 'public'], ['2001:30::1', 'public'], ['2001:1ff::1', 'reserved'],
  ['2001:200::1', 'public'],
  ['2001:db8::', 'documentation'], ['2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation'],
  ['2001:db9::', 'public'],
  ['3fff::', 'documentation'], ['3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff', 'documentation'],
  ['3fff:1000::', 'public'],
  ['5f00::1', 'reserved'],
  ['fc00::1', 'private'], ['fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'private'],
  ['fe80::1', 'link-local'], ['febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'link-local'],
  ['fec0::1', 'reserved'],
  ['ff02::1', 'multicast'], ['ff0e::1', 'multicast'],
  ['2606:4700:4700::1111', 'public'], ['4000::1', 'reserved'], ['1::1', 'reserved'],
];

describe('address scope', () => {
  it.each(IPV4)('classifies IPv4 %s as %s', (address, expected) => {
    expect(scope(address)).toBe(expected);
  });

  it.each(IPV6)('classifies IPv6 %s as %s', (address, expected) => {
    expect(scope(address)).toBe(expected);
  });

  it('classifies an IPv4-mapped IPv6 address by its IPv4 address', () => {
    expect(scope('::ffff:192.168.1.1')).toBe('private');
    expect(scope('::ffff:8.8.8.8')).toBe('public');
    expect(scope('::ffff:198.51.100.7')).toBe('documentation');
  });

  it('classifies a link-local address with a zone index', () => {
    expect(scope('fe80::1%eth0')).toBe('link-local');
  });
});
