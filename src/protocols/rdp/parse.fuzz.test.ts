// Property-based fuzzing of the RDP readers and session with fast-check: random bytes and
// mutations of captured requests never make them throw, and replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { expectCorpusSurvived, fuzzInputs, repliesStayWithin,
  truncationsOf } from '../test-fuzz.js';
import { rdp } from './index.js';
import { readClientCore, readConnectionRequest, readTpkt } from './parse.js';

const SEEDS = [
  corpusBytes('seed-3389-rdp-mstshash-administr'),
  ...['xfreerdp-request-nla.bin', 'xfreerdp-request-rdp.bin', 'xfreerdp-mcs-connect-initial.bin']
    .map((name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url))),
];
/** A confirm is 19 bytes; nothing else is ever sent. */
const MAX_REPLY_BYTES = 19;

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 600, mutate: truncationsOf });

describe('rdp readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readConnectionRequest(bytes);
      readTpkt(bytes, true);
      readClientCore(bytes);
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering more than a confirm', () => {
    fc.assert(repliesStayWithin(rdp, inputs, MAX_REPLY_BYTES), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    expectCorpusSurvived(rdp);
  });
});
