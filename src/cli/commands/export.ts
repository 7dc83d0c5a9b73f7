// `mitsu export`: writes stored events to stdout as JSON lines or CSV, oldest first.
// Opens the store read-only, so it runs safely beside a sensor that is writing.

import type { Command } from 'commander';
import { MitsuError } from '../../lib/errors.js';
import { SqliteStore } from '../../store/sqlite/sqlite-store.js';
import { EXPORT_FORMATS, exportEvents, type ExportFormat } from '../../store/export.js';
import type { EventFilter } from '../../events/store.js';
import type { RegisterCommand } from '../command.js';

export const DEFAULT_DB_PATH = 'data/mitsu.db';

/** YYYY-MM-DD, optionally THH:MM[:SS[.fraction]] and a zone (Z or ±HH[:]MM). */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

interface ExportOptions {
  db: string;
  format?: string;
  since?: string;
  until?: string;
}

function badTime(flag: string, value: string): MitsuError {
  return new MitsuError(
    'MITSU_CONFIG_INVALID',
    `${flag} ${JSON.stringify(value)} is not an ISO 8601 date or time`,
    `write it as 2026-11-01 or 2026-11-01T08:30:00Z (a time without a zone is UTC)`,
  );
}

/** Epoch milliseconds of an ISO 8601 date or date-time; UTC when no zone is given. */
export function parseCliTime(flag: string, value: string): number {
  const m = ISO_TIME.exec(value.trim());
  if (m === null) throw badTime(flag, value);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const dayMs = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const day = new Date(dayMs);
  const realDay = day.getUTCMonth() === Number(mo) - 1 && day.getUTCDate() === Number(d);
  if (!realDay || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw badTime(flag, value);
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = (frac + '000').slice(0, 3);
  const parsed = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}${offset}`);
  if (!Number.isFinite(parsed)) throw badTime(flag, value);
  return parsed;
}

function checkFormat(format: string | undefined): ExportFormat {
  if ((EXPORT_FORMATS as readonly (string | undefined)[]).includes(format)) {
    return format as ExportFormat;
  }
  const given =
    format === undefined ? 'no --format given' : `unknown --format ${JSON.stringify(format)}`;
  throw new MitsuError(
    'MITSU_CONFIG_INVALID',
    given,
    `use --format ${EXPORT_FORMATS.join(' or --format ')}`,
  );
}

function filterOf(opts: ExportOptions): EventFilter {
  const filter: EventFilter = {};
  if (opts.since !== undefined) filter.since = parseCliTime('--since', opts.since);
  if (opts.until !== undefined) filter.until = parseCliTime('--until', opts.until);
  return filter;
}

export const registerExport: RegisterCommand = (program: Command, ctx) => {
  program
    .command('export')
    .description('write stored events to stdout as JSON lines or CSV, oldest first')
    .option('--db <path>', 'SQLite store to read', DEFAULT_DB_PATH)
    .option('--format <format>', `output format: ${EXPORT_FORMATS.join(' or ')}`)
    .option('--since <time>', 'first start time kept, ISO 8601 (UTC when no zone)')
    .option('--until <time>', 'start time where the export stops (excluded), ISO 8601')
    .action(async (opts: ExportOptions) => {
      const format = checkFormat(opts.format);
      const filter = filterOf(opts);
      const store = SqliteStore.open(opts.db, { readonly: true });
      try {
        const { events, readerGone } = await exportEvents(store, ctx().stdout, format, filter);
        ctx().log.debug({ events, readerGone, format }, 'export finished');
      } finally {
        await store.close();
      }
    });
};
