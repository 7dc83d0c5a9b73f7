// Indicators of compromise in one event: URLs, IP addresses, domains, download commands, file
// names and digests, from the payload, the commands and request fields, and every decoded
// layer of them. Text is only read: nothing named here is resolved or fetched.

import type { Iocs } from '../../events/event.js';
import { decodeLayers } from '../decode.js';
import { Budget } from './budget.js';
import {
  baseName, commandKey, downloadCommands, encodedness, impliedUrl, outputFiles,
} from './downloads.js';
import { bareHosts, hashes, ipv6Addresses, isUnroutable } from './hosts.js';
import { isVocabularyHost, withoutNoise } from './noise.js';
import { type IocEvent, ownHosts, payloadText, sourceTexts } from './sources.js';
import { checkUrl, finalUrls, findUrls } from './urls.js';

export { defang } from './defang.js';
export { commandKey, encodedness } from './downloads.js';

export const MAX_URLS = 64;
export const MAX_IPS = 64;
export const MAX_DOMAINS = 64;
export const MAX_DOWNLOADS = 32;
export const MAX_FILES = 64;
export const MAX_HASHES = 32;
/** URL candidates held before raw URLs with an encoded tail are dropped. */
const MAX_URL_CANDIDATES = 4 * MAX_URLS;
/** Candidates looked at in all texts of one event, by kind: the work on a hostile session of
 * many commands, each with its decoded layers, stays bounded. */
export const MAX_URL_RUNS_PER_EVENT = 2048;
export const MAX_HOST_RUNS_PER_EVENT = 8192;
export const MAX_VERBS_PER_EVENT = 512;

/** Ordered, de-duplicated, capped. */
class Bounded {
  readonly #max: number;
  readonly #items = new Set<string>();

  constructor(max: number) {
    this.#max = max;
  }

  add(value: string): void {
    if (this.#items.size < this.#max) this.#items.add(value);
  }

  get values(): string[] {
    return [...this.#items];
  }
}

/** Download commands keyed by their decoded form: the decoded writing replaces a raw one. */
class Downloads {
  readonly #byKey = new Map<string, string>();

  add(raw: string): void {
    // `wget+198.51.100.1/jaws`: a form value with no decoded layer to replace it reads better
    // with its spaces back; commandKey already reads it so.
    const command = /\s/.test(raw) ? raw : raw.replace(/\+/g, ' ');
    const key = commandKey(command);
    const known = this.#byKey.get(key);
    if (known === undefined && this.#byKey.size >= MAX_DOWNLOADS) return;
    if (known === undefined || encodedness(command) < encodedness(known)) {
      this.#byKey.set(key, command);
    }
  }

  get values(): string[] {
    return [...this.#byKey.values()];
  }
}

class Collector {
  readonly urls = new Bounded(MAX_URL_CANDIDATES);
  readonly ips = new Bounded(MAX_IPS);
  readonly domains = new Bounded(MAX_DOMAINS);
  readonly downloads = new Downloads();
  readonly hashes = new Bounded(MAX_HASHES);
  readonly openUrls = new Set<string>();
  readonly #own: Set<string>;
  readonly #urlRuns = new Budget(MAX_URL_RUNS_PER_EVENT);
  readonly #hostRuns = new Budget(MAX_HOST_RUNS_PER_EVENT);
  readonly #verbs = new Budget(MAX_VERBS_PER_EVENT);

  constructor(own: Set<string>) {
    this.#own = own;
  }

  /** `explicit`: named by a download command, so an indicator even when it is the address the
   * client called the sensor by (a Host header set to the attacker's own server). */
  host(host: string, kind: 'ipv4' | 'ipv6' | 'domain', explicit = false): boolean {
    if (!explicit && (this.#own.has(host) || isVocabularyHost(host))) return false;
    if (kind === 'domain') this.domains.add(host);
    else if (!isUnroutable(host)) this.ips.add(host);
    else return false;
    return true;
  }

  scan(text: string): void {
    const signal = withoutNoise(text);
    this.#urls(signal, false);
    for (const ip of ipv6Addresses(signal)) this.host(ip, 'ipv6');
    for (const bare of bareHosts(signal, this.#hostRuns)) this.host(bare.value, bare.kind);
    for (const command of downloadCommands(text, this.#verbs)) {
      this.downloads.add(command);
      this.#download(command);
    }
    for (const digest of hashes(signal)) this.hashes.add(digest);
  }

  #urls(text: string, explicit: boolean): void {
    for (const found of findUrls(text, this.#urlRuns)) {
      if (!this.host(found.host, found.kind, explicit)) continue;
      this.urls.add(found.url);
      if (found.open === true) this.openUrls.add(found.url);
    }
  }

  /** The URLs and hosts a download command fetches from are indicators wherever they point. */
  #download(command: string): void {
    this.#urls(command, true);
    for (const ip of ipv6Addresses(command)) this.host(ip, 'ipv6', true);
    for (const bare of bareHosts(command, this.#hostRuns)) this.host(bare.value, bare.kind, true);
    const implied = impliedUrl(command);
    const found = implied === null ? null : checkUrl(implied);
    if (found !== null && this.host(found.host, found.kind, true)) this.urls.add(found.url);
  }
}

/** Every indicator in the event, each list in order of first appearance and capped. */
export function extractIocs(event: IocEvent): Iocs {
  const payload = payloadText(event.payload_b64);
  const collector = new Collector(ownHosts(event, payload));
  for (const source of sourceTexts(event, payload)) {
    collector.scan(source);
    for (const layer of decodeLayers(source)) collector.scan(layer);
  }
  const urls = finalUrls(collector.urls.values, collector.openUrls).slice(0, MAX_URLS);
  const downloads = collector.downloads.values;
  return {
    urls,
    ips: collector.ips.values,
    domains: collector.domains.values,
    downloads,
    files: fileNames(urls, downloads),
    hashes: collector.hashes.values,
  };
}

/** Last path segments of URLs that download commands fetch, then the files they write. */
function fileNames(urls: string[], downloads: string[]): string[] {
  const files = new Bounded(MAX_FILES);
  const keys = downloads.map(commandKey);
  for (const url of urls) {
    // A scheme-less `wget HOST/PATH` names its URL without the `http://` it means.
    const bare = url.replace(/^https?:\/\//, '');
    if (!downloads.some((d, i) => d.includes(url) || keys[i]?.includes(bare))) continue;
    const path = new URL(url).pathname;
    const name = baseName(decodeURIComponentSafe(path));
    if (name !== null && name !== '') files.add(name);
  }
  for (const command of downloads) for (const file of outputFiles(command)) files.add(file);
  return files.values;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // A lone `%` or invalid UTF-8: the path as written is still a usable name.
    return text;
  }
}
