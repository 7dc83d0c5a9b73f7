// `mitsu reclassify`: runs the current rules, templates, IOC extraction and (for events not
// yet enriched, or all with --reenrich) source lookups again over stored events, so any past
// month can be re-analysed. Shows a progress bar on a terminal; ends with one summary line,
// or on Ctrl-C with one line saying how far it got (exit 130).

import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import { loadConfig, type ConfigOverrides } from '../../config/load.js';
import type { Config } from '../../config/schema.js';
import { Analyzer } from '../../analyze/analyzer.js';
import {
  RECLASSIFY_PAGE_EVENTS, reclassify, type ReclassifyOptions, type ReclassifyResult,
} from '../../analyze/reclassify.js';
import type { EventFilter } from '../../events/store.js';
import type { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { analyzerSpecOf, checkRules } from '../analysis.js';
import type { CliContext, RegisterCommand } from '../command.js';
import { openExistingStore } from '../store.js';
import { parseCliTime } from './export.js';

interface ReclassifyFlags {
  config?: string;
  db?: string;
  since?: string;
  until?: string;
  rules?: string[];
  reenrich?: boolean;
}

function filterOf(flags: ReclassifyFlags): Pick<EventFilter, 'since' | 'until'> {
  const filter: Pick<EventFilter, 'since' | 'until'> = {};
  if (flags.since !== undefined) filter.since = parseCliTime('--since', flags.since);
  if (flags.until !== undefined) filter.until = parseCliTime('--until', flags.until);
  return filter;
}

/** A bar on stderr when it is a terminal; nothing otherwise (logs and CI stay clean). */
function progressBar(total: number): { update(done: number): void; stop(): void } {
  if (process.stderr.isTTY !== true || total === 0) return { update() {}, stop() {} };
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'reclassify [{bar}] {percentage}% | {value}/{total} events | {eta_formatted} left',
  }, Presets.shades_classic);
  bar.start(total, 0);
  return { update: (done) => bar.update(done), stop: () => bar.stop() };
}

interface Progress {
  total: number;
  events: number;
  changed: number;
}

function interruptedLine(p: Progress): string {
  return `mitsu: reclassify interrupted after ${p.events} of ${p.total} events, ${p.changed} ` +
    `changed; those are committed (one transaction per ${RECLASSIFY_PAGE_EVENTS} events), ` +
    'the rest keep their earlier analysis; run it again to finish\n';
}

/**
 * Runs the pages under the bar. Ctrl-C lands between two pages (reclassify yields there),
 * each page being one transaction: what was done stays, and one line says how far it got.
 */
async function runPages(store: SqliteStore, analyzer: Analyzer, options: ReclassifyOptions,
  total: number): Promise<ReclassifyResult> {
  const bar = progressBar(total);
  const progress: Progress = { total, events: 0, changed: 0 };
  const onInterrupt = (): void => {
    bar.stop(); // turns the terminal's line wrap, which the bar switched off, back on
    void store.close();
    process.stderr.write(interruptedLine(progress));
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  try {
    return await reclassify(store, analyzer, { ...options, progress: (events, changed) => {
      Object.assign(progress, { events, changed });
      bar.update(events);
    } });
  } finally {
    process.off('SIGINT', onInterrupt);
    bar.stop();
  }
}

/** Loading and timing the rules can take seconds: Ctrl-C then still says where it stopped. */
function onEarlyInterrupt(): void {
  process.stderr.write('mitsu: reclassify interrupted while loading the rules; ' +
    'no stored event was changed\n');
  process.exit(130);
}

async function run(flags: ReclassifyFlags, ctx: CliContext): Promise<void> {
  process.once('SIGINT', onEarlyInterrupt);
  const overrides: ConfigOverrides = flags.db === undefined ? {} : { store: { path: flags.db } };
  const config = loadConfig(flags.config, overrides);
  // The store first: a mistyped --db fails at once, before the rules load.
  const store = openExistingStore(config.store.path);
  try {
    await analyse(store, config, flags, ctx);
  } finally {
    await store.close();
  }
}

async function analyse(store: SqliteStore, config: Config, flags: ReclassifyFlags,
  ctx: CliContext): Promise<void> {
  const spec = analyzerSpecOf(config.analysis);
  spec.rules = [...spec.rules, ...(flags.rules ?? [])];
  await checkRules(spec, ctx.log);
  const analyzer = Analyzer.open(spec, (stage, err) =>
    ctx.log.error({ err, stage }, 'analysis stage failed'));
  process.off('SIGINT', onEarlyInterrupt); // the pages say how far they got instead
  const started = Date.now();
  const filter = filterOf(flags);
  const options: ReclassifyOptions = { ...filter };
  if (flags.reenrich === true) options.reenrich = true;
  const result = await runPages(store, analyzer, options, await store.count(filter));
  const seconds = (Date.now() - started) / 1000;
  ctx.log.info({ events: result.events, changed: result.changed,
    rules_version: result.rulesVersion, rules: analyzer.classifier.rules.length,
    seconds: Number(seconds.toFixed(1)),
    per_second: Math.round(result.events / Math.max(seconds, 0.001)) },
  'reclassified stored events');
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const registerReclassify: RegisterCommand = (program: Command, ctx) => {
  program.command('reclassify')
    .description('run the current rules, templates and IOC extraction again over stored events')
    .option('-c, --config <file>', 'YAML config file: its store.path and analysis settings')
    .option('--db <path>', 'SQLite store to rewrite (default: store.path, data/mitsu.db)')
    .option('--since <time>', 'first start time re-analysed, ISO 8601 (UTC when no zone)')
    .option('--until <time>', 'start time where it stops (excluded), ISO 8601')
    .option('--rules <path>', 'more rule files or folders (repeatable)', collect)
    .option('--reenrich', 'look country, ASN and scanner up again for every event')
    .action((flags: ReclassifyFlags) => run(flags, ctx()));
};
