// Address to country (ISO 3166-1 alpha-2), from the MMDB of
// @ip-location-db/geo-whois-asn-country-mmdb (geofeeds, then RIR whois, then RIR ASN data;
// attribution in README.md), read with the `maxmind` package. Records are `{ country_code }`.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Reader, type Response } from 'maxmind';
import { MitsuError } from '../lib/errors.js';
import type { Address } from './address.js';

export const COUNTRY_PACKAGE = '@ip-location-db/geo-whois-asn-country-mmdb';
/** The combined IPv4 and IPv6 database of the package. */
export const COUNTRY_FILE = 'geo-whois-asn-country.mmdb';

const COUNTRY_CODE = /^[A-Z]{2}$/;

/** The record shape of this database; maxmind's types only know MaxMind's own shapes. */
interface CountryRecord {
  country_code?: unknown;
}

function unavailable(file: string, why: string, cause?: unknown): MitsuError {
  return new MitsuError('MITSU_ENRICH_UNAVAILABLE', `cannot read country database ${file}: ${why}`,
    `run \`npm ci\` to reinstall ${COUNTRY_PACKAGE}, or disable country lookups`, { cause });
}

/** The installed package's database file. */
export function countryFile(): string {
  try {
    return createRequire(import.meta.url).resolve(`${COUNTRY_PACKAGE}/${COUNTRY_FILE}`);
  } catch (err) {
    throw unavailable(COUNTRY_PACKAGE, 'package not installed', err);
  }
}

export class CountryDb {
  readonly #reader: Reader<Response>;

  private constructor(reader: Reader<Response>) {
    this.#reader = reader;
  }

  /** Reads the whole file (about 8 MB) into memory; a missing or corrupt file is
   * MITSU_ENRICH_UNAVAILABLE. */
  static open(file: string = countryFile()): CountryDb {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (err) {
      throw unavailable(file, (err as NodeJS.ErrnoException).code ?? 'read failed', err);
    }
    try {
      return new CountryDb(new Reader<Response>(bytes));
    } catch (err) {
      throw unavailable(file, `not a MaxMind database (${(err as Error).message})`, err);
    }
  }

  /** The country `address` is registered or geolocated in, or null when the data has none. */
  lookup(address: Address): string | null {
    const record = this.#reader.get(address.toString()) as CountryRecord | null;
    const code = record?.country_code;
    return typeof code === 'string' && COUNTRY_CODE.test(code) ? code : null;
  }
}
