// Tests for the PROXY protocol parser and encoders: real header bytes from the spec's layouts,
// every truncation, hostile lengths, and seeded random inputs that must never make it throw.

import { SocketAddress } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  MAX_PROXY_V1_BYTES,
  MAX_PROXY_V2_BYTES,
  encodeProxyV1,
  encodeProxyV2,
  parseProxyHeader,
  type ProxyParseResult,
} from './proxy-protocol.js';

const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');
const hex = (...parts: string[]): Buffer => Buffer.from(parts.join(''), 'hex');

const V2_SIG = '0d0a0d0a000d0a515549540a';
const V2_TCP4 = hex(V2_SIG, '21', '11', '000c', 'c0000201', 'cb00710a', 'dc04', '01bb');
const V2_UDP6 = hex(
  V2_SIG, '21', '22', '0024',
  '20010db8000000000000000000000001', '20010db8000000010000000000000000', '3039', '0035',
);
const V2_LOCAL = hex(V2_SIG, '20', '00', '0000');
const V2_TCP4_TLVS = hex(
  V2_SIG, '21', '11', '0016', 'c0000201', 'cb00710a', 'dc04', '01bb',
  '04', '0000', // PP2_TYPE_NOOP, empty
  '05', '0004', 'deadbeef', // PP2_TYPE_UNIQUE_ID
);

const V1_TCP4 = ascii('PROXY TCP4 192.0.2.1 203.0.113.10 56324 443\r\n');
const V1_TCP6 = ascii('PROXY TCP6 2001:DB8:0:0:0:0:0:1 2001:0db8::00ff 56324 443\r\n');
const V1_UNKNOWN = ascii('PROXY UNKNOWN\r\n');

function header(result: ProxyParseResult): unknown {
  if (result.kind !== 'header') throw new Error(`expected a header, got ${JSON.stringify(result)}`);
  return { ...result.header, length: result.length };
}

function reason(result: ProxyParseResult): string {
  if (result.kind !== 'malformed') throw new Error(`expected malformed, got ${result.kind}`);
  return result.reason;
}

describe('PROXY v1', () => {
  it('reads a TCP4 line and reports its length, leaving the payload after it', () => {
    const buf = Buffer.concat([V1_TCP4, ascii('GET / HTTP/1.1\r\n')]);
    expect(header(parseProxyHeader(buf))).toEqual({
      version: 1, command: 'proxy', transport: 'tcp',
      srcIp: '192.0.2.1', srcPort: 56324, dstIp: '203.0.113.10', dstPort: 443,
      length: V1_TCP4.length,
    });
  });

  it('reads a TCP6 line and prints the addresses compressed and lowercase', () => {
    expect(header(parseProxyHeader(V1_TCP6))).toMatchObject({
      srcIp: '2001:db8::1', dstIp: '2001:db8::ff', length: V1_TCP6.length,
    });
  });

  it('reads UNKNOWN in its short form and with addresses it ignores', () => {
    expect(header(parseProxyHeader(V1_UNKNOWN))).toEqual({
      version: 1, command: 'unknown', length: 15,
    });
    const full = `${'ffff:'.repeat(7)}ffff`;
    const long = ascii(`PROXY UNKNOWN ${full} ${full} 65535 65535\r\n`);
    expect(long.length).toBe(MAX_PROXY_V1_BYTES);
    expect(header(parseProxyHeader(long))).toMatchObject({ command: 'unknown', length: 107 });
  });

  it('accepts an IPv4-mapped TCP6 address and prints it as Node does', () => {
    const line = ascii('PROXY TCP6 ::ffff:198.51.100.7 ::1 1 2\r\n');
    expect(header(parseProxyHeader(line))).toMatchObject({ srcIp: '::ffff:198.51.100.7' });
  });

  it.each([
    ['PROXY TCP4 192.0.2.01 203.0.113.10 1 2\r\n', 'address'],
    ['PROXY TCP4 192.0.2.256 203.0.113.10 1 2\r\n', 'address'],
    ['PROXY TCP4 2001:db8::1 203.0.113.10 1 2\r\n', 'address'],
    ['PROXY TCP6 192.0.2.1 ::1 1 2\r\n', 'address'],
    ['PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n', 'address'],
    ['PROXY TCP6 1::2::3 ::1 1 2\r\n', 'address'],
    ['PROXY TCP4 192.0.2.1 203.0.113.10 65536 2\r\n', 'port'],
    ['PROXY TCP4 192.0.2.1 203.0.113.10 080 2\r\n', 'port'],
    ['PROXY TCP4 192.0.2.1 203.0.113.10 1\r\n', 'four fields'],
    ['PROXY TCP4  192.0.2.1 203.0.113.10 1 2\r\n', 'four fields'],
    ['PROXY UDP4 192.0.2.1 203.0.113.10 1 2\r\n', 'protocol'],
    ['PROXY TCP4 192.0.2.1 203.0.113.10 1 2\n', 'LF without CR'],
    ['PROXY TCP4 192.0.2.1 203.0.113.10 1 2\rX', 'CR without LF'],
    ['PROXY TCP4 192.0.2.1\x00', 'non-printable'],
  ])('rejects %j', (line, why) => {
    expect(reason(parseProxyHeader(ascii(line)))).toContain(why);
  });

  it('gives up when 107 bytes hold no CRLF, and waits while fewer have arrived', () => {
    const noEnd = ascii(`PROXY UNKNOWN ${'a'.repeat(200)}`);
    expect(parseProxyHeader(noEnd.subarray(0, 106)).kind).toBe('incomplete');
    expect(reason(parseProxyHeader(noEnd.subarray(0, 107)))).toContain('107');
    expect(reason(parseProxyHeader(noEnd))).toContain('107');
    const crLast = Buffer.concat([noEnd.subarray(0, 106), ascii('\r\n')]);
    expect(reason(parseProxyHeader(crLast))).toContain('107');
  });
});

