import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { isMitsuError } from '../lib/errors.js';
import { silentLogger, type Logger } from '../lib/log.js';
import { parseAddress } from './address.js';
import { AsnDb, asnPackage } from './asn-db.js';
import { ASN_IPV4_FILE, ASN_IPV6_FILE } from './asn-csv.js';

const root = mkdtempSync(join(tmpdir(), 'mitsu-asn-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const log = silentLogger();

let folders = 0;
/** A database folder holding the given CSV texts (documentation addresses only). */
function csvDir(v4: string, v6 = '42540766411282592856903984951653826560,' +
  '42540766411282592875350729025363378175,64500,IPv6 Doc\n'): string {
  const dir = join(root, `csv-${folders++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, ASN_IPV4_FILE), v4);
  writeFileSync(join(dir, ASN_IPV6_FILE), v6);
  return dir;
}

function lookup(db: AsnDb, ip: string): string | null {
  const info = db.lookup(parseAddress(ip)!);
  return info === null ? null : `AS${info.asn} ${info.org}`;
}

function openError(dir: string): string {
  try {
    AsnDb.open({ dir, cacheDir: null, log });
  } catch (err) {
    if (isMitsuError(err, 'MITSU_ENRICH_UNAVAILABLE')) return err.toLine();
    throw err;
  }
  throw new Error('the database opened');
}

// 192.0.2.0/24 is 3221225984-3221226239; 198.51.100.0/24 is 3325256704-3325256959.
const V4 = '3221225984,3221226111,64496,"Example, Inc."\n' +
  '3221226112,3221226239,64497,"The ""Quoted"" Net"\n' +
  '3325256704,3325256959,64498,Plain Org\n';

describe('ASN database from CSV', () => {
  it('finds the AS and organisation of IPv4 and IPv6 addresses', () => {
    const db = AsnDb.open({ dir: csvDir(V4), cacheDir: null, log });
    expect(lookup(db, '192.0.2.0')).toBe('AS64496 Example, Inc.');
    expect(lookup(db, '192.0.2.200')).toBe('AS64497 The "Quoted" Net');
    expect(lookup(db, '198.51.100.255')).toBe('AS64498 Plain Org');
    expect(lookup(db, '203.0.113.1')).toBeNull();
    expect(lookup(db, '2001:db8::1')).toBe('AS64500 IPv6 Doc');
    expect(lookup(db, '2001:db9::1')).toBeNull();
    expect(db.stats).toMatchObject({ ipv4Rows: 3, ipv6Rows: 1, orgs: 4 });
  });

  it('lets a later overlapping row win where the two overlap, as in the DoD rows', () => {
    const db = AsnDb.open({
      dir: csvDir('3221225984,3221226239,64496,First\n3221226112,3221226300,64497,Second\n'),
      cacheDir: null, log,
    });
    expect(lookup(db, '192.0.2.127')).toBe('AS64496 First');
    expect(lookup(db, '192.0.2.128')).toBe('AS64497 Second');
    expect(lookup(db, '192.0.3.44')).toBe('AS64497 Second');
  });

  it.each([
    ['a row without its organisation', '3221225984,3221226111,64496\n', /malformed row 1/],
    ['a number that is not one', '3221225984,32212261x1,64496,X\n', /malformed row 1/],
    ['an address past 2^32', '3221225984,4294967296,64496,X\n', /malformed row 1/],
    ['rows out of order', '3325256704,3325256959,1,A\n3221225984,3221226111,2,B\n',
      /range 0 ends before it starts|overlaps/],
    ['an empty file', '', /no rows/],
  ])('reports %s in one line with the fix', (_what, v4, expected) => {
    const line = openError(csvDir(v4));
    expect(line).toMatch(expected);
    expect(line).toContain('run `npm ci` to reinstall @ip-location-db/asn');
    expect(line).not.toContain('\n');
  });

  it('reports a missing file in one line', () => {
    expect(openError(join(root, 'nowhere'))).toMatch(/asn-ipv4-num\.csv: ENOENT; run `npm ci`/);
  });
});

// Each CSV parse of the shipped data takes one to three seconds on a busy two-core machine.
describe('ASN binary cache', { timeout: 60_000 }, () => {
  const cacheDir = join(root, 'cache');
  const sample = ['8.8.8.8', '193.0.14.129', '2001:4860:4860::8888', '2001:dc3::35'];
  const first = AsnDb.open({ cacheDir, log });
  const file = join(cacheDir, `asn-${asnPackage().version}.bin`);

  it('is written on the first open and read on the next, with the same answers', () => {
    expect(first.source).toBe('csv');
    const second = AsnDb.open({ cacheDir, log });
    expect(second.source).toBe('cache');
    const { ipv4Rows, ipv6Rows, orgs } = first.stats;
    expect(second.stats).toMatchObject({ ipv4Rows, ipv6Rows, orgs });
    for (const ip of sample) expect(lookup(second, ip)).toBe(lookup(first, ip));
  });

  it('is ignored and rewritten when cut short or foreign', () => {
    truncateSync(file, 1000);
    expect(AsnDb.open({ cacheDir, log }).source).toBe('csv');
    expect(AsnDb.open({ cacheDir, log }).source).toBe('cache');
    const bytes = readFileSync(file);
    bytes.write('NOTMITSU', 0, 'latin1');
    writeFileSync(file, bytes);
    expect(AsnDb.open({ cacheDir, log }).source).toBe('csv');
  });

  it('is rebuilt when its arrays are not sorted', () => {
    const bytes = readFileSync(file);
    bytes.writeUInt32LE(0xffffffff, 28);
    writeFileSync(file, bytes);
    const warn = vi.fn();
    const db = AsnDb.open({ cacheDir, log: { warn } as unknown as Logger });
    expect(db.source).toBe('csv');
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ file }), expect.any(String));
    expect(lookup(db, sample[0]!)).toBe(lookup(first, sample[0]!));
  });

  it('is skipped with a warning when its folder cannot be written', () => {
    const blocked = join(root, 'not-a-folder');
    writeFileSync(blocked, 'a file where the cache folder should be');
    const warn = vi.fn();
    const db = AsnDb.open({ cacheDir: blocked, log: { warn } as unknown as Logger });
    expect(db.source).toBe('csv');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(lookup(db, '8.8.8.8')).toBe('AS15169 Google LLC');
  });
});
