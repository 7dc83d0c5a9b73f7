import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMitsuError, type ErrorCode } from '../lib/errors.js';
import { Enricher, type EnricherOptions, type SourceInfo } from './enricher.js';
import type { SourceScope } from './scope.js';

const root = mkdtempSync(join(tmpdir(), 'mitsu-enricher-'));
const cacheDir = join(root, 'cache');
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Well-known public addresses (resolvers and root servers), checked by hand against the data
// this Mitsu ships; lookups only, nothing is sent to them. Country is left out where the
// registration says little about the service (9.9.9.9 sits in a block IBM registered).
const WELL_KNOWN: [ip: string, country: string | null, asn: number, org: RegExp][] = [
  ['8.8.8.8', 'US', 15169, /^Google LLC$/],
  ['1.1.1.1', 'AU', 13335, /^Cloudflare, Inc\.$/],
  ['9.9.9.9', null, 19281, /^Quad9$/],
  ['208.67.222.222', 'US', 36692, /OpenDNS/],
  ['193.0.14.129', 'NL', 25152, /\(RIPE NCC\)$/], // k.root-servers.net
  ['202.12.27.33', 'JP', 7500, /^WIDE Project$/], // m.root-servers.net
  ['199.7.83.42', 'US', 20144, /^ICANN$/], // l.root-servers.net
  ['192.5.5.241', 'US', 3557, /^Internet Systems Consortium/], // f.root-servers.net
  ['200.160.0.10', 'BR', 22548, /NIC\.BR$/], // a.dns.br
  ['2001:4860:4860::8888', 'US', 15169, /^Google LLC$/],
  ['2606:4700:4700::1111', 'US', 13335, /^Cloudflare, Inc\.$/],
  ['2001:7fd::1', 'NL', 25152, /\(RIPE NCC\)$/], // k.root-servers.net
];

const NOT_PUBLIC: [string, SourceScope][] = [
  ['10.1.2.3', 'private'], ['fd00::1', 'private'], ['2001:db8::1', 'documentation'],
  ['203.0.113.9', 'documentation'], ['127.0.0.1', 'loopback'], ['::1', 'loopback'],
  ['100.64.0.1', 'shared'], ['198.18.0.1', 'benchmark'], ['224.0.0.251', 'multicast'],
  ['0.0.0.0', 'unspecified'], ['240.0.0.1', 'reserved'], ['fe80::1', 'link-local'],
];

function openError(options: EnricherOptions, code: ErrorCode): string {
  try {
    Enricher.open({ cacheDir, ...options });
  } catch (err) {
    if (isMitsuError(err, code)) return err.toLine();
    throw err;
  }
  throw new Error('the enricher opened');
}

describe('Enricher with the shipped databases', () => {
  let enricher: Enricher;
  // The first open parses the ASN CSV (one to three seconds on a busy machine).
  beforeAll(() => {
    enricher = Enricher.open({ cacheDir });
  }, 60_000);
  afterAll(() => enricher.close());

  it.each(WELL_KNOWN)('knows %s: country %s, AS%i', (ip, country, asn, org) => {
    const info = enricher.lookup(ip);
    expect(info).toMatchObject({ asn, src_scope: 'public', scanner: null });
    expect(info.as_org).toMatch(org);
    if (country !== null) expect(info.country).toBe(country);
  });

  it.each(NOT_PUBLIC)('gives %s its scope (%s) and no country or AS', (ip, scope) => {
    expect(enricher.lookup(ip, 'host.census.shodan.io')).toEqual({
      country: null, asn: null, as_org: null, src_scope: scope, scanner: null,
    } satisfies SourceInfo);
  });

  it('looks up an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(enricher.lookup('::ffff:8.8.8.8')).toEqual(enricher.lookup('8.8.8.8'));
  });

  it('labels research scanners by range and by PTR name, keeping country and AS', () => {
    expect(enricher.lookup('162.142.125.10')).toMatchObject({
      scanner: 'Censys', asn: 398324, as_org: 'Censys, Inc.', country: 'US',
    });
    expect(enricher.lookup('8.8.4.4', 'dojo.census.shodan.io').scanner).toBe('Shodan');
    expect(enricher.lookup('8.8.4.4').scanner).toBeNull();
  });

  it('marks text that is not an address as invalid', () => {
    for (const text of ['', 'example.com', '127.1', '8.8.8.8 ', 'x'.repeat(10_000)]) {
      expect(enricher.lookup(text)).toEqual({
        country: null, asn: null, as_org: null, src_scope: 'invalid', scanner: null,
      });
    }
  });
});