describe('PROXY v2', () => {
  it('reads TCP over IPv4', () => {
    const buf = Buffer.concat([V2_TCP4, ascii('SSH-2.0-Go\r\n')]);
    expect(header(parseProxyHeader(buf))).toEqual({
      version: 2, command: 'proxy', transport: 'tcp',
      srcIp: '192.0.2.1', srcPort: 56324, dstIp: '203.0.113.10', dstPort: 443, length: 28,
    });
  });

  it('reads UDP over IPv6', () => {
    expect(header(parseProxyHeader(V2_UDP6))).toEqual({
      version: 2, command: 'proxy', transport: 'udp',
      srcIp: '2001:db8::1', srcPort: 12345, dstIp: '2001:db8:0:1::', dstPort: 53, length: 52,
    });
  });

  it('reads LOCAL, skipping any address block it carries', () => {
    const local = { version: 2, command: 'local', length: 16 };
    expect(header(parseProxyHeader(V2_LOCAL))).toEqual(local);
    const withBlock = hex(V2_SIG, '20', '11', '000c', 'c0000201cb00710adc0401bb');
    expect(header(parseProxyHeader(withBlock))).toEqual({
      version: 2, command: 'local', length: 28,
    });
  });

  it('skips TLVs after the addresses and counts them in the length', () => {
    expect(header(parseProxyHeader(V2_TCP4_TLVS))).toMatchObject({
      srcIp: '192.0.2.1', dstPort: 443, length: 16 + 0x16,
    });
  });

  it('falls back to the real endpoints for AF_UNSPEC and AF_UNIX', () => {
    const unspec = hex(V2_SIG, '21', '00', '0000');
    const unix = Buffer.concat([hex(V2_SIG, '21', '31', '00d8'), Buffer.alloc(216)]);
    const unknown = { version: 2, command: 'unknown', length: 16 };
    expect(header(parseProxyHeader(unspec))).toEqual(unknown);
    expect(header(parseProxyHeader(unix))).toMatchObject({ command: 'unknown', length: 232 });
  });

  it.each([
    [hex(V2_SIG, '11', '11', '000c', '00'.repeat(12)), 'version'],
    [hex(V2_SIG, '23', '11', '000c', '00'.repeat(12)), 'command'],
    [hex(V2_SIG, '21', '41', '000c', '00'.repeat(12)), 'family'],
    [hex(V2_SIG, '21', '13', '000c', '00'.repeat(12)), 'transport'],
    [hex(V2_SIG, '21', '21', '000c', '00'.repeat(12)), 'shorter'],
    [hex(V2_SIG, '21', '11', '000e', '00'.repeat(12), '0400'), 'cut short'],
    [hex(V2_SIG, '21', '11', '0010', '00'.repeat(12), '040005', '00'), 'runs past'],
  ])('rejects a bad header (%#: %s)', (buf, why) => {
    expect(reason(parseProxyHeader(buf))).toContain(why);
  });

  it('rejects an oversize length from the 16 fixed bytes, without waiting for the rest', () => {
    expect(reason(parseProxyHeader(hex(V2_SIG, '21', '11', 'ffff')))).toContain('longer');
    const justOver = (MAX_PROXY_V2_BYTES - 15).toString(16).padStart(4, '0');
    expect(parseProxyHeader(hex(V2_SIG, '21', '11', justOver)).kind).toBe('malformed');
    const atMax = (MAX_PROXY_V2_BYTES - 16).toString(16).padStart(4, '0');
    expect(parseProxyHeader(hex(V2_SIG, '21', '11', atMax)).kind).toBe('incomplete');
  });
});

