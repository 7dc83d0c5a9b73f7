// Builds the WHERE clause and parameters of a scan or count from a normalised filter.
// Only fixed SQL fragments are concatenated; every value is bound as a parameter.

import type { NormalFilter } from '../filter.js';

export interface Query {
  /** Identifies the SQL text, so prepared statements can be cached by it. */
  key: string;
  where: string;
  params: unknown[];
}

const CONDITIONS: ReadonlyArray<[keyof NormalFilter, string]> = [
  ['sinceMs', 'start_ms >= ?'],
  ['untilMs', 'start_ms < ?'],
  ['dstPort', 'dst_port = ?'],
  ['srcIp', 'src_ip = ?'],
  ['transport', 'transport = ?'],
  ['protocol', 'protocol = ?'],
];

export function whereOf(filter: NormalFilter): Query {
  const parts: string[] = [];
  const params: unknown[] = [];
  let key = '';
  for (const [name, sql] of CONDITIONS) {
    const value = filter[name];
    key += value === undefined ? '0' : '1';
    if (value === undefined) continue;
    parts.push(sql);
    params.push(value);
  }
  key += filter.afterMs === undefined ? '0' : '1';
  if (filter.afterMs !== undefined) {
    parts.push('(start_ms > ? OR (start_ms = ? AND id > ?))');
    params.push(filter.afterMs, filter.afterMs, filter.afterId);
  }
  const where = parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`;
  return { key, where, params };
}
