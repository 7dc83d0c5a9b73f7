// Property-based fuzzing of the JDWP packet reader and session with fast-check: random
// bytes and mutated debugger sessions, fed in random chunks. No exception escapes.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { expectBoundedByInput, expectCorpusSurvived, fuzzInputs, readersClaimWithinInput,
  splitSessionProperty } from '../test-fuzz.js';
import { jdwp } from './index.js';
import { readPacket } from './parse.js';

const HANDSHAKE = Buffer.from('JDWP-Handshake');
const VERSION = Buffer.from('0000000b00000001000101', 'hex');
const CREATE = Buffer.from('000000110000000200010b000000026964', 'hex');
const SEEDS = [Buffer.concat([HANDSHAKE, VERSION, CREATE]), Buffer.concat([HANDSHAKE, CREATE]),
  readFileSync(new URL('fixtures/openjdk17-version-reply.bin', import.meta.url))];

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 512 });

describe('jdwp fuzz', () => {
  it('the reader never throws and never claims more bytes than it was given', () => {
    fc.assert(readersClaimWithinInput(inputs, readPacket), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(splitSessionProperty(jdwp, { dstPort: 8000 }, inputs, expectBoundedByInput),
      { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    expectCorpusSurvived(jdwp, { dstPort: 8000 });
  });
});
