// The suite every probe must pass: each corpus record is identified as exactly the protocol
// it expects, no other probe is sure of it, and no probe throws or claims random bytes.

import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import type { Transport } from '../events/event.js';
import { greeterFor, identify, PROBE_MIN } from './identify.js';
import { PROTOCOLS } from './registry.js';
import { corpusRecords } from './test-corpus.js';
import { PROBE_MAX_BYTES, PROBE_SURE } from './types.js';

const RANDOM_INPUTS = 2000;
/** Prefixes longer than this add run time but no new probe paths. */
const MAX_PREFIX_BYTES = 300;
/** Random bytes may look like something now and then; more than this is a weak probe. */
const MAX_RANDOM_MATCH_RATE = 0.01;

const records = corpusRecords();
const stated = records.filter((r) => r.protocol !== undefined);

function head(bytes: Buffer): Buffer {
  return bytes.subarray(0, PROBE_MAX_BYTES);
}

function sureOthers(bytes: Buffer, transport: Transport, expected: string | null): string[] {
  return PROTOCOLS
    .filter((p) => p.transports.includes(transport) && p.name !== expected)
    .filter((p) => p.probe(head(bytes)) >= PROBE_SURE)
    .map((p) => p.name);
}

describe('every probe against the corpus', () => {
  it('has records to check', () => {
    expect(stated.length).toBeGreaterThan(30);
  });

  it.each(stated.map((r) => [r.id, r]))('identifies %s as expected', (_id, record) => {
    const found = identify(record.bytes, record.transport);
    expect(found.protocol?.name ?? null).toBe(record.protocol);
  });

  it.each(stated.map((r) => [r.id, r]))('leaves no other probe sure of %s', (_id, record) => {
    expect(sureOthers(record.bytes, record.transport, record.protocol ?? null)).toEqual([]);
  });

  it('scores every prefix of every record within [0, 1], without throwing', () => {
    const outOfRange: string[] = [];
    for (const record of records) {
      const bytes = head(record.bytes);
      for (let n = 0; n <= Math.min(bytes.length, MAX_PREFIX_BYTES); n++) {
        for (const p of PROTOCOLS) {
          const score = p.probe(bytes.subarray(0, n));
          if (!(score >= 0 && score <= 1)) outOfRange.push(`${p.name} ${record.id}[0:${n}]`);
        }
      }
    }
    expect(outOfRange).toEqual([]);
  });
});

describe('every probe against random bytes', () => {
  const inputs = Array.from({ length: RANDOM_INPUTS }, (_, i) => randomBytes(i % 600));

  it.each(PROTOCOLS.map((p) => [p.name, p]))('%s never throws and stays in [0, 1]', (_n, p) => {
    const scores = inputs.map((input) => p.probe(input));
    expect(scores.filter((score) => !(score >= 0 && score <= 1))).toEqual([]);
  });

  it.each(['tcp', 'udp'] as const)('over %s, random bytes are mostly unknown', (transport) => {
    const matched = inputs.filter((input) => identify(input, transport).score >= PROBE_MIN);
    expect(matched.length / inputs.length).toBeLessThanOrEqual(MAX_RANDOM_MATCH_RATE);
  });

  it('gives an empty buffer to nobody', () => {
    for (const protocol of PROTOCOLS) expect(protocol.probe(Buffer.alloc(0))).toBe(0);
  });
});

describe('the registry', () => {
  it('lists each protocol name once, in lowercase', () => {
    const names = PROTOCOLS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9]*$/);
  });

  it('greets silent clients on the usual ports of server-first protocols', () => {
    const greeters = [21, 22, 23, 25, 110, 143, 3306, 5900].map((p) => greeterFor(p)?.name);
    expect(greeters).toEqual(['ftp', 'ssh', 'telnet', 'smtp', 'pop3', 'imap', 'mysql', 'vnc']);
    expect(greeterFor(80)).toBeUndefined();
  });
});

// Bytes two protocols could both claim, and the one that must win.
const LOOK_ALIKES: [string, Transport, string][] = [
  ['OPTIONS sip:100@198.51.100.1 SIP/2.0\r\n', 'tcp', 'sip'],
  ['OPTIONS sip:100@198.51.100.1 SIP/2.0\r\n', 'udp', 'sip'],
  ['OPTIONS * HTTP/1.1\r\n', 'tcp', 'http'],
  ['M-SEARCH * HTTP/1.1\r\n', 'tcp', 'http'],
  ['M-SEARCH * HTTP/1.1\r\n', 'udp', 'ssdp'],
  ['GET key\r\n', 'tcp', 'redis'],
  ['INFO\r\n', 'tcp', 'redis'],
  ['stats\r\n', 'tcp', 'memcached'],
  ['USER anonymous\r\n', 'tcp', 'ftp'],
  ['CAPA\r\n', 'tcp', 'pop3'],
  ['a1 LOGIN root root\r\n', 'tcp', 'imap'],
  ['EHLO x\r\n', 'tcp', 'smtp'],
  ['admin\r\n', 'tcp', 'telnet'],
];

describe('look-alikes', () => {
  it.each(LOOK_ALIKES)('%j over %s is %s', (text, transport, expected) => {
    expect(identify(Buffer.from(text, 'latin1'), transport).protocol?.name).toBe(expected);
  });
});
