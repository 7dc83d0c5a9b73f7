// The memcached probe on UDP-framed stats/gets, as reflection attacks send, and on TCP.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { PROBE_SURE } from '../types.js';
import { memcached } from './index.js';

/** Request id 0x0102, sequence 0, one datagram, reserved 0, then the command text. */
function datagram(command: string): Buffer {
  return Buffer.concat([Buffer.from([1, 2, 0, 0, 0, 1, 0, 0]), Buffer.from(command)]);
}

describe('memcached probe', () => {
  it('is sure of framed stats and gets', () => {
    expect(memcached.probe(datagram('stats\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(memcached.probe(datagram('gets a b c\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('takes a bare stats over TCP', () => {
    expect(memcached.probe(Buffer.from('stats\r\n'))).toBeGreaterThanOrEqual(PROBE_MIN);
  });

  it('refuses a frame of several datagrams and unknown commands', () => {
    const split = datagram('stats\r\n');
    split[5] = 2;
    expect(memcached.probe(split)).toBe(0);
    expect(memcached.probe(datagram('hello\r\n'))).toBe(0);
  });
});

describe('memcached answer', () => {
  it('answers framed stats with whole STAT lines that fit the request', () => {
    const request = datagram(`stats${' '.repeat(80)}\r\n`);
    const fields: Record<string, unknown> = {};
    const reply = memcached.answer?.(request, 11211, fields) ?? Buffer.alloc(0);
    expect(reply.subarray(0, 8)).toEqual(request.subarray(0, 8));
    expect(reply.toString('latin1', 8)).toMatch(/^STAT pid \d+\r\n(STAT [^\r]+\r\n)*$/);
    expect(reply.length).toBeLessThanOrEqual(request.length);
    expect(fields['command']).toMatch(/^stats/);
  });

  it('answers a bare 15-byte stats with nothing rather than a cut line', () => {
    expect(memcached.answer?.(datagram('stats\r\n'), 11211, {})).toBeUndefined();
  });

  it('answers get with END', () => {
    const reply = memcached.answer?.(datagram('get a\r\n'), 11211, {});
    expect(reply?.toString('latin1', 8)).toBe('END\r\n');
  });
});
