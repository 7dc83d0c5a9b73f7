// A binary copy of the parsed ASN database, so later starts skip the CSV parse (about a
// second) and map the arrays back in tens of milliseconds. The file is a pure cache: any
// file that does not check out is ignored and rewritten from the CSV.
//
// Layout (little-endian): an 8-byte magic, then u32 format, v4 rows, v6 rows, organisation
// count, organisation bytes; then per family starts, ends, AS numbers and organisation
// indexes; then the organisation names, UTF-8, one per line.

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname } from 'node:path';
import type { AsnArrays, FamilyArrays } from './asn-csv.js';

const MAGIC = 'MITSUASN';
/** Bump when the layout changes; old files are then ignored. */
const FORMAT_VERSION = 1;
const HEADER_BYTES = 28;
const WORD_BYTES = 4;
const NEWLINE = '\n';

function familyBytes(rows: number, width: number): number {
  return rows * WORD_BYTES * (2 * width + 2);
}

function section(buf: Buffer, offset: number, words: number): Uint32Array {
  const out = new Uint32Array(words);
  new Uint8Array(out.buffer).set(buf.subarray(offset, offset + words * WORD_BYTES));
  return out;
}

function readFamily(buf: Buffer, offset: number, rows: number, width: number): FamilyArrays {
  const span = rows * width * WORD_BYTES;
  return {
    size: rows,
    starts: section(buf, offset, rows * width),
    ends: section(buf, offset + span, rows * width),
    asns: section(buf, offset + 2 * span, rows),
    orgIds: section(buf, offset + 2 * span + rows * WORD_BYTES, rows),
  };
}

/** The arrays cached in `file`, or null when it is missing, foreign, stale or cut short. */
export function readAsnCache(file: string): AsnArrays | null {
  if (endianness() !== 'LE') return null;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch {
    // No cache yet (or unreadable): the caller parses the CSV instead.
    return null;
  }
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) return null;
  const [format, v4Rows, v6Rows, orgCount, orgBytes] = [8, 12, 16, 20, 24]
    .map((at) => buf.readUInt32LE(at)) as [number, number, number, number, number];
  const v4Bytes = familyBytes(v4Rows, 1);
  const v6Bytes = familyBytes(v6Rows, 4);
  if (format !== FORMAT_VERSION) return null;
  if (buf.length !== HEADER_BYTES + v4Bytes + v6Bytes + orgBytes) return null;
  const orgs = buf.toString('utf8', HEADER_BYTES + v4Bytes + v6Bytes).split(NEWLINE);
  if (orgs.length !== orgCount) return null;
  return {
    v4: readFamily(buf, HEADER_BYTES, v4Rows, 1),
    v6: readFamily(buf, HEADER_BYTES + v4Bytes, v6Rows, 4),
    orgs,
  };
}

function familyParts(f: FamilyArrays, width: number): Uint8Array[] {
  const view = (a: Uint32Array, words: number): Uint8Array =>
    new Uint8Array(a.buffer, a.byteOffset, words * WORD_BYTES);
  return [view(f.starts, f.size * width), view(f.ends, f.size * width), view(f.asns, f.size),
    view(f.orgIds, f.size)];
}

/** Writes `arrays` to `file` through a temporary file and a rename, so no reader sees half a
 * file. Throws the file-system error when the folder cannot be written. */
export function writeAsnCache(file: string, arrays: AsnArrays): void {
  if (endianness() !== 'LE') return;
  const orgs = Buffer.from(arrays.orgs.join(NEWLINE), 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC, 0, 'latin1');
  [FORMAT_VERSION, arrays.v4.size, arrays.v6.size, arrays.orgs.length, orgs.length]
    .forEach((value, i) => header.writeUInt32LE(value, 8 + i * WORD_BYTES));
  const parts = [header, ...familyParts(arrays.v4, 1), ...familyParts(arrays.v6, 4), orgs];
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat(parts));
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
}
