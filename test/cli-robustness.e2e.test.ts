// End to end: the built CLI facing an operator's slips: a mistyped --db, a reader that goes
// away (`| head`), a narrow terminal. Each must end in one line or quietly, never a new
// empty store or a stack trace.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyIocs } from '../src/events/event.js';
import { makeEvent } from '../src/store/fixtures.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { CLI, runCli, tempDir } from './helpers/sensor.js';

const dir = tempDir('mitsu-cli-robustness-');
const db = join(dir, 'mitsu.db');
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
