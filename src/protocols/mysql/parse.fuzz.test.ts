// Property-based fuzzing of the MySQL readers and session with fast-check: random bytes and
// mutations of the mariadb client's login never make them throw, and replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { expectCorpusSurvived, fuzzInputs, repliesStayWithin,
  truncationsOf } from '../test-fuzz.js';
import { mysql } from './index.js';
import { readPacket } from './parse.js';
import { readHandshakeResponse } from './response.js';

const SEEDS = [readFileSync(new URL('fixtures/mariadb-handshake-response.bin', import.meta.url))];
/** One ERR packet for a user name of at most 256 bytes fits well under this. */
const MAX_REPLY_BYTES = 512;

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 600, mutate: truncationsOf });

describe('mysql readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readPacket(bytes);
      readHandshakeResponse(bytes.subarray(4));
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering more than one ERR packet', () => {
    fc.assert(repliesStayWithin(mysql, inputs, MAX_REPLY_BYTES), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    expectCorpusSurvived(mysql);
  });
});
