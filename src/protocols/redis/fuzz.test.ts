// Property-based fuzzing of the Redis reader and session with fast-check: random bytes and
// mutated corpus chains, fed in random chunks. No exception escapes; buffers stay bounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { expectCorpusSurvived, fuzzInputs, readersClaimWithinInput,
  splitSessionProperty } from '../test-fuzz.js';
import { redis } from './index.js';
import { parseRequest } from './parse.js';

const SEEDS = ['seed-6379-redis-cron-write-resp', 'seed-6379-redis-cron-write-inline',
  'redis-rogue-master-module-load', 'adv-redis-huge-bulk-length'].map(corpusBytes);

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 512 });

describe('redis fuzz', () => {
  it('the reader never throws and never claims more bytes than it was given', () => {
    fc.assert(readersClaimWithinInput(inputs, parseRequest), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(splitSessionProperty(redis, { dstPort: 6379 }, inputs, (ctx, bytes) => {
      expect(ctx.commands.length).toBeLessThanOrEqual(bytes.length);
      for (const line of ctx.commands) expect(line.length).toBeLessThan(1100);
    }), { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    expectCorpusSurvived(redis, { dstPort: 6379 });
  });
});
