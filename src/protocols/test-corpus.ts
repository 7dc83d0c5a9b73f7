// Test support: loads the attack and hostile corpus (test/fixtures/corpus) with the protocol
// each record must be identified as. Used by the probe tests only; never by the sensor.

import { readFileSync } from 'node:fs';

import type { Transport } from '../events/event.js';

const CORPUS_DIR = new URL('../../test/fixtures/corpus/', import.meta.url);

export interface CorpusRecord {
  id: string;
  port: number;
  transport: Transport;
  bytes: Buffer;
  /** The protocol identify() must return; null for "unknown"; undefined when not stated. */
  protocol: string | null | undefined;
}

// hostile.jsonl states its expectations in prose; these are the protocols that prose implies.
const HOSTILE_PROTOCOLS: Record<string, string | null> = {
  'adv-giant-http-header': 'http',
  'adv-slowloris-partial-headers': 'http',
  'adv-binary-garbage-256': null,
  'adv-nul-bytes-telnet-and-path': 'telnet',
  'adv-redis-huge-bulk-length': 'redis',
  'adv-zero-length-session': null,
};

interface RawRecord {
  id: string;
  port: number;
  transport: Transport;
  payload_b64: string;
  replay?: string;
  expect: { protocol?: string } | string;
}

function expected(raw: RawRecord): string | null | undefined {
  if (typeof raw.expect !== 'string') return raw.expect.protocol;
  if (raw.id in HOSTILE_PROTOCOLS) return HOSTILE_PROTOCOLS[raw.id];
  return raw.expect.includes('protocol=unknown') ? null : undefined;
}

function load(file: string): CorpusRecord[] {
  const text = readFileSync(new URL(file, CORPUS_DIR), 'utf8');
  const raws = text.split('\n').filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RawRecord);
  return raws.filter((raw) => raw.replay === undefined).map((raw) => ({
    id: raw.id, port: raw.port, transport: raw.transport,
    bytes: Buffer.from(raw.payload_b64, 'base64'), protocol: expected(raw),
  }));
}

/** Every record sent as raw wire bytes; `replay` records (typed inside a session) are left out. */
export function corpusRecords(): CorpusRecord[] {
  return [...load('attacks.jsonl'), ...load('hostile.jsonl')];
}

/** The bytes of one record, by id; throws when the corpus no longer has it. */
export function corpusBytes(id: string): Buffer {
  const record = corpusRecords().find((r) => r.id === id);
  if (record === undefined) throw new Error(`corpus record ${id} is missing`);
  return record.bytes;
}
