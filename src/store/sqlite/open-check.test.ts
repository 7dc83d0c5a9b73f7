// Proves that opening a store refuses files that are not Mitsu's without touching them:
// same bytes, same mtime, and no -wal or -shm file appears beside them.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { MitsuError } from '../../lib/errors.js';
import { SqliteStore } from './sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-open-'));
let serial = 0;
const freshPath = (): string => path.join(dir, `file-${(serial += 1)}.db`);
const OLD_MTIME = new Date('2020-01-02T03:04:05Z');

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function refusal(file: string, readonly = false): MitsuError {
  try {
    void SqliteStore.open(file, { readonly }).close();
  } catch (err) {
    if (err instanceof MitsuError) return err;
    throw err;
  }
  throw new Error('the store opened');
}

/** Opens `file` expecting `code`, and checks the file was left exactly as it was. */
function expectRefusedUntouched(file: string, code: string, readonly = false): MitsuError {
  fs.utimesSync(file, OLD_MTIME, OLD_MTIME);
  const bytes = fs.readFileSync(file);
  const err = refusal(file, readonly);
  expect(err.code).toBe(code);
  expect(fs.readFileSync(file).equals(bytes)).toBe(true);
  expect(fs.statSync(file).mtimeMs).toBe(OLD_MTIME.getTime());
  expect(fs.existsSync(`${file}-wal`)).toBe(false);
  expect(fs.existsSync(`${file}-shm`)).toBe(false);
  expect(fs.existsSync(`${file}-journal`)).toBe(false);
  return err;
}

function foreignDb(file: string, setup: string, wal = false): string {
  const db = new Database(file);
  if (wal) db.pragma('journal_mode = WAL');
  db.exec(setup);
  db.close();
  return file;
}

describe('opening a store read-write', () => {
  it('refuses a text file as corrupt, with a hint to use another file', () => {
    const file = freshPath();
    fs.writeFileSync(file, 'user,password\nroot,hunter2\n');
    const err = expectRefusedUntouched(file, 'MITSU_STORE_CORRUPT');
    expect(err.hint).toMatch(/--db at a new file or move this one away/);
  });

  it('refuses a SQLite file cut short inside its header as corrupt', () => {
    const file = freshPath();
    const whole = fs.readFileSync(foreignDb(freshPath(), 'CREATE TABLE t (a)'));
    fs.writeFileSync(file, whole.subarray(0, 60));
    expectRefusedUntouched(file, 'MITSU_STORE_CORRUPT');
  });

  it('refuses another application\'s SQLite database that has tables', () => {
    const setup = 'CREATE TABLE users (name TEXT); INSERT INTO users VALUES (1)';
    const file = foreignDb(freshPath(), setup);
    const err = expectRefusedUntouched(file, 'MITSU_STORE_FOREIGN');
    expect(err.message).toContain(file);
  });

  it('refuses another application\'s database in WAL mode without creating -wal or -shm', () => {
    const file = foreignDb(freshPath(), 'CREATE TABLE notes (body TEXT)', true);
    expectRefusedUntouched(file, 'MITSU_STORE_FOREIGN');
  });

  it('refuses a database marked with another application id, even with no tables', () => {
    const file = foreignDb(freshPath(), 'PRAGMA application_id = 1234');
    expectRefusedUntouched(file, 'MITSU_STORE_FOREIGN');
  });

  it('takes an empty file, or an empty SQLite database, as a new store', async () => {
    const empty = freshPath();
    fs.writeFileSync(empty, '');
    await SqliteStore.open(empty).close();
    const blank = foreignDb(freshPath(), 'PRAGMA user_version = 0');
    await SqliteStore.open(blank).close();
  });

  it('creates a missing parent directory', async () => {
    const file = path.join(dir, 'deep', 'er', 'mitsu.db');
    await SqliteStore.open(file).close();
    expect(fs.existsSync(file)).toBe(true);
  });

  it('names the path when its directory cannot be created', () => {
    const blocker = freshPath();
    fs.writeFileSync(blocker, 'a file where a directory should be');
    const file = path.join(blocker, 'mitsu.db');
    const err = refusal(file);
    expect(err.code).toBe('MITSU_STORE_UNAVAILABLE');
    expect(err.message).toContain(file);
  });

  it('says a directory given as the store path is unavailable', () => {
    const file = path.join(dir, 'a-directory');
    fs.mkdirSync(file);
    expect(refusal(file).code).toBe('MITSU_STORE_UNAVAILABLE');
  });

  it('reopens a store written by Mitsu, after a clean close', async () => {
    const file = freshPath();
    await SqliteStore.open(file).close();
    await SqliteStore.open(file).close();
  });
});

describe('opening a store read-only', () => {
  it('refuses another application\'s WAL-mode database without creating -wal or -shm', () => {
    const file = foreignDb(freshPath(), 'CREATE TABLE notes (body TEXT)', true);
    expectRefusedUntouched(file, 'MITSU_STORE_FOREIGN', true);
  });

  it('refuses a text file as corrupt without touching it', () => {
    const file = freshPath();
    fs.writeFileSync(file, 'not a database');
    expectRefusedUntouched(file, 'MITSU_STORE_CORRUPT', true);
  });

  it('says an empty file holds no store', () => {
    const file = freshPath();
    fs.writeFileSync(file, '');
    expectRefusedUntouched(file, 'MITSU_STORE_UNAVAILABLE', true);
  });
});
