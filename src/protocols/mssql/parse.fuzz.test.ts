// Property-based fuzzing of the TDS readers and session with fast-check: random bytes and
// mutations of tsql's and nmap's packets never make them throw, and replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { expectCorpusSurvived, fuzzInputs, repliesStayWithin,
  truncationsOf } from '../test-fuzz.js';
import { mssql } from './index.js';
import { readLogin7 } from './login7.js';
import { readPreloginOptions, readTdsPacket } from './parse.js';

const SEEDS = [
  corpusBytes('mssql-tds-prelogin-nmap'),
  ...['tsql-prelogin.bin', 'tsql-login7.bin']
    .map((name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url))),
];
/** A PRELOGIN answer and a login failure for a 128-character user fit well under this. */
const MAX_REPLY_BYTES = 1024;

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 600, mutate: truncationsOf });

describe('tds readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readTdsPacket(bytes);
      readPreloginOptions(bytes.subarray(8));
      readLogin7(bytes.subarray(8));
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering more than a login failure', () => {
    fc.assert(repliesStayWithin(mssql, inputs, MAX_REPLY_BYTES), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    expectCorpusSurvived(mssql);
  });
});