describe('signature detection and truncation', () => {
  it.each([
    ['an HTTP request', ascii('GET / HTTP/1.1\r\n')],
    ['a near miss of v1', ascii('PROXX TCP4')],
    ['v1 without its space', ascii('PROXY\r\n')],
    ['v2 with one signature byte changed', hex('0d0a0d0a000d0a515549540b', '2111000c')],
    ['a TLS record', hex('160301')],
  ])('says absent for %s', (_name, buf) => {
    expect(parseProxyHeader(buf).kind).toBe('absent');
  });

  it.each([
    ['v1 TCP4', V1_TCP4],
    ['v1 TCP6', V1_TCP6],
    ['v1 UNKNOWN', V1_UNKNOWN],
    ['v2 TCP4', V2_TCP4],
    ['v2 UDP6', V2_UDP6],
    ['v2 LOCAL', V2_LOCAL],
    ['v2 with TLVs', V2_TCP4_TLVS],
  ])('says incomplete for every proper prefix of %s', (_name, full) => {
    for (let n = 0; n < full.length; n++) {
      expect(parseProxyHeader(full.subarray(0, n)).kind, `prefix of ${n} bytes`).toBe('incomplete');
    }
    expect(parseProxyHeader(full).kind).toBe('header');
  });
});

describe('encoders', () => {
  const tcp4 = { srcIp: '192.0.2.1', srcPort: 56324, dstIp: '203.0.113.10', dstPort: 443 };

  it('write the exact bytes of the spec layouts', () => {
    expect(encodeProxyV1(tcp4)).toEqual(V1_TCP4);
    expect(encodeProxyV1('unknown')).toEqual(V1_UNKNOWN);
    expect(encodeProxyV2(tcp4)).toEqual(V2_TCP4);
    expect(encodeProxyV2('local')).toEqual(V2_LOCAL);
    const udp6 = {
      transport: 'udp' as const, srcIp: '2001:db8::1', srcPort: 12345,
      dstIp: '2001:db8:0:1::', dstPort: 53,
    };
    expect(encodeProxyV2(udp6)).toEqual(V2_UDP6);
    const tlvs = [{ type: 4, value: Buffer.alloc(0) }, { type: 5, value: hex('deadbeef') }];
    expect(encodeProxyV2(tcp4, tlvs)).toEqual(V2_TCP4_TLVS);
  });

  it('refuse mixed families, bad ports, UDP over v1 and oversize headers', () => {
    expect(() => encodeProxyV1({ ...tcp4, dstIp: '::1' })).toThrow(RangeError);
    expect(() => encodeProxyV2({ ...tcp4, srcPort: 70000 })).toThrow(RangeError);
    expect(() => encodeProxyV1({ ...tcp4, transport: 'udp' })).toThrow(RangeError);
    expect(() => encodeProxyV1({ ...tcp4, srcIp: 'example.com' })).toThrow(RangeError);
    const big = [{ type: 0xe0, value: Buffer.alloc(MAX_PROXY_V2_BYTES) }];
    expect(() => encodeProxyV2(tcp4, big)).toThrow(RangeError);
  });
});

