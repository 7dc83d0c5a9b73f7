// End to end: `node bin/mitsu.js export` against real store files. Output that parses back to
// the stored events, reading beside a live writer, `| head` ending quietly, and refusals.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { makeEvent } from '../src/store/fixtures.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { CLI, runCli, tempDir } from './helpers/sensor.js';

const dir = tempDir('mitsu-export-e2e-');
const db = join(dir, 'mitsu.db');
const MANY = 20_000;
let events: MitsuEvent[];
let writer: SqliteStore;

beforeAll(async () => {
  events = Array.from({ length: MANY }, (_, i) =>
    makeEvent(i * 10, { fields: { n: i, note: 'ü,"x"' } }, Buffer.from([0, 0xff, i % 256])));
  // The writer stays open for the whole file: every export here runs beside a live writer.
  writer = SqliteStore.open(db);
  await writer.append(events);
});
afterAll(() => writer.close());

describe('mitsu export', () => {
  it('prints every event as JSON lines identical to what was stored', () => {
    const out = runCli(['export', '--db', db, '--format', 'jsonl']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(MANY);
    expect(JSON.parse(lines[7]!)).toStrictEqual(events[7]);
    expect(lines[MANY - 1]).toBe(JSON.stringify(events[MANY - 1]));
  });

  it('prints CSV for a time window, and sees events the writer adds meanwhile', async () => {
    const late = makeEvent(MANY * 10 + 5);
    await writer.append([late]);
    const out = runCli(['export', '--db', db, '--format', 'csv', '--since', late.start]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const rows = out.stdout.split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.startsWith(`${late.id},connection.closed,`)).toBe(true);
  });

  it('stops quietly when its reader goes away, as in `mitsu export | head -n 1`', () => {
    const script = `set -o pipefail; node "${CLI}" export --db "${db}" --format jsonl | head -n 1`;
    const out = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toStrictEqual(events[0]);
  });

  it('exits 2 naming the fix for a bad --format or --until', () => {
    const format = runCli(['export', '--db', db, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/use --format jsonl or --format csv \(MITSU_CONFIG_INVALID\)/);
    const until = runCli(['export', '--db', db, '--format', 'csv', '--until', '31/12/2024']);
    expect(until.code).toBe(2);
    expect(until.stderr).toMatch(/--until .*MITSU_CONFIG_INVALID/);
  });

  it('refuses another application\'s database without touching it', () => {
    const file = join(dir, 'other.db');
    const other = new Database(file);
    other.pragma('journal_mode = WAL');
    other.exec('CREATE TABLE accounts (name TEXT)');
    other.close();
    const before = { bytes: readFileSync(file), mtime: statSync(file).mtimeMs };
    const out = runCli(['export', '--db', file, '--format', 'jsonl']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('MITSU_STORE_FOREIGN');
    expect(readFileSync(file).equals(before.bytes)).toBe(true);
    expect(statSync(file).mtimeMs).toBe(before.mtime);
    expect(existsSync(`${file}-wal`) || existsSync(`${file}-shm`)).toBe(false);
  });

  it('exits 1 when the store does not exist, creating nothing', () => {
    const file = join(dir, 'missing', 'mitsu.db');
    const out = runCli(['export', '--db', file, '--format', 'jsonl']);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain('MITSU_STORE_UNAVAILABLE');
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('refuses a text file as corrupt', () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'hello\n');
    const out = runCli(['export', '--db', file, '--format', 'csv']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('MITSU_STORE_CORRUPT');
  });
});
