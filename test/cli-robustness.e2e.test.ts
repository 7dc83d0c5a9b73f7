// End to end: the built CLI facing an operator's slips: a mistyped --db, a reader that goes
// away (`| head`), a narrow terminal. Each must end in one line or quietly, never a new
// empty store or a stack trace.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { emptyIocs } from '../src/events/event.js';
import { makeEvent } from '../src/store/fixtures.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { runCli, tempDir } from './helpers/sensor.js';

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
