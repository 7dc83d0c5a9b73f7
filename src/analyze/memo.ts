// Remembers the payload analysis (tags, intent, IOCs, template) of recent events by what it
// depends on, so the same bytes sent again by the same kind of bot are not analysed again:
// scanners and worms repeat identical payloads thousands of times a day.

import { createHash } from 'node:crypto';
import type { Analysis, MitsuEvent } from '../events/event.js';

/** Distinct payload analyses kept (least recently used first out). */
export const MEMO_MAX_ENTRIES = 4_096;
/** Events whose parsed fields are larger than this (as JSON) are not remembered. */
const MAX_KEY_JSON_CHARS = 64 * 1024;

export type PayloadAnalysis = Pick<Analysis, 'tags' | 'intent' | 'iocs' | 'template'>;

/**
 * Everything the payload analysis reads: the bytes (by their SHA-256), where they went
 * (rules may test the port; the sensor's own address is never an IOC), and what the
 * protocol parser recorded. Null when the event is too large to be worth remembering.
 */
export function memoKey(event: MitsuEvent): string | null {
  const parsed = JSON.stringify([event.fields, event.commands, event.credentials]);
  if (parsed.length > MAX_KEY_JSON_CHARS) return null;
  const payload = /^[0-9a-f]{64}$/.test(event.payload_sha256) ? event.payload_sha256
    : createHash('sha256').update(event.payload_b64).digest('hex');
  return createHash('sha256')
    .update(`${event.protocol}\u0000${event.transport}\u0000${event.dst_port}\u0000`)
    .update(`${event.dst_ip}\u0000${event.payload_len}\u0000${payload}\u0000`)
    .update(parsed)
    .digest('base64');
}

export class AnalysisMemo {
  readonly #entries = new Map<string, PayloadAnalysis>();
  hits = 0;
  misses = 0;

  get(key: string): PayloadAnalysis | undefined {
    const found = this.#entries.get(key);
    if (found === undefined) {
      this.misses += 1;
      return undefined;
    }
    // Re-inserting moves the key to the end: Map keeps insertion order, the oldest goes first.
    this.#entries.delete(key);
    this.#entries.set(key, found);
    this.hits += 1;
    return found;
  }

  set(key: string, value: PayloadAnalysis): void {
    this.#entries.set(key, value);
    if (this.#entries.size > MEMO_MAX_ENTRIES) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }
}
