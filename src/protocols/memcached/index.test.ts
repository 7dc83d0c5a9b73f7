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
