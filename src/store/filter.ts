// Turns an EventFilter into plain values every store can bind: times as epoch milliseconds.
// Shared by the stores so that they read `since`, `until` and `limit` the same way.

import { MitsuError } from '../lib/errors.js';
import type { EventFilter } from '../events/store.js';

export interface NormalFilter {
  sinceMs?: number;
  untilMs?: number;
  dstPort?: number;
  srcIp?: string;
  transport?: string;
  protocol?: string;
  afterMs?: number;
  afterId?: string;
  limit?: number;
}

function timeMs(value: string | number, name: string): number {
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new MitsuError(
      'MITSU_CONFIG_INVALID',
      `filter ${name} ${JSON.stringify(value)} is not a time`,
      'give an ISO 8601 time such as 2024-05-01T00:00:00Z, or epoch milliseconds',
    );
  }
  return ms;
}

function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new MitsuError(
      'MITSU_CONFIG_INVALID',
      `filter limit ${limit} is not a count`,
      'give a whole number of events, 0 or more',
    );
  }
  return limit;
}

export function normalizeFilter(filter: EventFilter = {}): NormalFilter {
  const out: NormalFilter = {};
  if (filter.since !== undefined) out.sinceMs = timeMs(filter.since, 'since');
  if (filter.until !== undefined) out.untilMs = timeMs(filter.until, 'until');
  if (filter.dstPort !== undefined) out.dstPort = filter.dstPort;
  if (filter.srcIp !== undefined) out.srcIp = filter.srcIp;
  if (filter.transport !== undefined) out.transport = filter.transport;
  if (filter.protocol !== undefined) out.protocol = filter.protocol;
  if (filter.after !== undefined) {
    out.afterMs = timeMs(filter.after.start, 'after.start');
    out.afterId = filter.after.id;
  }
  if (filter.limit !== undefined) out.limit = checkLimit(filter.limit);
  return out;
}
