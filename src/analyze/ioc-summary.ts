// Distinct IOCs across stored events, with how often and from how many sources each was
// seen, for `mitsu iocs`: the list an operator publishes (defanged) or feeds to a blocklist.

import { commandKey, defang, encodedness } from '../classify/iocs/index.js';
import type { Iocs, MitsuEvent } from '../events/event.js';

export const IOC_KINDS = ['url', 'domain', 'ip', 'download', 'file', 'hash'] as const;
export type IocKind = (typeof IOC_KINDS)[number];

const LIST_OF: Record<IocKind, keyof Iocs> = {
  url: 'urls', domain: 'domains', ip: 'ips', download: 'downloads', file: 'files',
  hash: 'hashes',
};

/** Distinct IOCs kept at most; past it new ones are counted in `dropped`, not stored. */
export const MAX_DISTINCT_IOCS = 200_000;
/** Distinct sources counted exactly per IOC; past it the count is a lower bound. */
const MAX_SOURCES_PER_IOC = 10_000;

export interface IocRow {
  kind: IocKind;
  value: string;
  events: number;
  sources: number;
  first_seen: string;
  last_seen: string;
  /** Rule ids of the events it came with, at most 8. */
  tags: string[];
}

interface Entry extends Omit<IocRow, 'sources'> {
  sources: Set<string>;
}

export class IocSummary {
  readonly #entries = new Map<string, Entry>();
  readonly #kinds: readonly IocKind[];
  dropped = 0;

  constructor(kinds: readonly IocKind[] = IOC_KINDS) {
    this.#kinds = kinds;
  }

  add(event: MitsuEvent): void {
    const noted = new Set<string>();
    for (const kind of this.#kinds) {
      for (const value of event.iocs[LIST_OF[kind]] ?? []) {
        // One command written twice (`wget+http://...` and `wget http://...`, or with the
        // request line's ` HTTP/1.1` in events stored before it was cut) is one IOC.
        const key = `${kind}\u0000${kind === 'download' ? commandKey(value) : value}`;
        if (noted.has(key)) continue;
        noted.add(key);
        this.#note(key, kind, value, event);
      }
    }
  }

  #note(key: string, kind: IocKind, value: string, event: MitsuEvent): void {
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      if (this.#entries.size >= MAX_DISTINCT_IOCS) {
        this.dropped += 1;
        return;
      }
      entry = { kind, value, events: 0, sources: new Set(), first_seen: event.start,
        last_seen: event.start, tags: [] };
      this.#entries.set(key, entry);
    }
    if (kind === 'download' && encodedness(value) < encodedness(entry.value)) entry.value = value;
    entry.events += 1;
    if (entry.sources.size < MAX_SOURCES_PER_IOC) entry.sources.add(event.src_ip);
    if (event.start < entry.first_seen) entry.first_seen = event.start;
    if (event.start > entry.last_seen) entry.last_seen = event.start;
    for (const tag of event.tags) {
      if (entry.tags.length < 8 && !entry.tags.includes(tag.id)) entry.tags.push(tag.id);
    }
  }

  /** Most seen first; values defanged unless `raw`. */
  rows(options: { raw?: boolean } = {}): IocRow[] {
    const rows = [...this.#entries.values()].map((e) => ({
      ...e,
      value: options.raw === true ? e.value : defangAs(e.kind, e.value),
      sources: e.sources.size,
    }));
    return rows.sort((a, b) => b.events - a.events || (a.value < b.value ? -1 : 1));
  }
}

function defangAs(kind: IocKind, value: string): string {
  // File names and hashes name nothing reachable; they stay as they are.
  return kind === 'file' || kind === 'hash' ? value : defang(value);
}
