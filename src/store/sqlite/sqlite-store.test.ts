// Runs the shared store suite on SQLite, then checks what only the SQLite store promises:
// its pragmas, raw payload bytes, schema versions, and read-only use beside a writer.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isMitsuError } from '../../lib/errors.js';
import { describeStoreConformance } from '../conformance.js';
import { makeEvent } from '../fixtures.js';
import { MITSU_APPLICATION_ID, SCHEMA_VERSION } from './schema.js';
import { SqliteStore } from './sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-sqlite-'));
let serial = 0;
const freshPath = (): string => path.join(dir, `store-${(serial += 1)}.db`);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describeStoreConformance('sqlite', () => SqliteStore.open(freshPath()));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isMitsuError(err) ? err.code : `not a MitsuError: ${String(err)}`;
  }
  return undefined;
}

describe('SqliteStore', () => {
  it('marks a new file as a Mitsu store in WAL mode at the current schema version', async () => {
    const file = freshPath();
    await SqliteStore.open(file).close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(MITSU_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('stores the payload as raw bytes, not base64', async () => {
    const file = freshPath();
    const store = SqliteStore.open(file);
    const bytes = Buffer.from([0, 1, 2, 0xff, 0]);
    await store.append([makeEvent(0, {}, bytes)]);
    await store.close();
    const db = new Database(file, { readonly: true });
    const row = db.prepare('SELECT payload, typeof(payload) AS t FROM events').get() as {
      payload: Buffer;
      t: string;
    };
    expect(row.t).toBe('blob');
    expect(row.payload.equals(bytes)).toBe(true);
    db.close();
  });

  it('keeps its events across a close and a reopen', async () => {
    const file = freshPath();
    const ev = makeEvent(10);
    const first = SqliteStore.open(file);
    await first.append([ev]);
    await first.close();
    const again = SqliteStore.open(file);
    expect(await again.count()).toBe(1);
    await again.close();
  });

  it('gives back times and base64 written in a non-canonical form unchanged', async () => {
    const store = SqliteStore.open(freshPath());
    const ev = makeEvent(0, { start: '2024-05-01T00:00:00Z', payload_b64: 'AAE' });
    await store.append([ev]);
    for await (const got of store.scan()) expect(got).toStrictEqual(ev);
    await store.close();
  });

  it('refuses a batch holding an event with an unreadable time, storing none of it', async () => {
    const store = SqliteStore.open(freshPath());
    const batch = [makeEvent(0), makeEvent(1, { start: 'yesterday' })];
    await expect(store.append(batch)).rejects.toMatchObject({ code: 'MITSU_INPUT_INVALID' });
    expect(await store.count()).toBe(0);
    await store.close();
  });

  it('refuses a store written by a newer schema, read-write or read-only', async () => {
    const file = freshPath();
    await SqliteStore.open(file).close();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expect(codeOf(() => SqliteStore.open(file))).toBe('MITSU_STORE_TOO_NEW');
    expect(codeOf(() => SqliteStore.open(file, { readonly: true }))).toBe('MITSU_STORE_TOO_NEW');
  });

  it('opens read-only beside a writer and sees what the writer committed', async () => {
    const file = freshPath();
    const writer = SqliteStore.open(file);
    await writer.append([makeEvent(0)]);
    const reader = SqliteStore.open(file, { readonly: true });
    expect(await reader.count()).toBe(1);
    await writer.append([makeEvent(1)]);
    expect(await reader.count()).toBe(2);
    await expect(reader.append([makeEvent(2)])).rejects.toThrow(/readonly/i);
    await reader.close();
    await writer.close();
  });

  it('says a missing file is unavailable when opened read-only, and creates nothing', () => {
    const file = freshPath();
    expect(codeOf(() => SqliteStore.open(file, { readonly: true }))).toBe(
      'MITSU_STORE_UNAVAILABLE',
    );
    expect(fs.existsSync(file)).toBe(false);
  });

  it('rejects a filter time it cannot read', async () => {
    const store = SqliteStore.open(freshPath());
    await expect(store.count({ since: 'soon' })).rejects.toMatchObject({
      code: 'MITSU_CONFIG_INVALID',
    });
    await store.close();
  });
});
