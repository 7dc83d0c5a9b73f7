// What rule conditions look at in one event, computed lazily and at most once per event:
// the payload as latin1, the decoded `text` layers, fields by dot path, HTTP headers, credentials.
// Every value is cut to a named limit, so no rule sees more than a bounded amount of input.

import type { MitsuEvent } from '../../events/event.js';
import { decodeLayers } from '../decode.js';
import type { RegexInput } from './regex.js';

/** Rules see at most this much of a payload (the sensor keeps 64 KiB by default). */
export const MAX_MATCH_PAYLOAD_BYTES = 64 * 1024;
/** Any other value (a command, a decoded layer, a field's JSON) is cut to this length. */
export const MAX_VALUE_CHARS = 64 * 1024;
/** A target yields at most this many values (text layers, array elements, headers). */
export const MAX_VALUES_PER_TARGET = 512;
/** And at most this many characters in all: what one regex over a target scans at worst. */
export const MAX_TARGET_CHARS = 256 * 1024;

/** Any UTF-16 unit above ASCII (surrogates included). */
const NON_ASCII = /[\u0080-\uffff]/;

/** The parts of an event that rules read. */
export type ViewedEvent = Pick<MitsuEvent,
  'payload_b64' | 'protocol' | 'transport' | 'dst_port' | 'commands' | 'credentials' | 'fields'>;

function cut(value: string): string {
  return value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value;
}

/** Distinct values, each cut, bounded in number and in characters all together. */
function bounded(values: Iterable<string>): string[] {
  const out = new Set<string>();
  let budget = MAX_TARGET_CHARS;
  for (const value of values) {
    if (out.size >= MAX_VALUES_PER_TARGET || budget <= 0) break;
    const kept = value.length > Math.min(budget, MAX_VALUE_CHARS)
      ? value.slice(0, Math.min(budget, MAX_VALUE_CHARS)) : value;
    if (out.has(kept)) continue;
    out.add(kept);
    budget -= kept.length;
  }
  return [...out];
}

function payloadLatin1(b64: string): string {
  // 4 base64 characters carry 3 bytes: decode only what rules may see.
  const limit = Math.ceil(MAX_MATCH_PAYLOAD_BYTES / 3) * 4;
  const bytes = Buffer.from(b64.length > limit ? b64.slice(0, limit) : b64, 'base64');
  return bytes.subarray(0, MAX_MATCH_PAYLOAD_BYTES).toString('latin1');
}

/** A field value as the strings a rule compares: arrays give each element. */
function* leafStrings(value: unknown): Generator<string> {
  if (Array.isArray(value)) {
    for (const element of value) yield* scalarString(element);
    return;
  }
  yield* scalarString(value);
}

function* scalarString(value: unknown): Generator<string> {
  if (value === null || value === undefined) return;
  if (typeof value === 'string') yield value;
  else if (typeof value === 'number' || typeof value === 'boolean') yield String(value);
  else if (typeof value === 'object') yield cut(JSON.stringify(value));
}

/** Values at `path` in `fields`; an array met on the way is walked element by element. */
export function fieldValues(fields: Record<string, unknown>, path: string): string[] {
  let nodes: unknown[] = [fields];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const node of nodes) {
      const items = Array.isArray(node) ? node : [node];
      for (const item of items.slice(0, MAX_VALUES_PER_TARGET)) {
        if (typeof item !== 'object' || item === null || Array.isArray(item)) continue;
        if (Object.hasOwn(item, key)) next.push((item as Record<string, unknown>)[key]);
      }
    }
    nodes = next;
  }
  return bounded(nodes.flatMap((node) => [...leafStrings(node)]));
}

/** `[name, value]` pairs of the first request and of every later one on the connection. */
function headerPairs(fields: Record<string, unknown>): unknown[] {
  const lists: unknown[] = [fields['headers']];
  const requests = fields['requests'];
  if (Array.isArray(requests)) {
    for (const request of requests) {
      if (typeof request === 'object' && request !== null) {
        lists.push((request as Record<string, unknown>)['headers']);
      }
    }
  }
  return lists.flatMap((list) => (Array.isArray(list) ? list : []));
}

