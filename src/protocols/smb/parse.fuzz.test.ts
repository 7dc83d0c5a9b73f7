// Property-based fuzzing of the SMB readers and session with fast-check: random bytes and
// mutations of smbclient's and scanners' negotiates never make them throw; replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { expectCorpusSurvived, fuzzInputs, repliesStayWithin,
  truncationsOf } from '../test-fuzz.js';
import { smb } from './index.js';
import { readAuthenticate } from './ntlm.js';
import { readMessage, readSmb1Negotiate, readSmb2Negotiate, readSmb2SessionSetup,
  readSmbHead } from './parse.js';

const SEEDS = [
  corpusBytes('smb1-negotiate-ms17-010-scanner'), corpusBytes('seed-443-smb-negotiate'),
  ...['smbclient-smb2-negotiate.bin', 'smbclient-nt1-negotiate.bin']
    .map((name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url))),
];
/** Replies per chunk are a negotiate response or a challenge: well under 1 KiB each. */
const MAX_REPLY_BYTES = 4 * 1024;

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 600, mutate: truncationsOf });

describe('smb readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readSmbHead(bytes);
      readMessage(bytes);
      readSmb1Negotiate(bytes);
      readSmb2Negotiate(bytes);
      readSmb2SessionSetup(bytes);
      readAuthenticate(bytes);
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering without bound', () => {
    fc.assert(repliesStayWithin(smb, inputs, MAX_REPLY_BYTES), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    expectCorpusSurvived(smb);
  });
});
