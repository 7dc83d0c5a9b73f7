// The README's command table against the options the CLI really has: a row that leaves out
// an option hides it from anyone who reads the table rather than `--help`.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/cli/main.js';
import { silentLogger } from '../src/lib/log.js';
import { ROOT } from './helpers/sensor.js';

const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const program = buildProgram(() => ({ log: silentLogger(), stdout: process.stdout }));

/** The first cell (the usage) of the table row for `mitsu <name>`; `\\|` is a pipe inside it. */
function usageOf(name: string): string {
  const row = README.split('\n').find((line) => line.startsWith(`| \`mitsu ${name} `)) ?? '';
  return row.split(/(?<!\\)\|/)[1] ?? '';
}

describe('the README command table', () => {
  it.each([['reclassify'], ['iocs'], ['export']])('lists every option of mitsu %s', (name) => {
    const command = program.commands.find((c) => c.name() === name)!;
    const flags = command.options.map((o) => o.long!);
    expect(flags.length).toBeGreaterThan(0);
    expect(flags.filter((flag) => !usageOf(name).includes(flag))).toStrictEqual([]);
  });
});
