import { isIPv4 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrRange, MAX_IP_TEXT_CHARS, parseAddress, writeWords } from './address.js';

function words(text: string): number[] {
  const address = parseAddress(text);
  if (address === null) throw new Error(`test address ${text} does not parse`);
  const out = new Uint32Array(4);
  writeWords(address, out);
  return Array.from(out.subarray(0, address.kind() === 'ipv4' ? 1 : 4));
}

describe('address parsing', () => {
  it('accepts dotted-quad IPv4 and any IPv6 text form', () => {
    expect(parseAddress('192.0.2.1')?.toString()).toBe('192.0.2.1');
    expect(parseAddress('2001:DB8:0:0::1')?.toString()).toBe('2001:db8::1');
  });

  it('turns an IPv4-mapped IPv6 address into IPv4', () => {
    expect(parseAddress('::ffff:192.0.2.1')?.kind()).toBe('ipv4');
    expect(parseAddress('::ffff:c000:201')?.toString()).toBe('192.0.2.1');
  });

  it('refuses the shorthand and octal forms inet_aton would read', () => {
    for (const text of ['127.1', '0x7f.0.0.1', '0177.0.0.1', '3232235777', '192.0.2.1.']) {
      expect(parseAddress(text)).toBeNull();
    }
  });

  it('refuses text that is not an address, and text over the length bound', () => {
    for (const text of ['', 'example.com', '192.0.2.256', '2001:db8::1::2', ' 192.0.2.1']) {
      expect(parseAddress(text)).toBeNull();
    }
    expect(parseAddress(`fe80::1%${'a'.repeat(MAX_IP_TEXT_CHARS)}`)).toBeNull();
  });

  it('writes addresses as big-endian 32-bit words', () => {
    expect(words('192.0.2.1')).toEqual([0xc0000201]);
    expect(words('255.255.255.255')).toEqual([0xffffffff]);
    expect(words('2001:db8::ffff:1')).toEqual([0x20010db8, 0, 0, 0xffff0001]);
  });
});

describe('CIDR ranges', () => {
  it('gives the first and last address of a block', () => {
    const v4 = cidrRange('198.51.100.0/24')!;
    expect([v4.width, v4.start[0], v4.end[0]]).toEqual([1, 0xc6336400, 0xc63364ff]);
    const v6 = cidrRange('2001:db8:8000::/33')!;
    expect(Array.from(v6.start)).toEqual([0x20010db8, 0x80000000, 0, 0]);
    expect(Array.from(v6.end)).toEqual([0x20010db8, 0xffffffff, 0xffffffff, 0xffffffff]);
  });

  it('handles /0 and full-length prefixes', () => {
    expect(Array.from(cidrRange('0.0.0.0/0')!.end)).toEqual([0xffffffff]);
    expect(Array.from(cidrRange('192.0.2.7/32')!.end)).toEqual([0xc0000207]);
    expect(Array.from(cidrRange('2001:db8::1/128')!.end)).toEqual([0x20010db8, 0, 0, 1]);
  });

  it('refuses host bits, bad prefixes and loose IPv4 forms', () => {
    for (const text of ['192.0.2.1/24', '2001:db8::1/64', '192.0.2.0/33', '2001:db8::/129',
      '192.0.2.0', '10.1/16', 'example.com/24', '192.0.2.0/-1']) {
      expect(cidrRange(text)).toBeNull();
    }
  });
});

describe('dotted-quad fast path', () => {
  it('accepts exactly the IPv4 text net.isIP accepts', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String),
      fc.constantFrom('00', '01', '007', '', 'a', '1a', '-1', '255', '256', '0000', ' 1'));
    const text = fc.oneof(
      fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.')),
      fc.string({ maxLength: 20 }));
    fc.assert(fc.property(text, (candidate) => {
      const parsed = parseAddress(candidate);
      if (isIPv4(candidate)) expect(parsed?.toString()).toBe(candidate);
      else if (!candidate.includes(':')) expect(parsed).toBeNull();
    }));
  });
});
