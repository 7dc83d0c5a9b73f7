// What one Redis session remembers: keys, CONFIG values, replication role and loaded
// modules, each bounded; and the evidence kept in the event's fields. Nothing is written out.

import type { SessionContext } from '../types.js';
import type { Reply } from './resp.js';

/** Bytes of key values one session keeps; later SETs still answer +OK. */
export const MAX_STORED_BYTES = 64 * 1024;
export const MAX_KEYS = 256;
/** Entries kept in list-like fields (keys_set, modules). */
export const MAX_FIELD_ITEMS = 32;
export const MAX_FIELD_CHARS = 512;

/** Redis 6.0.16's answers to CONFIG GET on Ubuntu 22.04, with a bind open to the world. */
const DEFAULT_CONFIG: readonly [string, string][] = [
  ['dbfilename', 'dump.rdb'], ['requirepass', ''], ['masterauth', ''], ['unixsocket', ''],
  ['logfile', '/var/log/redis/redis-server.log'], ['pidfile', '/run/redis/redis-server.pid'],
  ['maxmemory', '0'], ['timeout', '0'], ['databases', '16'], ['port', '6379'],
  ['bind', '0.0.0.0'], ['protected-mode', 'no'], ['daemonize', 'yes'],
  ['save', '3600 1 300 100 60 10000'], ['appendonly', 'no'], ['appendfilename',
    'appendonly.aof'], ['slave-read-only', 'yes'], ['replica-read-only', 'yes'],
  ['maxclients', '10000'], ['loglevel', 'notice'], ['dir', '/var/lib/redis'],
];

export type Outcome = Reply | { reply: Reply; close: true };

export class RedisState {
  readonly ctx: SessionContext;
  readonly store = new Map<string, Buffer>();
  readonly config = new Map<string, string>(DEFAULT_CONFIG);
  storedBytes = 0;
  role: 'master' | 'slave' = 'master';
  masterHost = '';
  masterPort = 0;
  lastSaveMs = Date.now() - 600_000;
  modules: string[] = [];

  constructor(ctx: SessionContext) {
    this.ctx = ctx;
    this.config.set('port', String(ctx.dstPort));
  }

  set(key: string, value: Buffer): void {
    const old = this.store.get(key);
    if (old !== undefined) this.storedBytes -= key.length + old.length;
    this.store.delete(key);
    const fits = this.storedBytes + key.length + value.length <= MAX_STORED_BYTES;
    if (fits && this.store.size < MAX_KEYS) {
      this.store.set(key, value);
      this.storedBytes += key.length + value.length;
    }
    this.#note('keys_set', { key: clip(key), value: clip(value.toString('latin1')) });
  }

  delete(key: string): boolean {
    const old = this.store.get(key);
    if (old === undefined) return false;
    this.storedBytes -= key.length + old.length;
    return this.store.delete(key);
  }

  flush(): void {
    this.store.clear();
    this.storedBytes = 0;
  }

  /** CONFIG SET evidence: the last value set for each parameter. */
  noteConfig(name: string, value: string): void {
    const set = (this.ctx.fields['config_set'] ??= {}) as Record<string, string>;
    if (name in set || Object.keys(set).length < MAX_FIELD_ITEMS) set[clip(name)] = clip(value);
  }

  noteModule(path: string): void {
    this.#note('modules', clip(path));
  }

  #note(field: string, item: unknown): void {
    const list = (this.ctx.fields[field] ??= []) as unknown[];
    if (list.length < MAX_FIELD_ITEMS) list.push(item);
  }
}

/** A table lookup that never reaches Object.prototype ("constructor", "__proto__"). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

export function clip(text: string): string {
  return text.length > MAX_FIELD_CHARS ? text.slice(0, MAX_FIELD_CHARS) : text;
}

const MAX_GLOB_CHARS = 256;

/**
 * Redis' stringmatchlen for KEYS and CONFIG GET: '*', '?', [sets] and backslash escapes.
 * Two pointers with one backtrack point, so time stays O(pattern * text) on any pattern.
 */
export function globMatch(pattern: string, text: string, fold = false): boolean {
  const cut = pattern.slice(0, MAX_GLOB_CHARS);
  const p = fold ? cut.toLowerCase() : cut;
  const t = fold ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let starP = -1;
  let starT = 0;
  while (ti < t.length) {
    const step = pi < p.length && p[pi] !== '*' ? matchOne(p, pi, t[ti] ?? '') : null;
    if (step !== null) {
      pi = step;
      ti++;
    } else if (pi < p.length && p[pi] === '*') {
      starP = pi++;
      starT = ti;
    } else if (starP !== -1) {
      pi = starP + 1;
      ti = ++starT;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/** Matches one pattern element at `pi` against `c`: the index after it, or null. */
function matchOne(p: string, pi: number, c: string): number | null {
  const head = p[pi];
  if (head === '?') return pi + 1;
  if (head === '\\' && pi + 1 < p.length) return p[pi + 1] === c ? pi + 2 : null;
  if (head !== '[') return head === c ? pi + 1 : null;
  const close = p.indexOf(']', pi + 2);
  if (close === -1) return c === '[' ? pi + 1 : null;
  const negate = p[pi + 1] === '^';
  const set = p.slice(pi + (negate ? 2 : 1), close);
  return inSet(set, c) !== negate ? close + 1 : null;
}

function inSet(set: string, c: string): boolean {
  for (let i = 0; i < set.length; i++) {
    if (set[i + 1] === '-' && i + 2 < set.length) {
      if (c >= (set[i] ?? '') && c <= (set[i + 2] ?? '')) return true;
      i += 2;
    } else if (set[i] === c) {
      return true;
    }
  }
  return false;
}
