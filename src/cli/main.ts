// The `mitsu` command line: registers each command module and maps failures to exit codes
// (0 success, 2 usage or configuration error, 1 runtime failure), one line each.

import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { isMitsuError, type ErrorCode } from '../lib/errors.js';
import { createLogger, type LogLevel } from '../lib/log.js';
import type { CliContext, RegisterCommand } from './command.js';
import { registerExport } from './commands/export.js';
import { registerFirewall } from './commands/firewall.js';
import { registerIocs } from './commands/iocs.js';
import { registerReclassify } from './commands/reclassify.js';
import { registerReplay } from './commands/replay.js';
import { registerRules } from './commands/rules.js';
import { registerStart } from './commands/start.js';

const COMMANDS: readonly RegisterCommand[] = [
  registerStart, registerExport, registerReplay, registerFirewall, registerRules,
  registerReclassify, registerIocs,
];

/** Codes that mean the operator asked for something invalid: exit status 2. */
const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  'MITSU_CONFIG_INVALID', 'MITSU_CONFIG_UNREADABLE', 'MITSU_INPUT_INVALID',
  // A store file that is not ours, or too new, means --db points at the wrong file.
  'MITSU_STORE_CORRUPT', 'MITSU_STORE_FOREIGN', 'MITSU_STORE_TOO_NEW',
]);

function version(): string {
  const url = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

function contextFactory(): () => CliContext {
  let context: CliContext | undefined;
  return () => {
    context ??= {
      log: createLogger((process.env['MITSU_LOG_LEVEL'] ?? 'info') as LogLevel),
      stdout: process.stdout,
    };
    return context;
  };
}

export function buildProgram(ctx: () => CliContext): Command {
  const program = new Command('mitsu')
    .description('Mitsu, an all-port honeypot: records every connection and its payload,\n' +
      'recognises protocols from the bytes, and keeps events in SQLite.')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run `mitsu --help` or `mitsu <command> --help` for usage)')
    .exitOverride();
  for (const register of COMMANDS) register(program, ctx);
  program.addHelpText('after', [
    '', 'Examples:',
    '  mitsu start                          listen on the default ports, store in data/mitsu.db',
    '  mitsu start --ports tcp:8000-8100,udp:53 --listen 127.0.0.1',
    '  mitsu export --format jsonl --since 2026-11-01 > november.jsonl',
    '  mitsu replay test/fixtures/corpus/attacks.jsonl --host 127.0.0.1',
    '  mitsu rules test --rules /etc/mitsu/rules   check every rule against its examples',
    '  mitsu reclassify --since 2026-11-01      run the current rules over stored events',
    '  mitsu iocs --since 2026-11-01 --format csv    defanged IOCs, most seen first',
  ].join('\n'));
  return program;
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
  if (isMitsuError(err)) return USAGE_CODES.has(err.code) ? 2 : 1;
  return 1;
}

function report(err: unknown): void {
  if (err instanceof CommanderError) return; // commander already printed its message
  if (isMitsuError(err)) {
    process.stderr.write(`${err.toLine()}\n`);
    return;
  }
  const message = err instanceof Error ? err.stack ?? err.message : String(err);
  process.stderr.write(`mitsu: unexpected failure: ${message}\n`);
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram(contextFactory());
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    report(err);
    // Exit now: a failed command must not linger on handles it opened (signal traps, sockets).
    process.exit(exitCodeOf(err));
  }
}
