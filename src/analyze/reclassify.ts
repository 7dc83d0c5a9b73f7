// Re-runs the analysis over stored events after the rules change: pages through the store
// by (start, id), analyses each event again, and rewrites the analysis of those that
// changed, one transaction per page. Stored payloads and fields are never modified.

import {
  ANALYSIS_KEYS, analysisOf, type Analysis, type MitsuEvent,
} from '../events/event.js';
import type { AnalysisUpdate, EventFilter, EventStore } from '../events/store.js';
import type { Analyzer } from './analyzer.js';

/** Events read, analysed and written back per transaction. */
export const RECLASSIFY_PAGE_EVENTS = 1_000;

export interface ReclassifyOptions {
  since?: string | number;
  until?: string | number;
  /** Look sources up again instead of keeping the country and ASN already stored. */
  reenrich?: boolean;
  /** Called after each committed page with the events done and changed so far. */
  progress?: (done: number, changed: number) => void;
}

export interface ReclassifyResult {
  /** Events analysed again. */
  events: number;
  /** Events whose analysis changed and was rewritten. */
  changed: number;
  rulesVersion: string;
}

async function page(store: EventStore, filter: EventFilter): Promise<MitsuEvent[]> {
  const out: MitsuEvent[] = [];
  for await (const ev of store.scan(filter)) out.push(ev);
  return out;
}

/** JSON with object keys sorted, so key order never counts as a change. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
      (a < b ? -1 : 1));
    return Object.fromEntries(entries);
  });
}

function sameAnalysis(a: Analysis, b: Analysis): boolean {
  return ANALYSIS_KEYS.every((key) => canonical(a[key]) === canonical(b[key]));
}

export async function reclassify(
  store: EventStore, analyzer: Analyzer, options: ReclassifyOptions = {},
): Promise<ReclassifyResult> {
  const base: EventFilter = { limit: RECLASSIFY_PAGE_EVENTS };
  if (options.since !== undefined) base.since = options.since;
  if (options.until !== undefined) base.until = options.until;
  const result: ReclassifyResult = { events: 0, changed: 0, rulesVersion: analyzer.version };
  let after: EventFilter['after'];
  for (;;) {
    const events = await page(store, after === undefined ? base : { ...base, after });
    if (events.length === 0) return result;
    const updates: AnalysisUpdate[] = [];
    for (const event of events) {
      const fresh = analyzer.analyze(event, { keepSource: options.reenrich !== true });
      if (!sameAnalysis(fresh, analysisOf(event))) updates.push({ id: event.id, ...fresh });
    }
    await store.updateAnalysis(updates);
    result.events += events.length;
    result.changed += updates.length;
    options.progress?.(result.events, result.changed);
    // Pages alone never leave the microtask queue: yield, so a signal (Ctrl-C) is handled
    // between two pages rather than only after the last one.
    await new Promise((resolve) => setImmediate(resolve));
    const last = events[events.length - 1]!;
    after = { start: last.start, id: last.id };
  }
}
