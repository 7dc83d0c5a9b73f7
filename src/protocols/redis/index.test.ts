// The redis probe on RESP arrays and inline commands from the corpus, and on look-alikes.

import { describe, expect, it } from 'vitest';

import { identify } from '../identify.js';
import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { redis } from './index.js';

describe('redis probe', () => {
  it('is sure of RESP arrays, even with absurd declared lengths', () => {
    for (const id of ['seed-6379-redis-cron-write-resp', 'redis-rogue-master-module-load',
      'adv-redis-huge-bulk-length']) {
      expect(redis.probe(corpusBytes(id)), id).toBeGreaterThanOrEqual(PROBE_SURE);
    }
  });

  it('is sure of inline commands in any case', () => {
    expect(redis.probe(corpusBytes('seed-6379-redis-cron-write-inline'))).toBeGreaterThanOrEqual(
      PROBE_SURE);
    expect(redis.probe(Buffer.from('ping\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(redis.probe(Buffer.from('SLAVEOF 198.51.100.7 8886\r\n'))).toBeGreaterThanOrEqual(
      PROBE_SURE);
  });

  it('takes array counts of any size, which the session refuses as Redis does', () => {
    const huge = Buffer.from('*2147483648\r\n$4\r\nPING\r\n');
    expect(redis.probe(huge)).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(identify(huge, 'tcp').protocol?.name).toBe('redis');
    expect(identify(Buffer.from('*1024\r\n'), 'tcp').protocol?.name).toBe('redis');
  });

  it('waits on an array header cut short', () => {
    expect(redis.probe(Buffer.from('*3\r'))).toBe(PROBE_PARTIAL);
  });

  it('leaves HTTP and SIP request lines that start like commands alone', () => {
    expect(redis.probe(corpusBytes('seed-8080-http-get-root'))).toBe(0);
    expect(redis.probe(Buffer.from('INFO sip:alice@example.com SIP/2.0\r\n'))).toBe(0);
    expect(redis.probe(Buffer.from('GETAWAY\r\n'))).toBe(0);
  });
});
