// `mitsu replay FILE`: sends recorded attack payloads to a running sensor, one real connection
// each, to test it end to end. This file reads the flags and prints; ../replay/ does the work.

import type { Command } from 'commander';
import { MitsuError } from '../../lib/errors.js';
import type { CliContext, RegisterCommand } from '../command.js';
import { loadRecords } from '../replay/records.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_TIMEOUT_MS,
  QUIET_MS,
  formatResult,
  formatSummary,
  runReplay,
  type RecordResult,
  type ReplayOptions,
} from '../replay/run.js';

export const MAX_CONCURRENCY = 256;
export const MAX_TIMEOUT_MS = 600_000;
const MIN_TIMEOUT_MS = 100;

export const registerReplay: RegisterCommand = (program, ctx) => {
  program
    .command('replay')
    .description('send recorded payloads to a sensor, one real connection per record')
    .argument('[file]', 'JSON-lines records (docs/replay.md), or - for standard input')
    .option('--host <address>', 'where the sensor listens', '127.0.0.1')
    .option('--proxy-protocol [version]', 'put a PROXY header (v1 or v2) before TCP payloads')
    .option('--port <n>', 'send every record to this port instead of its own')
    .option('--port-offset <n>', 'add this to every port', '0')
    .option('--concurrency <n>', 'connections open at once', String(DEFAULT_CONCURRENCY))
    .option('--timeout-ms <n>', 'bound on each exchange', String(DEFAULT_TIMEOUT_MS))
    .option('--verbose', 'print one line per record')
    .action(async (file: string | undefined, _options: unknown, command: Command) => {
      const flags = command.optsWithGlobals<Record<string, unknown>>();
      const input = file ?? takeFileFromProxyFlag(flags);
      await replay(input, readOptions(flags), flags['verbose'] === true, ctx());
    });
};

/**
 * `--proxy-protocol` takes an optional value, so commander gives it the FILE that follows it
 * (`mitsu replay --proxy-protocol corpus.jsonl`). That reads as v1 with that file.
 */
function takeFileFromProxyFlag(flags: Record<string, unknown>): string {
  const value = flags['proxyProtocol'];
  if (typeof value === 'string' && value !== 'v1' && value !== 'v2') {
    flags['proxyProtocol'] = 'v1';
    return value;
  }
  throw new MitsuError('MITSU_CONFIG_INVALID', 'replay needs a FILE of records',
    'give a JSON-lines file, or - to read standard input');
}

async function replay(
  file: string,
  options: ReplayOptions,
  verbose: boolean,
  ctx: CliContext,
): Promise<void> {
  const records = await loadRecords(file, process.stdin);
  const warned = new Set<string>();
  const summary = await runReplay(records, options, (result: RecordResult) => {
    if (verbose) ctx.stdout.write(`${formatResult(result)}\n`);
    const failure = result.outcome?.failure;
    // A failure that repeats (the sensor is down) is logged once; the summary counts the rest.
    if (failure !== undefined && !warned.has(failure)) {
      warned.add(failure);
      ctx.log.warn({ err: failure, port: result.port }, 'replay record not delivered');
    }
  });
  ctx.stdout.write(`${formatSummary(summary)}\n`);
  // No MitsuError code means "some records failed"; the summary says which count, exit 1.
  if (summary.failed > 0) process.exitCode = 1;
}

function readOptions(flags: Record<string, unknown>): ReplayOptions {
  const port = flags['port'];
  return {
    host: String(flags['host']),
    proxyProtocol: proxyVersion(flags['proxyProtocol']),
    port: port === undefined ? undefined : integer('--port', port, 1, 65_535),
    portOffset: integer('--port-offset', flags['portOffset'], -65_534, 65_534),
    concurrency: integer('--concurrency', flags['concurrency'], 1, MAX_CONCURRENCY),
    timeoutMs: integer('--timeout-ms', flags['timeoutMs'], MIN_TIMEOUT_MS, MAX_TIMEOUT_MS),
    quietMs: QUIET_MS,
  };
}

function proxyVersion(value: unknown): ReplayOptions['proxyProtocol'] {
  if (value === undefined) return undefined;
  if (value === true || value === 'v1') return 'v1';
  if (value === 'v2') return 'v2';
  throw new MitsuError('MITSU_CONFIG_INVALID', '--proxy-protocol takes v1 or v2',
    'write --proxy-protocol v1, --proxy-protocol v2, or --proxy-protocol alone for v1');
}

function integer(flag: string, value: unknown, min: number, max: number): number {
  const text = String(value);
  const n = /^-?[0-9]{1,7}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new MitsuError('MITSU_CONFIG_INVALID', `${flag} must be an integer in ${min}-${max}`,
      `write it in decimal, for example ${flag} ${Math.max(min, 1)}`);
  }
  return n;
}
