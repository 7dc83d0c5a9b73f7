// Looks at a store path before SQLite opens it read-write, and refuses files that are not
// Mitsu stores, without changing them: no write, no journal, no -wal or -shm file left behind.
// File format facts cite https://www.sqlite.org/fileformat2.html (sections 1.3 and 1.6).

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MitsuError } from '../../lib/errors.js';
import { MITSU_APPLICATION_ID } from './schema.js';

/** The database header (100 bytes) plus the b-tree page header of page 1 that follows it. */
const HEADER_READ_BYTES = 108;
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const MOVE_HINT = 'point --db at a new file or move this one away; Mitsu will not change it';

interface Inspection {
  applicationId: number;
  hasTables: boolean;
}

export function unavailable(file: string, why: string, cause?: unknown): MitsuError {
  return new MitsuError(
    'MITSU_STORE_UNAVAILABLE',
    `cannot open the event store ${JSON.stringify(file)}: ${why}`,
    'check that the path is right and that its directory exists and is writable',
    { cause },
  );
}

function corrupt(file: string, why: string, cause?: unknown): MitsuError {
  const msg = `${JSON.stringify(file)} is not a readable SQLite database: ${why}`;
  return new MitsuError('MITSU_STORE_CORRUPT', msg, MOVE_HINT, { cause });
}

function foreign(file: string, why: string): MitsuError {
  const msg = `${JSON.stringify(file)} belongs to another application: ${why}`;
  return new MitsuError('MITSU_STORE_FOREIGN', msg, MOVE_HINT);
}

function readHeader(file: string): Buffer {
  const buf = Buffer.alloc(HEADER_READ_BYTES);
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw unavailable(file, (err as NodeJS.ErrnoException).code ?? 'unreadable', err);
  }
  try {
    return buf.subarray(0, fs.readSync(fd, buf, 0, HEADER_READ_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * A WAL-mode file with no -wal beside it holds its whole content, so the header decides; a
 * SQLite connection would create -wal and -shm files even when opened read-only.
 */
function inspectHeader(header: Buffer): Inspection {
  const pageType = header[100];
  const cells = header.readUInt16BE(103);
  return {
    applicationId: header.readInt32BE(68),
    hasTables: pageType !== 0x0d || cells > 0,
  };
}

function inspectWithSqlite(file: string): Inspection {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    const row = db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'").get();
    return { applicationId, hasTables: (row as { n: number }).n > 0 };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw corrupt(file, 'SQLite cannot read it', err);
    }
    throw unavailable(file, code ?? 'unreadable', err);
  } finally {
    db?.close();
  }
}

function inspect(file: string): Inspection {
  const header = readHeader(file);
  if (header.length < HEADER_READ_BYTES || !header.subarray(0, 16).equals(SQLITE_MAGIC)) {
    throw corrupt(file, 'it does not start with the SQLite header');
  }
  const walMode = header[18] === 2 || header[19] === 2;
  if (walMode && !fs.existsSync(`${file}-wal`)) return inspectHeader(header);
  return inspectWithSqlite(file);
}

function ensureDirectory(file: string): void {
  const dir = path.dirname(file);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw unavailable(file, `its directory cannot be created or written (${code})`, err);
  }
}

function judge(file: string, found: Inspection): void {
  if (found.applicationId === MITSU_APPLICATION_ID) return;
  if (found.applicationId !== 0) {
    throw foreign(file, `its application id is ${found.applicationId}, not Mitsu's`);
  }
  if (found.hasTables) throw foreign(file, 'it holds tables but no Mitsu application id');
}

/**
 * Makes sure `file` can be opened read-write as a Mitsu store: creates a missing parent
 * directory, and throws MITSU_STORE_CORRUPT or MITSU_STORE_FOREIGN for a file Mitsu must
 * not touch, MITSU_STORE_UNAVAILABLE for a path it cannot use.
 */
export function checkBeforeOpen(file: string): void {
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw unavailable(file, (err as NodeJS.ErrnoException).code ?? 'unreadable', err);
    }
  }
  ensureDirectory(file);
  if (stat === undefined || stat.size === 0) {
    if (stat?.isFile() === false) throw unavailable(file, 'it is not a regular file');
    return;
  }
  if (!stat.isFile()) throw unavailable(file, 'it is not a regular file');
  judge(file, inspect(file));
}

function noStore(file: string, why: string): MitsuError {
  return new MitsuError(
    'MITSU_STORE_UNAVAILABLE',
    `no event store at ${JSON.stringify(file)}: ${why}`,
    'check --db; the sensor creates the store when it first starts',
  );
}

/** The same refusals before a read-only open, which must find a Mitsu store already there. */
export function checkBeforeRead(file: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw code === 'ENOENT' ? noStore(file, 'the file does not exist') : unavailable(file, code);
  }
  if (!stat.isFile()) throw unavailable(file, 'it is not a regular file');
  if (stat.size === 0) throw noStore(file, 'the file is empty');
  const found = inspect(file);
  if (found.applicationId === 0 && !found.hasTables) throw noStore(file, 'the database is empty');
  judge(file, found);
}
