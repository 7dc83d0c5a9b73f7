// Address to AS number and organisation, from @ip-location-db/asn (RouteViews, the RIRs and
// DB-IP ASN Lite; CC BY 4.0, attribution in README.md). Parsed once from its CSV files, then
// kept in a binary cache keyed by the package version; searched by bisection.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Logger } from '../lib/log.js';
import { writeWords, type Address } from './address.js';
import { readAsnCache, writeAsnCache } from './asn-cache.js';
import { asnUnavailable, readAsnCsv, type AsnArrays, type FamilyArrays } from './asn-csv.js';
import { RangeTable } from './range-table.js';

export const ASN_PACKAGE = '@ip-location-db/asn';

export interface AsnInfo {
  asn: number;
  org: string;
}

export interface AsnOpenOptions {
  /** Folder holding the CSV files; the installed package by default. */
  dir?: string;
  /** Folder for the binary cache, or null for none. */
  cacheDir: string | null;
  log: Logger;
}

interface Family {
  table: RangeTable;
  asns: Uint32Array;
  orgIds: Uint32Array;
}

/** The folder and version of the installed ASN package. */
export function asnPackage(): { dir: string; version: string } {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${ASN_PACKAGE}/package.json`);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { dir: dirname(manifest), version };
  } catch (err) {
    throw asnUnavailable(ASN_PACKAGE, 'package not installed', err);
  }
}

export class AsnDb {
  readonly #v4: Family;
  readonly #v6: Family;
  readonly #orgs: readonly string[];
  readonly #words = new Uint32Array(4);
  /** Where the arrays came from, for the benchmark. */
  readonly source: 'csv' | 'cache';

  private constructor(arrays: AsnArrays, source: 'csv' | 'cache') {
    this.#orgs = arrays.orgs;
    this.#v4 = family(arrays.v4, 1, arrays.orgs.length);
    this.#v6 = family(arrays.v6, 4, arrays.orgs.length);
    this.source = source;
  }

  /**
   * Opens the database: from the cache when it holds this package version, else from the CSV
   * (then writing the cache; a cache that cannot be written is logged once and skipped).
   */
  static open(options: AsnOpenOptions): AsnDb {
    const pkg = options.dir === undefined ? asnPackage() : { dir: options.dir, version: 'local' };
    const cacheFile = options.cacheDir === null || options.dir !== undefined
      ? null
      : join(options.cacheDir, `asn-${pkg.version}.bin`);
    const cached = cacheFile === null ? null : readAsnCache(cacheFile);
    if (cached !== null) {
      try {
        return new AsnDb(cached, 'cache');
      } catch (err) {
        options.log.warn({ err, file: cacheFile }, 'asn cache invalid, rebuilding');
      }
    }
    const arrays = readAsnCsv(pkg.dir);
    const db = AsnDb.#fromCsv(arrays, pkg.dir);
    if (cacheFile !== null) writeCache(cacheFile, arrays, options.log);
    return db;
  }

  static #fromCsv(arrays: AsnArrays, dir: string): AsnDb {
    try {
      return new AsnDb(arrays, 'csv');
    } catch (err) {
      throw asnUnavailable(dir, (err as Error).message, err);
    }
  }

  /** The AS announcing `address`, or null when no row holds it. */
  lookup(address: Address): AsnInfo | null {
    const f = address.kind() === 'ipv4' ? this.#v4 : this.#v6;
    writeWords(address, this.#words);
    const row = f.table.find(this.#words);
    if (row === -1) return null;
    return { asn: f.asns[row]!, org: this.#orgs[f.orgIds[row]!]! };
  }

  /** Row counts and typed-array bytes, for the benchmark. */
  get stats(): { ipv4Rows: number; ipv6Rows: number; orgs: number; arrayBytes: number } {
    const bytes = (f: Family): number =>
      f.table.byteLength + f.asns.byteLength + f.orgIds.byteLength;
    return {
      ipv4Rows: this.#v4.table.size, ipv6Rows: this.#v6.table.size, orgs: this.#orgs.length,
      arrayBytes: bytes(this.#v4) + bytes(this.#v6),
    };
  }
}

/** Checks one family's arrays (sorted, no overlap, organisation indexes in range). */
function family(arrays: FamilyArrays, width: 1 | 4, orgCount: number): Family {
  const table = new RangeTable(width, arrays.starts, arrays.ends, arrays.size);
  for (let row = 0; row < arrays.size; row++) {
    if (arrays.orgIds[row]! >= orgCount) throw new Error(`row ${row} names no organisation`);
  }
  return { table, asns: arrays.asns, orgIds: arrays.orgIds };
}

function writeCache(file: string, arrays: AsnArrays, log: Logger): void {
  try {
    writeAsnCache(file, arrays);
  } catch (err) {
    log.warn({ err, file }, 'asn cache not written, the next start parses the CSV again');
  }
}