function headerMap(fields: Record<string, unknown>): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const pair of headerPairs(fields)) {
    if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
      continue;
    }
    const name = pair[0].toLowerCase();
    const list = map.get(name) ?? [];
    if (list.length < MAX_VALUES_PER_TARGET) list.push(pair[1]);
    map.set(name, list);
  }
  return map;
}

/** One event as rules see it; every target is computed on first use and kept. */
export class EventView {
  readonly event: ViewedEvent;
  readonly #values = new Map<string, readonly string[]>();
  readonly #lower = new Map<string, readonly string[]>();
  readonly #regex = new Map<string, RegexInput[]>();
  readonly #ascii = new Map<string, readonly boolean[]>();
  #payload: string | undefined;
  #headers: Map<string, string[]> | undefined;

  constructor(event: ViewedEvent) {
    this.event = event;
  }

  /** The payload, one character per byte. */
  get payload(): string {
    this.#payload ??= payloadLatin1(this.event.payload_b64);
    return this.#payload;
  }

  /** The strings a target yields (see docs/rules.md, "Targets"). */
  values(target: string): readonly string[] {
    let values = this.#values.get(target);
    if (values === undefined) {
      values = this.#compute(target);
      this.#values.set(target, values);
    }
    return values;
  }

  /** The same values, lower-cased, for `nocase` tests. */
  lowerValues(target: string): readonly string[] {
    let values = this.#lower.get(target);
    if (values === undefined) {
      values = this.values(target).map((v) => v.toLowerCase());
      this.#lower.set(target, values);
    }
    return values;
  }

  /**
   * Value `index` of a target as RE2 takes it fastest: UTF-8 bytes made once per event, so
   * each regex does not convert the same 64 KiB string again. Code points stay those of the
   * latin1 string, so `\xNN` in a pattern still means byte NN of the payload.
   */
  regexInput(target: string, index: number): RegexInput {
    let inputs = this.#regex.get(target);
    if (inputs === undefined) {
      inputs = [];
      this.#regex.set(target, inputs);
    }
    inputs[index] ??= Buffer.from(this.values(target)[index]!, 'utf8');
    return inputs[index];
  }

  /** Every value of a target as RE2 takes it (see `regexInput`). */
  regexInputs(target: string): readonly RegexInput[] {
    return this.values(target).map((_, i) => this.regexInput(target, i));
  }

  /** Whether value `index` of a target is all ASCII (where lower-casing folds as RE2 does). */
  isAscii(target: string, index: number): boolean {
    let flags = this.#ascii.get(target);
    if (flags === undefined) {
      flags = this.values(target).map((v) => !NON_ASCII.test(v));
      this.#ascii.set(target, flags);
    }
    return flags[index] === true;
  }

  #compute(target: string): readonly string[] {
    const event = this.event;
    const colon = target.indexOf(':');
    if (colon > 0) {
      const kind = target.slice(0, colon);
      const name = target.slice(colon + 1);
      if (kind === 'field') return fieldValues(event.fields, name);
      if (kind === 'header') {
        this.#headers ??= headerMap(event.fields);
        return bounded(this.#headers.get(name) ?? []);
      }
    }
    switch (target) {
      case 'payload': return this.payload === '' ? [] : [this.payload];
      case 'text': return this.#text();
      case 'commands': return bounded(event.commands);
      case 'username': return bounded(event.credentials.map((c) => c.username));
      case 'password': return bounded(event.credentials.map((c) => c.password));
      case 'protocol': return [event.protocol];
      case 'port': return [String(event.dst_port)];
      case 'transport': return [event.transport];
      default: return [];
    }
  }

  /** The payload, every command, and the decoded layers of each. */
  #text(): string[] {
    const sources = [this.payload, ...this.event.commands.slice(0, MAX_VALUES_PER_TARGET)]
      .filter((s) => s !== '').map(cut);
    function* all(): Generator<string> {
      yield* sources;
      for (const source of sources) yield* decodeLayers(source);
    }
    return bounded(all());
  }
}
