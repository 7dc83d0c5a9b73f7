// The ClientHello parser and fingerprints on curl 7.88.1's real hello (OpenSSL 3.0), nmap's
// SSLv3 hello, the JA4 spec's own examples, and a fuzz run over mutated fixtures.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { ja3Hash, ja3String, ja4, ja4Digest } from './fingerprint.js';
import { isGrease, parseClientHello, type ClientHello } from './hello.js';

const CURL = readFileSync(new URL('./fixtures/curl-7.88-clienthello.bin', import.meta.url));
const NMAP = corpusBytes('tls-sslv3-clienthello-nmap');

function hello(bytes: Buffer): ClientHello {
  const result = parseClientHello(bytes);
  if (result.kind !== 'message') throw new Error(`not a hello: ${JSON.stringify(result)}`);
  return result.hello;
}

describe('ClientHello parser', () => {
  it('reads SNI, ALPN, versions and lists from curl', () => {
    const h = hello(CURL);
    expect(h).toMatchObject({ version: 0x0303, recordVersion: 0x0301, sni: 'example.com',
      supportedVersions: [0x0304, 0x0303, 0x0302, 0x0301], pointFormats: [0, 1, 2] });
    expect(h.alpn.map(String)).toEqual(['h2', 'http/1.1']);
    expect(h.ciphers).toHaveLength(31);
    expect(parseClientHello(CURL)).toMatchObject({ length: CURL.length });
  });

  it('reads nmap\'s SSLv3 hello, which has no extensions', () => {
    const h = hello(NMAP);
    expect(h).toMatchObject({ version: 0x0300, extensions: [], sni: null });
    expect(h.ciphers).toHaveLength(20);
  });

  it('waits for a hello split across reads and across records', () => {
    expect(parseClientHello(CURL.subarray(0, 100))).toEqual({ kind: 'incomplete' });
    const body = CURL.subarray(5);
    const split = Buffer.concat([Buffer.from([0x16, 3, 1, 0, 100]), body.subarray(0, 100),
      Buffer.from([0x16, 3, 1, (body.length - 100) >> 8, (body.length - 100) & 0xff]),
      body.subarray(100)]);
    expect(hello(split).sni).toBe('example.com');
  });

  it('names an extension whose lengths do not fit', () => {
    const broken = Buffer.from(CURL);
    const sni = broken.indexOf(Buffer.from('example.com'));
    broken[sni - 1] = 0xff;
    expect(parseClientHello(broken)).toEqual({ kind: 'malformed', reason: 'bad_extension' });
  });

  it('knows the sixteen GREASE values', () => {
    const grease = Array.from({ length: 65536 }, (_, v) => v).filter(isGrease);
    expect(grease).toHaveLength(16);
    expect(grease[0]).toBe(0x0a0a);
  });
});

describe('fingerprints', () => {
  it('gives curl 7.88.1 its JA3 and JA4', () => {
    const h = hello(CURL);
    expect(ja3String(h)).toMatch(/^771,4866-4867-4865-/);
    expect(ja3Hash(h)).toBe('0149f47eabf9a20d0893e2a44e5a6323');
    expect(ja4(h)).toBe('t13d3112h2_e8f1e7e78f70_b26ce05bbdd6');
  });

  it('writes SSL 3.0 as s3, no SNI as i, no ALPN as 00', () => {
    expect(ja4(hello(NMAP))).toMatch(/^ts3i200000_[0-9a-f]{12}_000000000000$/);
  });

  it('matches the hashes worked out in the JA4 spec', () => {
    const ciphers = '002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9';
    expect(ja4Digest(ciphers)).toBe('8daaf6152771');
    const exts = '0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01';
    expect(ja4Digest(`${exts}_0403,0804,0401,0503,0805,0501,0806,0601`)).toBe('e5627efa2ab1');
    expect(ja4Digest(exts)).toBe('6d807ffa2a79');
  });

  it('leaves GREASE out and reads a non-alphanumeric ALPN as hex', () => {
    const h = hello(CURL);
    const greased: ClientHello = { ...h, ciphers: [0x1a1a, ...h.ciphers],
      extensions: [0x2a2a, ...h.extensions], alpn: [Buffer.from([0x30, 0xab])] };
    expect(ja4(greased)).toBe(ja4(h).replace('h2', '3b'));
    expect(ja3Hash(greased)).toBe(ja3Hash(h));
  });
});

describe('ClientHello fuzzing', () => {
  const mutated = fc.tuple(fc.constantFrom(CURL, NMAP), fc.array(fc.tuple(fc.nat(),
    fc.integer({ min: 0, max: 255 })), { maxLength: 12 }), fc.nat()).map(([base, flips, cut]) => {
    const copy = Buffer.from(base);
    for (const [at, byte] of flips) copy[at % copy.length] = byte;
    return copy.subarray(0, cut % (copy.length + 1));
  });
  const random = fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.concat([
    Buffer.from([0x16, 0x03, 0x01, a.length >> 8, a.length & 0xff]), Buffer.from(a)]));

  it('never throws, and fingerprints whatever it accepts', () => {
    fc.assert(fc.property(fc.oneof(mutated, random), (buf) => {
      const result = parseClientHello(buf);
      if (result.kind !== 'message') return;
      expect(result.length).toBeLessThanOrEqual(buf.length);
      expect(ja4(result.hello)).toMatch(/^t..[di]\d{4}.._[0-9a-f]{12}_[0-9a-f]{12}$/);
      ja3Hash(result.hello);
    }), { numRuns: 3000 });
  });
});
