import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMitsuError } from '../lib/errors.js';
import { MAX_PTR_CHARS, MAX_SCANNER_FILE_BYTES, ScannerList } from './scanners.js';

const dir = mkdtempSync(join(tmpdir(), 'mitsu-scanners-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function listFile(text: string): string {
  const file = join(dir, `list-${files++}.yaml`);
  writeFileSync(file, text);
  return file;
}

// Documentation ranges and example domains only: these are test scanners, not real ones.
const SMALL = `version: 1
scanners:
  - id: alpha
    name: Alpha Research
    url: https://alpha.example.org/
    ranges: [192.0.2.0/25, 2001:db8:a::/48]
    ptr_suffixes: [.scan.example.org]
  - id: beta
    name: Beta Census
    url: https://example.net/
    ranges: [198.51.100.64/26]
    ptr_suffixes: [.example.net, .deep.scan.example.org]
`;

/** The one line an operator sees, or the error when `load` does not fail that way. */
function failure(text: string): string {
  try {
    ScannerList.load(listFile(text));
  } catch (err) {
    if (isMitsuError(err, 'MITSU_CONFIG_INVALID')) return err.toLine();
    throw err;
  }
  throw new Error('the scanner list loaded');
}

describe('scanner list', () => {
  const list = ScannerList.load(listFile(SMALL));

  it('labels addresses by range, at both ends of each range, IPv4 and IPv6', () => {
    expect(list.lookup('192.0.2.0')?.id).toBe('alpha');
    expect(list.lookup('192.0.2.127')?.id).toBe('alpha');
    expect(list.lookup('192.0.2.128')).toBeNull();
    expect(list.lookup('2001:db8:a:ffff::1')?.name).toBe('Alpha Research');
    expect(list.lookup('::ffff:198.51.100.127')?.id).toBe('beta');
    expect(list.lookup('198.51.100.63')).toBeNull();
  });

  it('labels by the PTR suffix on label boundaries when no range matches', () => {
    expect(list.lookup('203.0.113.9', 'host1.scan.example.org')?.id).toBe('alpha');
    expect(list.lookup('203.0.113.9', 'HOST1.Scan.Example.ORG.')?.id).toBe('alpha');
    expect(list.lookup('203.0.113.9', 'scan.example.org')?.id).toBe('alpha');
    expect(list.lookup('203.0.113.9', 'example.net')?.id).toBe('beta');
    expect(list.lookup('203.0.113.9', 'notscan.example.org')).toBeNull();
    expect(list.lookup('203.0.113.9', 'scan.example.org.evil.example.com')).toBeNull();
    expect(list.lookup('203.0.113.9', '')).toBeNull();
  });

  it('prefers the longest listed suffix, and a range over any PTR name', () => {
    expect(list.lookup('203.0.113.9', 'a.deep.scan.example.org')?.id).toBe('beta');
    expect(list.lookup('192.0.2.1', 'x.example.net')?.id).toBe('alpha');
  });

  it('ignores PTR names longer than a domain name can be', () => {
    const long = `${'a.'.repeat(MAX_PTR_CHARS)}example.net`;
    expect(list.lookup('203.0.113.9', long)).toBeNull();
  });

  it('still labels by PTR when the address text is not an address', () => {
    expect(list.lookup('not-an-ip', 'h.example.net')?.id).toBe('beta');
  });
});

describe('shipped scanner list', () => {
  const shipped = ScannerList.load();

  it('loads, with a name and a web address for every scanner', () => {
    expect(shipped.scanners.length).toBeGreaterThanOrEqual(15);
    for (const s of shipped.scanners) expect(s.url).toMatch(/^https?:\/\/\S+$/);
    expect(shipped.rangeCount).toBeGreaterThan(100);
  });

  it('labels published and registered ranges of the well-known scanners', () => {
    expect(shipped.lookup('162.142.125.10')?.id).toBe('censys');
    expect(shipped.lookup('2602:80d:1003::1')?.id).toBe('censys');
    expect(shipped.lookup('184.105.139.70')?.id).toBe('shadowserver');
    expect(shipped.lookup('87.236.176.5')?.id).toBe('driftnet');
    expect(shipped.lookup('205.210.31.20')?.id).toBe('cortex-xpanse');
    expect(shipped.lookup('91.231.89.1')?.id).toBe('onyphe');
    expect(shipped.lookup('45.83.65.1')?.id).toBe('alpha-strike');
    expect(shipped.lookup('85.217.149.64')?.id).toBe('modat');
  });

  it('labels PTR names of scanners that rent their addresses', () => {
    const ptrs: [string, string][] = [
      ['dojo.census.shodan.io', 'shodan'], ['zg-0326a-2.stretchoid.com', 'stretchoid'],
      ['ninja-scanner-7.binaryedge.ninja', 'binaryedge'],
      ['scan-42.security.ipip.net', 'ipip'], ['security.criminalip.com', 'criminalip'],
      ['scanner-05.ch1.censys-scanner.com', 'censys'], ['scan-12.shadowserver.org', 'shadowserver'],
      ['o064.scanner.modat.io', 'modat'], ['a.probe.onyphe.net', 'onyphe'],
    ];
    for (const [ptr, id] of ptrs) expect(shipped.lookup('203.0.113.50', ptr)?.id).toBe(id);
  });
});

describe('scanner list errors', () => {
  const entry = (body: string): string =>
    `version: 1\nscanners:\n  - id: x\n    name: X\n    url: https://example.org/\n${body}`;

  it.each([
    ['a CIDR with host bits set', entry('    ranges: [192.0.2.1/24]\n    ptr_suffixes: []\n'),
      /scanners\[0\]\.ranges\[0\]: not a CIDR block/],
    ['a suffix without its leading dot', entry('    ranges: []\n    ptr_suffixes: [example.org]\n'),
      /ptr_suffixes\[0\]: not a lowercase domain/],
    ['an entry with nothing to match', entry('    ranges: []\n    ptr_suffixes: []\n'),
      /scanners\[0\]: has no range and no PTR suffix/],
    ['an unknown key', entry('    ranges: []\n    ptr_suffixes: [.example.org]\n    asn: 1\n'),
      /scanners\[0\]: Unrecognized key: "asn"/],
    ['a wrong version', 'version: 2\nscanners: []\n', /: version: Invalid input: expected 1/],
    ['invalid YAML', 'version: 1\nscanners: [\n', /not valid YAML at line/],
    ['ranges of two scanners overlapping', `${SMALL}  - id: gamma\n    name: Gamma\n` +
      '    url: https://example.com/\n    ranges: [192.0.2.64/26]\n    ptr_suffixes: []\n',
    /192\.0\.2\.0\/25 \(Alpha Research\) and 192\.0\.2\.64\/26 \(Gamma\) overlap/],
    ['an id used twice', SMALL.replace('id: beta', 'id: alpha'), /id alpha is used twice/],
    ['a suffix listed twice', SMALL.replace('.example.net,', '.scan.example.org,'),
      /suffix \.scan\.example\.org is listed twice/],
  ])('reports %s in one line', (_what, text, expected) => {
    const line = failure(text);
    expect(line).toMatch(expected);
    expect(line).not.toContain('\n');
    expect(line).toMatch(/^mitsu: scanner list .*\(MITSU_CONFIG_INVALID\)$/);
  });

  it('reports a missing or oversized file in one line', () => {
    expect(() => ScannerList.load(join(dir, 'missing.yaml'))).toThrow(/cannot be read \(ENOENT\)/);
    const big = listFile(`# ${'x'.repeat(MAX_SCANNER_FILE_BYTES)}\n`);
    expect(() => ScannerList.load(big)).toThrow(/larger than/);
  });
});