describe('Enricher options and bounds', () => {
  const light = { geo: false, asn: false, cacheDir: null } as const;

  it('keeps at most cacheEntries addresses, dropping the least recently used', () => {
    const e = Enricher.open({ ...light, cacheEntries: 3 });
    const a = e.lookup('162.142.125.1');
    const b = e.lookup('162.142.125.2');
    e.lookup('162.142.125.3');
    expect(e.lookup('162.142.125.1')).toBe(a);
    e.lookup('162.142.125.4');
    expect(e.cacheSize).toBe(3);
    expect(e.lookup('162.142.125.1')).toBe(a);
    const again = e.lookup('162.142.125.2');
    expect(again).not.toBe(b);
    expect(again).toEqual(b);
    for (let i = 0; i < 50; i++) e.lookup(`198.51.100.${i}`);
    expect(e.cacheSize).toBe(3);
  });

  it('skips the lookups that are switched off', () => {
    const e = Enricher.open({ ...light });
    expect(e.lookup('162.142.125.1')).toEqual({
      country: null, asn: null, as_org: null, src_scope: 'public', scanner: 'Censys',
    });
    const geoOnly = Enricher.open({ asn: false, cacheDir: null });
    expect(geoOnly.lookup('202.12.27.33')).toMatchObject({ country: 'JP', asn: null });
  });

  it('refuses a cache bound that is not a positive integer', () => {
    expect(() => Enricher.open({ ...light, cacheEntries: 0 })).toThrow(RangeError);
    expect(() => Enricher.open({ ...light, cacheEntries: 1.5 })).toThrow(RangeError);
  });

  it('cannot be used after close', () => {
    const e = Enricher.open({ ...light });
    e.close();
    expect(() => e.lookup('192.0.2.1')).toThrow(/after close/);
  });

  it('reports missing databases in one line that says to run npm ci', () => {
    const country = openError({ countryFile: join(root, 'none.mmdb'), asn: false },
      'MITSU_ENRICH_UNAVAILABLE');
    expect(country).toMatch(/^mitsu: cannot read country database .*none\.mmdb: ENOENT; run `npm ci`/);
    const asn = openError({ asnDir: join(root, 'none'), geo: false }, 'MITSU_ENRICH_UNAVAILABLE');
    expect(asn).toMatch(/^mitsu: cannot read ASN database .*: ENOENT; run `npm ci`/);
  });

  it('reports a file that is not an MMDB database in one line', () => {
    const file = join(root, 'bad.mmdb');
    writeFileSync(file, 'not a MaxMind database at all');
    const line = openError({ countryFile: file, asn: false }, 'MITSU_ENRICH_UNAVAILABLE');
    expect(line).toMatch(/bad\.mmdb: not a MaxMind database/);
    expect(line).not.toContain('\n');
  });

  it('reports a bad scanner list in one line', () => {
    const file = join(root, 'scanners.yaml');
    writeFileSync(file, 'version: 1\nscanners:\n  - id: Bad Id\n');
    const line = openError({ ...light, scannersFile: file }, 'MITSU_CONFIG_INVALID');
    expect(line).toMatch(/^mitsu: scanner list .*scanners\.yaml: scanners\[0\]\.id: /);
    expect(line).not.toContain('\n');
  });
});