// ---- seeded random inputs -------------------------------------------------------------------

/** mulberry32: a small seeded generator so a failure can be replayed from its seed. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(next: () => number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}

function randomIpv6(next: () => number): string {
  const groups: string[] = [];
  // Half the groups zero, so runs of zeros (and their compression) come up often.
  for (let i = 0; i < 8; i++) {
    groups.push(next() < 0.5 ? '0' : Math.floor(next() * 0x10000).toString(16));
  }
  return groups.join(':');
}

function expectWellFormed(result: ProxyParseResult, input: Buffer): void {
  expect(['incomplete', 'absent', 'header', 'malformed']).toContain(result.kind);
  if (result.kind === 'header') {
    expect(result.length).toBeGreaterThan(0);
    expect(result.length).toBeLessThanOrEqual(Math.min(input.length, MAX_PROXY_V2_BYTES));
  }
}

describe('random inputs', () => {
  const SEED = 20261203;
  const seeds = [ascii('PROXY '), hex(V2_SIG), V1_TCP4, V1_TCP6, V2_TCP4, V2_UDP6, V2_TCP4_TLVS];

  it('never throws on random bytes, with or without a signature in front', () => {
    const next = randomSource(SEED);
    for (let round = 0; round < 20_000; round++) {
      const prefix = next() < 0.5 ? seeds[Math.floor(next() * 2)] as Buffer : Buffer.alloc(0);
      const buf = Buffer.concat([prefix, randomBytes(next, Math.floor(next() * 160))]);
      expectWellFormed(parseProxyHeader(buf), buf);
    }
  });

  it('never throws on valid headers with bytes flipped and cut short', () => {
    const next = randomSource(SEED + 1);
    for (let round = 0; round < 20_000; round++) {
      const buf = Buffer.from(seeds[Math.floor(next() * seeds.length)] as Buffer);
      const flips = 1 + Math.floor(next() * 3);
      for (let i = 0; i < flips; i++) {
        buf[Math.floor(next() * buf.length)] = Math.floor(next() * 256);
      }
      const cut = buf.subarray(0, Math.floor(next() * (buf.length + 1)));
      expectWellFormed(parseProxyHeader(cut), cut);
    }
  });

  it('reads back what the encoders write, addresses normalised as Node prints them', () => {
    const next = randomSource(SEED + 2);
    for (let round = 0; round < 2_000; round++) {
      const v6 = next() < 0.5;
      const endpoints = {
        srcIp: v6 ? randomIpv6(next) : Array.from(randomBytes(next, 4)).join('.'),
        dstIp: v6 ? randomIpv6(next) : Array.from(randomBytes(next, 4)).join('.'),
        srcPort: Math.floor(next() * 65536),
        dstPort: Math.floor(next() * 65536),
      };
      const bytes = next() < 0.5 ? encodeProxyV1(endpoints) : encodeProxyV2(endpoints);
      const parsed = parseProxyHeader(bytes);
      expect(header(parsed)).toMatchObject({ command: 'proxy', length: bytes.length });
      if (parsed.kind === 'header' && parsed.header.command === 'proxy') {
        expect(parsed.header.srcPort).toBe(endpoints.srcPort);
        expect(parsed.header.srcIp).toBe(canonicalByNode(endpoints.srcIp));
        expect(parsed.header.dstIp).toBe(canonicalByNode(endpoints.dstIp));
      }
    }
  });
});

/** What Node's socket code (libuv inet_pton then inet_ntop) prints for an address. */
function canonicalByNode(ip: string): string {
  return new SocketAddress({ address: ip, family: ip.includes(':') ? 'ipv6' : 'ipv4' }).address;
}
