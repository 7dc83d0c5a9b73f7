// End to end: the command-line contract. Exit statuses, one-line errors that name the key and
// the fix, and stores that are refused without being touched.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, tempDir } from './helpers/sensor.js';

function startWith(args: string[], yaml?: string) {
  const dir = tempDir();
  const config = join(dir, 'mitsu.yaml');
  writeFileSync(config, yaml ?? 'user: root\n');
  return runCli(['start', '--config', config, '--db', join(dir, 'm.db'), '--listen',
    '127.0.0.1', ...args]);
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  return lines[0] as string;
}

function fingerprint(path: string): string {
  const stat = statSync(path);
  const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
  return `${hash}:${stat.size}:${stat.mtimeMs}`;
}

describe('mitsu command line', () => {
  it('prints help that lists every command and exits 0', () => {
    const out = runCli(['--help']);
    expect(out.code).toBe(0);
    for (const command of ['start', 'export', 'replay', 'firewall']) {
      expect(out.stdout).toContain(command);
    }
  });

  it('exits 2 on an unknown command', () => {
    expect(runCli(['stat']).code).toBe(2);
  });

  it('stops on an unknown config key with one line naming it, exit 2', () => {
    const out = startWith(['--ports', 'tcp:40000'], 'user: root\nconnection:\n  idle_timout: 5\n');
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toMatch(/connection\.idle_timout.*spelling/);
  });

  it('stops on a bad port range with one line naming it, exit 2', () => {
    const out = startWith(['--ports', 'tcp:22,tcp:9000-70000']);
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toContain('"9000-70000" is outside 1-65535');
  });

  it('stops on an unwritable store path with one line naming the fix, exit 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'not a folder');
    const out = runCli(['start', '--db', join(dir, 'file', 'm.db'), '--ports', 'tcp:40001',
      '--listen', '127.0.0.1']);
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toMatch(/cannot open the event store.*store\.path \(--db\)/);
  });

  it('refuses a file that is not SQLite and leaves it untouched', () => {
    const dir = tempDir();
    const db = join(dir, 'm.db');
    writeFileSync(db, 'these are notes, not a database\n'.repeat(10));
    const before = fingerprint(db);
    const out = runCli(['start', '--db', db, '--ports', 'tcp:40002', '--listen', '127.0.0.1']);
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toContain('MITSU_STORE_CORRUPT');
    expect(fingerprint(db)).toBe(before);
    expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`)).toBe(false);
  });

  it('refuses another application\'s SQLite database and leaves it untouched', () => {
    const dir = tempDir();
    const db = join(dir, 'other.db');
    const other = new Database(db);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)');
    other.close();
    const before = fingerprint(db);
    const out = runCli(['export', '--db', db, '--format', 'jsonl']);
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toContain('MITSU_STORE_FOREIGN');
    const start = runCli(['start', '--db', db, '--ports', 'tcp:40003', '--listen', '127.0.0.1']);
    expect(start.code).toBe(2);
    expect(fingerprint(db)).toBe(before);
  });

  it('names a --listen value that is not an address, exit 2', () => {
    const out = startWith(['--ports', 'tcp:40004', '--listen', 'not-an-ip']);
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toMatch(/listen\[0\].*command-line flags.*IP address/);
  });

  it('stops with one line when no listener at all can be opened, exit 2', () => {
    // 192.0.2.99 is a documentation address: no interface here has it, so nothing binds.
    const out = startWith(['--ports', 'tcp:40005', '--listen', '192.0.2.99']);
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toMatch(/no listener could be opened on 192\.0\.2\.99/);
  });

  it.skipIf(process.getuid?.() !== 0)('refuses a user it cannot switch to before binding ' +
    'anything, exit 2 (needs root)', () => {
    const out = startWith(['--ports', 'tcp:40006'], 'user: mitsu-no-such-user\n');
    expect(out.code).toBe(2);
    expect(oneErrorLine(out.stderr)).toMatch(/config key user: user "mitsu-no-such-user"/);
  });

  it('says in one line that a tiny open-file limit is too low, exit 1', () => {
    const dir = tempDir();
    const out = spawnSync('prlimit', ['--nofile=100:100', '--', process.execPath, CLI, 'start',
      '--db', join(dir, 'm.db'), '--ports', 'tcp:40007', '--listen', '127.0.0.1'],
    { encoding: 'utf8', timeout: 60_000 });
    expect(out.status).toBe(1);
    expect(oneErrorLine(out.stderr)).toMatch(/open-file limit is 100.*MITSU_RESOURCE_LIMIT/);
  });
});
