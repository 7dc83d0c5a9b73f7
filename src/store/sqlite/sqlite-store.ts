// The event store on SQLite (better-sqlite3): one `events` table in a WAL-mode file.
// Writers append batches in one transaction; readers (export, reports) open read-only
// and stream rows with `.iterate()`, so they can run while the sensor writes.

import Database from 'better-sqlite3';
import { MitsuError } from '../../lib/errors.js';
import type { MitsuEvent } from '../../events/event.js';
import type { AnalysisUpdate, EventFilter, EventStore } from '../../events/store.js';
import { normalizeFilter } from '../filter.js';
import { checkBeforeOpen, checkBeforeRead, unavailable } from './open-check.js';
import { whereOf } from './query.js';
import { COLUMNS, eventToRow, rowToEvent, type Row } from './row.js';
import { MIGRATIONS, MITSU_APPLICATION_ID, SCHEMA_VERSION } from './schema.js';

/** How long a connection waits for another process's lock before failing. */
export const BUSY_TIMEOUT_MS = 5_000;

export interface SqliteOpenOptions {
  /** Open for reading only; the file must already be a Mitsu store. */
  readonly?: boolean;
  /** Overrides BUSY_TIMEOUT_MS. */
  busyTimeoutMs?: number;
}

const INSERT_SQL =
  `INSERT OR IGNORE INTO events (${COLUMNS.join(', ')}) ` +
  `VALUES (${COLUMNS.map(() => '?').join(', ')})`;

// The analysis fields with their own columns are set directly; the rest live in extra_json.
const UPDATE_ANALYSIS_SQL = `UPDATE events SET intent = ?, template = ?, country = ?,
  extra_json = json_set(extra_json, '$.tags', json(?), '$.iocs', json(?), '$.asn', ?,
    '$.as_org', ?, '$.src_scope', ?, '$.scanner', ?, '$.rules_version', ?)
  WHERE id = ?`;

function analysisParams(u: AnalysisUpdate): unknown[] {
  return [
    u.intent, u.template, u.country, JSON.stringify(u.tags), JSON.stringify(u.iocs), u.asn,
    u.as_org, u.src_scope, u.scanner, u.rules_version, u.id,
  ];
}

function tooNew(file: string, version: number): MitsuError {
  return new MitsuError(
    'MITSU_STORE_TOO_NEW',
    `the store ${JSON.stringify(file)} has schema version ${version}; ` +
      `this Mitsu knows up to ${SCHEMA_VERSION}`,
    'upgrade Mitsu, or point --db at another file',
  );
}

function migrate(db: Database.Database, file: string): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) throw tooNew(file, version);
  for (const step of MIGRATIONS.slice(version)) {
    if (typeof step === 'string') db.exec(step);
    else step(db);
  }
  db.pragma(`application_id = ${MITSU_APPLICATION_ID}`);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

function checkReadable(db: Database.Database, file: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== MITSU_APPLICATION_ID) {
    throw new MitsuError(
      appId === 0 ? 'MITSU_STORE_UNAVAILABLE' : 'MITSU_STORE_FOREIGN',
      `${JSON.stringify(file)} is not a Mitsu event store`,
      'point --db at the file the sensor writes',
    );
  }
  if (version > SCHEMA_VERSION) throw tooNew(file, version);
  if (version < SCHEMA_VERSION) {
    throw new MitsuError(
      'MITSU_STORE_UNAVAILABLE',
      `the store ${JSON.stringify(file)} has the older schema version ${version}`,
      'start the sensor once with this Mitsu to upgrade it, then read it',
    );
  }
}

