// Property-based fuzzing of the T3 readers and session with fast-check: random bytes and
// mutated hellos with messages, fed in random chunks. No exception escapes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { expectBoundedByInput, expectClaimWithin, expectCorpusSurvived, fuzzInputs,
  splitSessionProperty } from '../test-fuzz.js';
import { t3 } from './index.js';
import { readHello, readMessage, serialised } from './parse.js';

const HELLO = Buffer.from('t3 12.2.1\nAS:255\nHL:19\nMS:10000000\n\n');
const MESSAGE = Buffer.from('00000020016501ffffffffffaced0005737200116a6176612e7574696c2e4d6170',
  'hex');
const SEEDS = [Buffer.concat([HELLO, MESSAGE]), HELLO, Buffer.concat([HELLO, MESSAGE, MESSAGE])];

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 512 });

describe('t3 fuzz', () => {
  it('the reader never throws and never claims more bytes than it was given', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      const hello = readHello(bytes);
      if (hello.kind === 'message') expect(hello.hello.length).toBeLessThanOrEqual(bytes.length);
      expectClaimWithin(readMessage(bytes), bytes);
      expect(serialised(bytes, 32).classes.length).toBeLessThanOrEqual(32);
    }), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(splitSessionProperty(t3, { dstPort: 7001 }, inputs, expectBoundedByInput),
      { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    expectCorpusSurvived(t3, { dstPort: 7001 });
  });
});
