// Reads the CSV files of @ip-location-db/asn into typed arrays: IPv4 as one 32-bit word per
// address, IPv6 as four, and per row the AS number and an index into shared organisation names.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MitsuError } from '../lib/errors.js';
import {
  countLines, decimal128Field, decimalField, forEachRow, orgField, type RowSpan,
} from './csv-rows.js';

export const ASN_IPV4_FILE = 'asn-ipv4-num.csv';
/** The numeric IPv6 file holds the same rows as `asn-ipv6.csv`, as 128-bit decimals. */
export const ASN_IPV6_FILE = 'asn-ipv6-num.csv';

const MAX_U32 = 0xffff_ffff;

/** One address family, `size` rows of `width` words each (inclusive start and end). */
export interface FamilyArrays {
  size: number;
  starts: Uint32Array;
  ends: Uint32Array;
  asns: Uint32Array;
  orgIds: Uint32Array;
}

export interface AsnArrays {
  v4: FamilyArrays;
  v6: FamilyArrays;
  orgs: string[];
}

export function asnUnavailable(file: string, why: string, cause?: unknown): MitsuError {
  return new MitsuError('MITSU_ENRICH_UNAVAILABLE', `cannot read ASN database ${file}: ${why}`,
    'run `npm ci` to reinstall @ip-location-db/asn, or disable ASN lookups', { cause });
}

/** Reads both CSV files of `dir`; a missing or malformed file is MITSU_ENRICH_UNAVAILABLE. */
export function readAsnCsv(dir: string): AsnArrays {
  const orgs: string[] = [];
  const orgIndex = new Map<string, number>();
  let last = '';
  let lastId = -1;
  const intern = (org: string): number => {
    // Neighbouring rows often belong to the same organisation: skip the hash lookup then.
    if (org === last) return lastId;
    let id = orgIndex.get(org);
    if (id === undefined) {
      id = orgs.length;
      orgs.push(org);
      orgIndex.set(org, id);
    }
    last = org;
    lastId = id;
    return id;
  };
  const v4 = readFamily(join(dir, ASN_IPV4_FILE), 1, intern);
  const v6 = readFamily(join(dir, ASN_IPV6_FILE), 4, intern);
  return { v4, v6, orgs };
}

/** Typed arrays sized for `rows` rows of `width` words, filled row by row. */
class FamilyBuilder implements FamilyArrays {
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly asns: Uint32Array;
  readonly orgIds: Uint32Array;
  size = 0;

  constructor(readonly width: 1 | 4, rows: number) {
    this.starts = new Uint32Array(rows * width);
    this.ends = new Uint32Array(rows * width);
    this.asns = new Uint32Array(rows);
    this.orgIds = new Uint32Array(rows);
  }

  /**
   * Ends the previous row just before this one when they overlap: the later row wins. The
   * shipped data has one such pair (a DoD range that starts inside the one before it).
   */
  clipPrevious(): void {
    const w = this.width;
    const row = this.size;
    if (row === 0 || compareWords(this.ends, row - 1, this.starts, row, w) < 0) return;
    for (let i = 0; i < w; i++) this.ends[(row - 1) * w + i] = this.starts[row * w + i]!;
    for (let i = w - 1; i >= 0; i--) {
      const at = (row - 1) * w + i;
      const borrow = this.ends[at] === 0;
      this.ends[at] = (this.ends[at]! - 1) >>> 0;
      if (!borrow) break;
    }
  }
}

function compareWords(x: Uint32Array, a: number, y: Uint32Array, b: number, w: number): number {
  for (let i = 0; i < w; i++) {
    const p = x[a * w + i]!;
    const q = y[b * w + i]!;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw asnUnavailable(file, (err as NodeJS.ErrnoException).code ?? 'read failed', err);
  }
}

function readFamily(file: string, width: 1 | 4, intern: (org: string) => number): FamilyArrays {
  const bytes = readBytes(file);
  const builder = new FamilyBuilder(width, countLines(bytes));
  forEachRow(bytes, (row) => {
    if (!addRow(builder, bytes, row)) throw asnUnavailable(file, `malformed row ${row.line}`);
    builder.orgIds[builder.size] = intern(orgField(bytes, row));
    builder.clipPrevious();
    builder.size++;
  });
  if (builder.size === 0) throw asnUnavailable(file, 'no rows');
  return builder;
}

/** Writes the start, end and AS number of `row` at the builder's next row. */
function addRow(b: FamilyBuilder, bytes: Uint8Array, row: RowSpan): boolean {
  if (row.comma3 === -1) return false;
  const asn = decimalField(bytes, row.comma2 + 1, row.comma3, MAX_U32);
  if (asn === -1) return false;
  b.asns[b.size] = asn;
  if (b.width === 4) {
    return decimal128Field(bytes, row.start, row.comma1, b.starts, b.size * 4)
      && decimal128Field(bytes, row.comma1 + 1, row.comma2, b.ends, b.size * 4);
  }
  const start = decimalField(bytes, row.start, row.comma1, MAX_U32);
  const end = decimalField(bytes, row.comma1 + 1, row.comma2, MAX_U32);
  b.starts[b.size] = start;
  b.ends[b.size] = end;
  return start !== -1 && end !== -1;
}
