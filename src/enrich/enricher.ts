// Offline enrichment of a source address: its scope, country, AS number and organisation, and
// the research scanner it belongs to. Everything comes from data shipped as npm packages or
// files; nothing is sent anywhere. Results are kept in a bounded LRU cache per address.

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LRUCache } from 'lru-cache';
import { silentLogger, type Logger } from '../lib/log.js';
import { MAX_IP_TEXT_CHARS, parseAddress } from './address.js';
import { AsnDb } from './asn-db.js';
import { CountryDb } from './country-db.js';
import { MAX_PTR_CHARS, ScannerList } from './scanners.js';
import { scopeOf, type SourceScope } from './scope.js';

export const DEFAULT_CACHE_ENTRIES = 65_536;
export const MAX_CACHE_ENTRIES = 10_000_000;

export interface SourceInfo {
  country: string | null;
  asn: number | null;
  as_org: string | null;
  src_scope: SourceScope;
  scanner: string | null;
}

export interface EnricherOptions {
  /** A scanner list to use instead of the shipped one. */
  scannersFile?: string;
  /** Country lookups (default on). */
  geo?: boolean;
  /** AS number and organisation lookups (default on). */
  asn?: boolean;
  /** Addresses whose results are kept (LRU), default DEFAULT_CACHE_ENTRIES. */
  cacheEntries?: number;
  /** Folder of the ASN binary cache (default: see defaultCacheDir); null keeps none. */
  cacheDir?: string | null;
  /** Database locations other than the installed packages (tests, air-gapped copies). */
  countryFile?: string;
  asnDir?: string;
  log?: Logger;
}

/**
 * `node_modules/.cache/mitsu` of this installation: `npm ci` fills it (`build:cache`), so
 * every later start, whatever user the sensor runs as, reads it instead of parsing the CSV.
 * `MITSU_CACHE_DIR` overrides it.
 */
export function defaultCacheDir(): string {
  if (process.env.MITSU_CACHE_DIR) return process.env.MITSU_CACHE_DIR;
  // src/enrich/ and dist/enrich/ are both two levels below the package root.
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return join(root, 'node_modules', '.cache', 'mitsu');
}

const INVALID: SourceInfo = Object.freeze({
  country: null, asn: null, as_org: null, src_scope: 'invalid', scanner: null,
});

export class Enricher {
  #country: CountryDb | null;
  #asn: AsnDb | null;
  readonly #scanners: ScannerList;
  readonly #cache: LRUCache<string, SourceInfo>;
  #closed = false;

  private constructor(country: CountryDb | null, asn: AsnDb | null, scanners: ScannerList,
    cacheEntries: number) {
    this.#country = country;
    this.#asn = asn;
    this.#scanners = scanners;
    this.#cache = new LRUCache({ max: cacheEntries });
  }

  /**
   * Opens the databases and the scanner list. A missing database is one
   * MITSU_ENRICH_UNAVAILABLE line, a bad scanner list one MITSU_CONFIG_INVALID line.
   */
  static open(options: EnricherOptions = {}): Enricher {
    const entries = options.cacheEntries ?? DEFAULT_CACHE_ENTRIES;
    if (!Number.isInteger(entries) || entries < 1 || entries > MAX_CACHE_ENTRIES) {
      throw new RangeError(`cacheEntries must be an integer from 1 to ${MAX_CACHE_ENTRIES}`);
    }
    const scanners = ScannerList.load(options.scannersFile);
    const country = options.geo === false ? null : CountryDb.open(options.countryFile);
    const asn = options.asn === false ? null : AsnDb.open({
      dir: options.asnDir,
      cacheDir: options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir,
      log: options.log ?? silentLogger(),
    });
    return new Enricher(country, asn, scanners, entries);
  }

  /**
   * What is known of `ip` offline. `ptr` is its reverse-DNS name when the caller has one
   * (from imported logs; the sensor does no DNS). Non-public addresses get their scope only.
   */
  lookup(ip: string, ptr?: string): SourceInfo {
    if (this.#closed) throw new Error('Enricher.lookup after close()');
    if (ip.length > MAX_IP_TEXT_CHARS) return INVALID;
    const name = ptr !== undefined && ptr.length <= MAX_PTR_CHARS + 1 ? ptr : undefined;
    const key = name === undefined ? ip : `${ip} ${name}`;
    let info = this.#cache.get(key);
    if (info === undefined) {
      info = this.#resolve(ip, name);
      this.#cache.set(key, info);
    }
    return info;
  }

  #resolve(ip: string, ptr: string | undefined): SourceInfo {
    const address = parseAddress(ip);
    if (address === null) return INVALID;
    const scope = scopeOf(address);
    if (scope !== 'public') return Object.freeze({ ...INVALID, src_scope: scope });
    const as = this.#asn?.lookup(address) ?? null;
    return Object.freeze({
      country: this.#country?.lookup(address) ?? null,
      asn: as?.asn ?? null,
      as_org: as?.org ?? null,
      src_scope: scope,
      scanner: this.#scanners.lookup(address, ptr)?.name ?? null,
    });
  }

  /** Entries now in the LRU cache. */
  get cacheSize(): number {
    return this.#cache.size;
  }

  /** Releases the databases and the cache; the enricher cannot be used afterwards. */
  close(): void {
    this.#closed = true;
    this.#cache.clear();
    this.#country = null;
    this.#asn = null;
  }
}
