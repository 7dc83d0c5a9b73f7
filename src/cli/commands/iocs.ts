// `mitsu iocs`: the distinct indicators (URLs, domains, addresses, download commands, file
// names, hashes) found in stored events, most seen first, defanged for publication unless
// `--raw`. Reads the store read-only, so it runs beside a sensor that is writing.

import type { Command } from 'commander';
import { IOC_KINDS, IocSummary, type IocKind, type IocRow } from '../../analyze/ioc-summary.js';
import type { EventFilter } from '../../events/store.js';
import { MitsuError } from '../../lib/errors.js';
import { csvCell } from '../../store/export.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import type { CliContext, RegisterCommand } from '../command.js';
import { writeOutput } from '../output.js';
import { DEFAULT_DB_PATH, parseCliTime } from './export.js';

const FORMATS = ['text', 'csv', 'jsonl'] as const;
type Format = (typeof FORMATS)[number];
const COLUMNS = ['kind', 'value', 'events', 'sources', 'first_seen', 'last_seen'] as const;

interface IocsFlags {
  db: string;
  since?: string;
  until?: string;
  kind?: string;
  format: string;
  raw?: boolean;
}

function kindsOf(flag: string | undefined): IocKind[] {
  if (flag === undefined) return [...IOC_KINDS];
  const kinds = flag.split(',').map((k) => k.trim());
  const bad = kinds.find((k) => !(IOC_KINDS as readonly string[]).includes(k));
  if (bad !== undefined) {
    throw new MitsuError('MITSU_CONFIG_INVALID', `unknown --kind ${JSON.stringify(bad)}`,
      `use one or more of ${IOC_KINDS.join(',')}`);
  }
  return kinds as IocKind[];
}

function formatOf(flag: string): Format {
  if ((FORMATS as readonly string[]).includes(flag)) return flag as Format;
  throw new MitsuError('MITSU_CONFIG_INVALID', `unknown --format ${JSON.stringify(flag)}`,
    `use --format ${FORMATS.join(' or --format ')}`);
}

function render(row: IocRow, format: Format): string {
  if (format === 'jsonl') return `${JSON.stringify(row)}\n`;
  if (format === 'csv') return `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`;
  const counts = `${String(row.events).padStart(8)} ${String(row.sources).padStart(7)}`;
  const seen = row.last_seen.slice(0, 10);
  return `${row.kind.padEnd(8)} ${counts}  ${seen}  ${terminalSafe(row.value)}\n`;
}

/** C0 and C1 controls and DEL as `\xNN`: a stored value (an imported one too) is attacker text,
 * and a terminal would act on an escape sequence in it. */
function terminalSafe(value: string): string {
  let out = '';
  for (const c of value) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    out += control ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

async function run(flags: IocsFlags, ctx: CliContext): Promise<void> {
  const format = formatOf(flags.format);
  const summary = new IocSummary(kindsOf(flags.kind));
  const filter: EventFilter = {};
  if (flags.since !== undefined) filter.since = parseCliTime('--since', flags.since);
  if (flags.until !== undefined) filter.until = parseCliTime('--until', flags.until);
  const store = SqliteStore.open(flags.db, { readonly: true });
  try {
    for await (const event of store.scan(filter)) summary.add(event);
  } finally {
    await store.close();
  }
  const lines: string[] = [];
  if (format === 'csv') lines.push(`${COLUMNS.join(',')}\r\n`);
  if (format === 'text') lines.push('kind       events sources  last seen   value\n');
  const rows = summary.rows({ raw: flags.raw === true });
  for (const row of rows) lines.push(render(row, format));
  await writeOutput(ctx.stdout, lines);
  if (summary.dropped > 0) {
    ctx.log.warn({ dropped: summary.dropped }, 'too many distinct IOCs; narrow --since/--until');
  }
}

export const registerIocs: RegisterCommand = (program: Command, ctx) => {
  program.command('iocs')
    .description('list the distinct IOCs of stored events, most seen first, defanged')
    .option('--db <path>', 'SQLite store to read', DEFAULT_DB_PATH)
    .option('--since <time>', 'first start time included, ISO 8601 (UTC when no zone)')
    .option('--until <time>', 'start time where it stops (excluded), ISO 8601')
    .option('--kind <kinds>', `only these kinds, comma-separated: ${IOC_KINDS.join(',')}`)
    .option('--format <format>', `output: ${FORMATS.join(', ')}`, 'text')
    .option('--raw', 'print values as found, not defanged (never publish these)')
    .action((flags: IocsFlags) => run(flags, ctx()));
};
