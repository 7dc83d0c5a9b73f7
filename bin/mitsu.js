#!/usr/bin/env node
// Entry point of the `mitsu` command: checks the one limit that would stop Node from even
// loading Mitsu, then runs the compiled CLI from dist/.
import { readFileSync } from 'node:fs';

/** Loading Mitsu opens many module files at once; below this Node fails with EMFILE. */
const MIN_OPEN_FILES = 256;

function openFileLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n')
      .find((l) => l.startsWith('Max open files'));
    return Number(line?.split(/\s{2,}/)[1]);
  } catch {
    // No /proc (not Linux): nothing to check.
    return Number.NaN;
  }
}

const limit = openFileLimit();
if (limit < MIN_OPEN_FILES) {
  process.stderr.write(`mitsu: the open-file limit is ${limit}, too low to run; raise it to ` +
    'at least 1024 (ulimit -n 1024, or LimitNOFILE= in the systemd unit) ' +
    '(MITSU_RESOURCE_LIMIT)\n');
  process.exit(1);
}
const { main } = await import('../dist/cli/main.js');
await main(process.argv);
