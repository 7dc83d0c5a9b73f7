// Property-based fuzzing of the JSON-RPC line reader and session with fast-check: random
// bytes and mutated request lines, fed in random chunks. No exception escapes.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { expectBoundedByInput, expectCorpusSurvived, fuzzInputs, readersClaimWithinInput,
  splitSessionProperty } from '../test-fuzz.js';
import { jsonrpc } from './index.js';
import { readLine } from './parse.js';

const FIXTURES = ['claymore-getstat1.bin', 'stratum-subscribe-authorize.bin',
  'ethproxy-login-getwork.bin'];
const SEEDS = [
  ...FIXTURES.map((name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url))),
  Buffer.from('[{"jsonrpc":"2.0","id":1,"method":"eth_accounts"},{"id":"x","method":"a"}]\n'),
];

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 512 });

describe('jsonrpc fuzz', () => {
  it('the reader never throws and never claims more bytes than it was given', () => {
    fc.assert(readersClaimWithinInput(inputs, readLine), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(splitSessionProperty(jsonrpc, { dstPort: 3333 }, inputs, expectBoundedByInput),
      { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    expectCorpusSurvived(jsonrpc, { dstPort: 3333 });
  });
});
