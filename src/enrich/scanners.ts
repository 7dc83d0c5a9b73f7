// Known research scanners, read from a YAML data file (src/enrich/data/scanners.yaml): a source
// is labelled by the range its address falls in, else by the suffix of its PTR name when one is
// given. Labels only: nothing here drops or treats an event differently.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { MitsuError } from '../lib/errors.js';
import { cidrRange, parseAddress, writeWords, type Address, type WordRange } from './address.js';
import { RangeTable } from './range-table.js';

/** The list shipped with Mitsu; the path works from `src/enrich` and `dist/enrich` alike. */
export const BUILTIN_SCANNERS_FILE =
  fileURLToPath(new URL('../../src/enrich/data/scanners.yaml', import.meta.url));

export const MAX_SCANNER_FILE_BYTES = 1024 * 1024;
/** A domain name is at most 253 characters in text form (RFC 1035 section 2.3.4). */
export const MAX_PTR_CHARS = 253;
const MAX_SCANNERS = 1000;
const MAX_ENTRIES_PER_SCANNER = 10_000;
const MAX_NAME_CHARS = 100;

const SUFFIX = /^(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?){2,}$/;

const cidrSchema = z.string().max(64).refine((text) => cidrRange(text) !== null,
  'not a CIDR block with its host bits clear, such as 192.0.2.0/24 or 2001:db8::/32');

const scannerSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'not lowercase letters, digits and -'),
  name: z.string().min(1).max(MAX_NAME_CHARS),
  url: z.url({ protocol: /^https?$/ }),
  ranges: z.array(cidrSchema).max(MAX_ENTRIES_PER_SCANNER),
  ptr_suffixes: z.array(z.string().max(MAX_PTR_CHARS).regex(SUFFIX,
    'not a lowercase domain that starts with a dot, such as .example.com'))
    .max(MAX_ENTRIES_PER_SCANNER),
}).refine((s) => s.ranges.length + s.ptr_suffixes.length > 0,
  'has no range and no PTR suffix to match');

const fileSchema = z.strictObject({
  version: z.literal(1),
  scanners: z.array(scannerSchema).min(1).max(MAX_SCANNERS),
});

export interface ScannerInfo {
  id: string;
  name: string;
  url: string;
}

/** One address family's ranges and, per row, the index of the scanner it belongs to. */
interface Family {
  table: RangeTable;
  owners: Uint32Array;
}

interface Row extends WordRange {
  owner: number;
  cidr: string;
}

function invalid(file: string, what: string, hint: string): MitsuError {
  return new MitsuError('MITSU_CONFIG_INVALID', `scanner list ${file}: ${what}`, hint);
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
    .replace(/^\./, '');
}

function readList(file: string): z.infer<typeof fileSchema> {
  let text: string;
  try {
    const bytes = readFileSync(file);
    if (bytes.length > MAX_SCANNER_FILE_BYTES) {
      throw invalid(file, `larger than ${MAX_SCANNER_FILE_BYTES} bytes`, 'split or trim it');
    }
    text = bytes.toString('utf8');
  } catch (err) {
    if (err instanceof MitsuError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw invalid(file, `cannot be read (${code})`, 'check the scanner list path');
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const line = err.linePos?.[0]?.line;
    throw invalid(file, `not valid YAML${line === undefined ? '' : ` at line ${line}`}`,
      'fix the YAML syntax there');
  }
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw invalid(file, `${keyPath(issue.path) || '(root)'}: ${issue.message}`,
      `fix that entry (${BUILTIN_SCANNERS_FILE} shows the format)`);
  }
  return result.data;
}

function compare(a: Uint32Array, b: Uint32Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Sorts the rows of one family into a table; a range that two entries share is an error. */
function buildFamily(rows: Row[], width: 1 | 4, file: string, names: string[]): Family {
  rows.sort((a, b) => compare(a.start, b.start));
  const starts = new Uint32Array(rows.length * width);
  const ends = new Uint32Array(rows.length * width);
  const owners = new Uint32Array(rows.length);
  rows.forEach((row, i) => {
    const prev = rows[i - 1];
    if (prev !== undefined && compare(prev.end, row.start) >= 0) {
      throw invalid(file, `${prev.cidr} (${names[prev.owner]}) and ${row.cidr} ` +
        `(${names[row.owner]}) overlap`, 'keep only one of them');
    }
    starts.set(row.start, i * width);
    ends.set(row.end, i * width);
    owners[i] = row.owner;
  });
  return { table: new RangeTable(width, starts, ends, rows.length), owners };
}

export class ScannerList {
  readonly scanners: readonly ScannerInfo[];
  readonly #v4: Family;
  readonly #v6: Family;
  readonly #suffixes: ReadonlyMap<string, number>;
  readonly #words = new Uint32Array(4);

  private constructor(scanners: ScannerInfo[], v4: Family, v6: Family,
    suffixes: Map<string, number>) {
    this.scanners = scanners;
    this.#v4 = v4;
    this.#v6 = v6;
    this.#suffixes = suffixes;
  }

  /** Reads and checks `file`; anything wrong is one MITSU_CONFIG_INVALID line. */
  static load(file: string = BUILTIN_SCANNERS_FILE): ScannerList {
    const list = readList(file);
    const scanners: ScannerInfo[] = [];
    const rows: Row[] = [];
    const suffixes = new Map<string, number>();
    for (const [owner, entry] of list.scanners.entries()) {
      if (scanners.some((s) => s.id === entry.id)) {
        throw invalid(file, `scanners[${owner}].id ${entry.id} is used twice`, 'rename one');
      }
      scanners.push({ id: entry.id, name: entry.name, url: entry.url });
      for (const cidr of entry.ranges) rows.push({ ...cidrRange(cidr)!, owner, cidr });
      for (const suffix of entry.ptr_suffixes) {
        if (suffixes.has(suffix)) {
          throw invalid(file, `PTR suffix ${suffix} is listed twice`, 'keep only one of them');
        }
        suffixes.set(suffix, owner);
      }
    }
    const names = scanners.map((s) => s.name);
    const v4 = buildFamily(rows.filter((r) => r.width === 1), 1, file, names);
    const v6 = buildFamily(rows.filter((r) => r.width === 4), 4, file, names);
    return new ScannerList(scanners, v4, v6, suffixes);
  }

  /** The scanner `ip` belongs to by range, else by the suffix of `ptr`, else null. */
  lookup(ip: string | Address, ptr?: string): ScannerInfo | null {
    const address = typeof ip === 'string' ? parseAddress(ip) : ip;
    if (address !== null) {
      const family = address.kind() === 'ipv4' ? this.#v4 : this.#v6;
      writeWords(address, this.#words);
      const row = family.table.find(this.#words);
      if (row !== -1) return this.scanners[family.owners[row]!]!;
    }
    return ptr === undefined ? null : this.#byPtr(ptr);
  }

  /** The longest listed suffix of the PTR name, matched on label boundaries. */
  #byPtr(ptr: string): ScannerInfo | null {
    if (ptr.length === 0 || ptr.length > MAX_PTR_CHARS + 1) return null;
    const lower = ptr.toLowerCase();
    const dotted = `.${lower.endsWith('.') ? lower.slice(0, -1) : lower}`;
    for (let at = 0; at !== -1; at = dotted.indexOf('.', at + 1)) {
      const owner = this.#suffixes.get(dotted.slice(at));
      if (owner !== undefined) return this.scanners[owner]!;
    }
    return null;
  }

  get rangeCount(): number {
    return this.#v4.table.size + this.#v6.table.size;
  }
}
