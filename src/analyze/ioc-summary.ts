// Distinct IOCs across stored events, with how often and from how many sources each was
// seen, for `mitsu iocs`: the list an operator publishes (defanged) or feeds to a blocklist.

import { defang } from '../classify/iocs/index.js';
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
    for (const kind of this.#kinds) {
      for (const value of event.iocs[LIST_OF[kind]] ?? []) this.#note(kind, value, event);
    }
  }

  #note(kind: IocKind, value: string, event: MitsuEvent): void {
    const key = `${kind}\u0000${value}`;
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

const URL_IN_TEXT = /\b(?:https?|ftp|tftp):\/\/[^\s'"`;|&<>()]+/gi;
const IPV4_IN_TEXT = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

/** A download command with every URL and address in it defanged. */
export function defangCommand(command: string): string {
  return command.replace(URL_IN_TEXT, (url) => defang(url))
    .replace(IPV4_IN_TEXT, (ip) => ip.replaceAll('.', '[.]'));
}

function defangAs(kind: IocKind, value: string): string {
  if (kind === 'download') return defangCommand(value);
  // File names and hashes name nothing reachable; they stay as they are.
  return kind === 'file' || kind === 'hash' ? value : defang(value);
}
