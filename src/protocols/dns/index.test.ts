// The dns probe and query reader on an ANY query, an EDNS0 query, TCP framing and junk.

import { describe, expect, it } from 'vitest';

import { PROBE_SURE } from '../types.js';
import { dns } from './index.js';
import { readQuery } from './parse.js';

function encodeName(name: string): Buffer {
  const labels = name === '' ? [] : name.split('.');
  const parts = labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

/** A recursive query for one name, as dig sends it, with or without an EDNS0 OPT record. */
function query(name: string, type: number, edns: boolean): Buffer {
  const header = Buffer.from([0x12, 0x34, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, edns ? 1 : 0]);
  const tail = Buffer.from([type >> 8, type & 0xff, 0, 1]);
  const opt = Buffer.from([0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0]);
  return Buffer.concat([header, encodeName(name), tail, ...(edns ? [opt] : [])]);
}

describe('dns probe', () => {
  it('is sure of a one-question query, with or without EDNS0', () => {
    expect(dns.probe(query('example.com', 255, false))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(dns.probe(query('example.com', 1, true))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(dns.probe(query('', 2, true))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('is sure of a query framed for TCP', () => {
    const message = query('example.org', 16, false);
    const framed = Buffer.concat([Buffer.from([0, message.length]), message]);
    expect(dns.probe(framed)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('refuses a response, a cut query and a label longer than 63 bytes', () => {
    const response = query('example.com', 1, false);
    response[2] = 0x81;
    expect(dns.probe(response)).toBe(0);
    expect(dns.probe(query('example.com', 1, false).subarray(0, 20))).toBe(0);
    const long = query('x'.repeat(64), 1, false);
    expect(dns.probe(long)).toBe(0);
  });
});

describe('dns query reader', () => {
  it('reads the name, type and class', () => {
    const result = readQuery(query('version.bind', 16, false));
    expect(result).toMatchObject({ kind: 'message', question: { name: 'version.bind', type: 16 } });
  });

  it('stops at 255 bytes of name however the labels run on', () => {
    const name = Array.from({ length: 8 }, () => 'a'.repeat(63)).join('.');
    const result = readQuery(query(name, 1, false));
    expect(result).toEqual({ kind: 'malformed', reason: 'name_too_long' });
  });
});

describe('dns answer', () => {
  it('refuses recursion as BIND does for an outside client, echoing the question', () => {
    const fields: Record<string, unknown> = {};
    const q = query('example.com', 255, true);
    const reply = dns.answer?.(q, 53, fields) ?? Buffer.alloc(0);
    expect(reply.readUInt16BE(0)).toBe(0x1234);
    expect(reply[2]).toBe(0x81);
    expect(reply[3]).toBe(5);
    expect(reply.length).toBeLessThanOrEqual(q.length);
    expect(reply.subarray(12, 29)).toEqual(q.subarray(12, 29));
    expect(fields).toMatchObject({ qname: 'example.com', qtype: 255, qclass: 1, edns: true });
  });

  it('answers nothing to a response or a broken name', () => {
    const response = query('example.com', 1, false);
    response[2] = 0x81;
    expect(dns.answer?.(response, 53, {})).toBeUndefined();
  });
});
