// Where an event's indicators are looked for: the payload, each command, and the recorded
// fields that carry request data (docs/protocols.md); and the sensor's own names and
// addresses (`dst_ip`, the HTTP Host), which are never indicators.

import type { MitsuEvent } from '../../events/event.js';
import { canonicalIp } from '../../lib/address.js';
import { hostOf } from './hosts.js';

/** Characters of all source texts of one event together (the payload first). */
export const MAX_SOURCE_CHARS = 256 * 1024;
/** Source texts of one event (payload, commands, field values). */
export const MAX_SOURCES = 512;
/** Nesting followed into `requests` and TLS `inner.fields`. */
const MAX_FIELD_DEPTH = 3;
/** Entries read from one array field (headers, services, keys_set, requests). */
const MAX_FIELD_ITEMS = 64;

export type IocEvent = Pick<MitsuEvent, 'payload_b64' | 'commands' | 'fields' | 'protocol' |
  'dst_ip' | 'credentials'>;

/** Distinct texts to search, bounded in count and total size. A command or field that the
 * payload holds as written adds nothing to it (a Telnet line, an HTTP path or body), so only
 * the others are searched again: SSH commands, TLS `inner.fields`, base64 or chunked bodies. */
export function sourceTexts(event: IocEvent, payload: string): string[] {
  const texts = new Set<string>();
  let total = 0;
  const add = (value: unknown): void => {
    if (typeof value !== 'string' || value === '' || texts.size >= MAX_SOURCES) return;
    if (texts.has(value) || (texts.size > 0 && payload.includes(value))) return;
    const room = MAX_SOURCE_CHARS - total;
    if (room <= 0) return;
    const text = value.length > room ? value.slice(0, room) : value;
    texts.add(text);
    total += text.length;
  };
  add(payload);
  // Stored events may come from older or foreign writers: a missing list is an empty one.
  const commands: unknown[] = Array.isArray(event.commands) ? event.commands : [];
  for (const command of commands.slice(0, MAX_SOURCES)) add(command);
  requestFields(event.fields, add, 0);
  return [...texts];
}

/** The payload bytes one character a byte, so every byte survives as written. */
export function payloadText(payloadB64: unknown): string {
  return typeof payloadB64 === 'string' ? Buffer.from(payloadB64, 'base64').toString('latin1') : '';
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? value as Record<string, unknown> : null;
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_FIELD_ITEMS) : [];
}

/** HTTP `path`, `query`, `body`, `headers` (less Host; User-Agent as its header line) and
 * later `requests`; TLS `inner.fields`; Redis `keys_set` values, `config_set`, `replicaof`;
 * ADB `services`. Other fields (hashes, fingerprints, T3 `java_classes`) are descriptions of
 * the client, not indicators. */
function requestFields(fields: unknown, add: (v: unknown) => void, depth: number): void {
  const f = record(fields);
  if (f === null || depth > MAX_FIELD_DEPTH) return;
  add(f.path);
  add(f.query);
  add(f.body_encoding === 'base64' && typeof f.body === 'string'
    ? Buffer.from(f.body, 'base64').toString('latin1') : f.body);
  for (const header of items(f.headers)) {
    if (!Array.isArray(header) || typeof header[1] !== 'string') continue;
    const name = String(header[0]).toLowerCase();
    // Written as the header line, so the extractor knows it for a self-description.
    if (name === 'user-agent') add(`User-Agent: ${header[1]}`);
    else if (name !== 'host') add(header[1]);
  }
  for (const entry of items(f.keys_set)) add(record(entry)?.value);
  for (const value of Object.values(record(f.config_set) ?? {}).slice(0, MAX_FIELD_ITEMS)) {
    add(value);
  }
  add(f.replicaof);
  for (const service of items(f.services)) add(service);
  for (const request of items(f.requests)) requestFields(request, add, depth + 1);
  requestFields(record(f.inner)?.fields, add, depth + 1);
}

const HOST_LINE = /^host:[ \t]*([^\r\n]{1,300})/gim;

/** The sensor's own address and the names clients called it by, lowercase. */
export function ownHosts(event: IocEvent, payload: string): Set<string> {
  const own = new Set<string>();
  const add = (authority: unknown): void => {
    const host = typeof authority === 'string' ? hostOf(authority) : null;
    if (host !== null) own.add(canonicalIp(host));
  };
  add(event.dst_ip);
  hostFields(event.fields, add, 0);
  for (const match of payload.slice(0, MAX_SOURCE_CHARS).matchAll(HOST_LINE)) add(match[1]);
  return own;
}

function hostFields(fields: unknown, add: (v: unknown) => void, depth: number): void {
  const f = record(fields);
  if (f === null || depth > MAX_FIELD_DEPTH) return;
  add(f.host);
  for (const request of items(f.requests)) hostFields(request, add, depth + 1);
  hostFields(record(f.inner)?.fields, add, depth + 1);
}
