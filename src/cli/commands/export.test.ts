// Runs `mitsu export` through commander against a real store: formats, time flags, the
// read-only open, and the MitsuErrors that bad flags raise.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import { FIXTURE_BASE_MS, makeEvent } from '../../store/fixtures.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { parseCliTime, registerExport } from './export.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-export-cmd-'));
const db = path.join(dir, 'mitsu.db');
const DAY_MS = 86_400_000;
const events = [makeEvent(0), makeEvent(DAY_MS), makeEvent(2 * DAY_MS)];

beforeAll(async () => {
  const store = SqliteStore.open(db);
  await store.append(events);
  await store.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const program = new Command('mitsu').exitOverride();
  registerExport(program, () => ({ log: silentLogger(), stdout: out }));
  await program.parseAsync(['export', ...args], { from: 'user' });
  return Buffer.concat(chunks).toString('utf8');
}

describe('mitsu export', () => {
  it('writes every event as JSON lines', async () => {
    const text = await run('--db', db, '--format', 'jsonl');
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toStrictEqual(events);
  });

  it('keeps events from --since up to, not including, --until', async () => {
    const text = await run('--db', db, '--format', 'csv', '--since', '2024-05-02',
      '--until', '2024-05-03T00:00');
    const rows = text.split('\r\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]!.startsWith(`${events[1]!.id},`)).toBe(true);
  });

  it('refuses an unknown or missing --format, naming the formats', async () => {
    await expect(run('--db', db, '--format', 'xml')).rejects.toMatchObject({
      code: 'MITSU_CONFIG_INVALID',
      hint: 'use --format jsonl or --format csv',
    });
    await expect(run('--db', db)).rejects.toMatchObject({ code: 'MITSU_CONFIG_INVALID' });
  });

  it('refuses a --since that is not a date', async () => {
    await expect(run('--db', db, '--format', 'csv', '--since', 'last week')).rejects
      .toMatchObject({ code: 'MITSU_CONFIG_INVALID' });
  });

  it('says a store that does not exist is unavailable, and creates nothing', async () => {
    const missing = path.join(dir, 'nope', 'mitsu.db');
    await expect(run('--db', missing, '--format', 'jsonl')).rejects.toMatchObject({
      code: 'MITSU_STORE_UNAVAILABLE',
    });
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });
});

describe('parseCliTime', () => {
  it('reads a date, or a date and time, without a zone as UTC', () => {
    expect(parseCliTime('--since', '2024-05-01')).toBe(FIXTURE_BASE_MS);
    expect(parseCliTime('--since', '2024-05-01T01:02')).toBe(FIXTURE_BASE_MS + 3_720_000);
    expect(parseCliTime('--since', '2024-05-01 00:00:01.5')).toBe(FIXTURE_BASE_MS + 1_500);
  });

  it('honours an explicit zone', () => {
    expect(parseCliTime('--since', '2024-05-01T09:00:00+09:00')).toBe(FIXTURE_BASE_MS);
    expect(parseCliTime('--since', '2024-04-30T20:00-0400')).toBe(FIXTURE_BASE_MS);
  });

  it('refuses dates that do not exist and text that is not a date', () => {
    for (const bad of ['2024-02-30', '2024-13-01', '2024-05-01T24:00', '1714521600000', '']) {
      expect(() => parseCliTime('--until', bad)).toThrow(/--until/);
    }
  });
});