function openWritable(file: string, busyMs: number): Database.Database {
  checkBeforeOpen(file);
  const db = new Database(file);
  try {
    db.pragma(`busy_timeout = ${Math.trunc(busyMs)}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.transaction(() => migrate(db, file)).immediate();
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function openReadonly(file: string, busyMs: number): Database.Database {
  checkBeforeRead(file);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma(`busy_timeout = ${Math.trunc(busyMs)}`);
    checkReadable(db, file);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function wrapOpenError(file: string, err: unknown): unknown {
  if (err instanceof MitsuError) return err;
  const code = (err as { code?: string }).code ?? 'error';
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
    return new MitsuError(
      'MITSU_STORE_CORRUPT',
      `${JSON.stringify(file)} is not a readable SQLite database`,
      'point --db at a new file or move this one away',
      { cause: err },
    );
  }
  return unavailable(file, code, err);
}

export class SqliteStore implements EventStore {
  readonly path: string;
  #db: Database.Database;
  #insert: Database.Statement | undefined;
  #appendTx: ((rows: unknown[][]) => void) | undefined;
  #update: Database.Statement | undefined;
  #updateTx: ((updates: readonly AnalysisUpdate[]) => void) | undefined;
  #selects = new Map<string, Database.Statement>();

  private constructor(file: string, db: Database.Database) {
    this.path = file;
    this.#db = db;
  }

  /** Opens (creating and migrating if need be) the store at `file`. Throws MitsuError. */
  static open(file: string, options: SqliteOpenOptions = {}): SqliteStore {
    try {
      const busyMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
      const opener = options.readonly === true ? openReadonly : openWritable;
      const db = opener(file, busyMs);
      return new SqliteStore(file, db);
    } catch (err) {
      throw wrapOpenError(file, err);
    }
  }

  /** Stores a batch in one transaction; the synchronous form the store worker uses. */
  appendSync(events: readonly MitsuEvent[]): void {
    if (events.length === 0) return;
    const rows = events.map(eventToRow);
    this.#appendTx ??= this.#db.transaction((batch: unknown[][]) => {
      this.#insert ??= this.#db.prepare(INSERT_SQL);
      for (const row of batch) this.#insert.run(row);
    });
    this.#appendTx(rows);
  }

  /** Throws "connection is busy" while a scan of this same store is still open. */
  async append(events: readonly MitsuEvent[]): Promise<void> {
    this.appendSync(events);
  }

  /** Rewrites analysis fields in one transaction; the synchronous form. */
  updateAnalysisSync(updates: readonly AnalysisUpdate[]): void {
    if (updates.length === 0) return;
    this.#updateTx ??= this.#db.transaction((batch: readonly AnalysisUpdate[]) => {
      this.#update ??= this.#db.prepare(UPDATE_ANALYSIS_SQL);
      for (const u of batch) this.#update.run(analysisParams(u));
    });
    this.#updateTx(updates);
  }

  async updateAnalysis(updates: readonly AnalysisUpdate[]): Promise<void> {
    this.updateAnalysisSync(updates);
  }

  async *scan(filter?: EventFilter): AsyncIterable<MitsuEvent> {
    const normal = normalizeFilter(filter);
    const { key, where, params } = whereOf(normal);
    const limit = normal.limit === undefined ? '' : 'LIMIT ?';
    const sql = `SELECT * FROM events ${where} ORDER BY start_ms, id ${limit}`;
    const stmt = this.#statement(`scan:${key}:${limit}`, sql);
    const args = normal.limit === undefined ? params : [...params, normal.limit];
    for (const row of stmt.iterate(args)) yield rowToEvent(row as Row);
  }

  async count(filter?: EventFilter): Promise<number> {
    const normal = normalizeFilter(filter);
    const { key, where, params } = whereOf(normal);
    const sql = `SELECT count(*) AS n FROM events ${where}`;
    const n = (this.#statement(`count:${key}`, sql).get(params) as { n: number }).n;
    return normal.limit === undefined ? n : Math.min(n, normal.limit);
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }

  #statement(key: string, sql: string): Database.Statement {
    let stmt = this.#selects.get(key);
    // A statement still iterating for another scan cannot be reused until that scan ends.
    if (stmt?.busy === true) return this.#db.prepare(sql);
    if (stmt === undefined) {
      stmt = this.#db.prepare(sql);
      this.#selects.set(key, stmt);
    }
    return stmt;
  }
}
