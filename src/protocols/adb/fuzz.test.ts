// Property-based fuzzing of the ADB readers and session with fast-check: random bytes and
// mutated corpus transports, fed in random chunks. No exception escapes; output stays bounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { expectCorpusSurvived, fuzzInputs, readersClaimWithinInput, sentBytes,
  splitSessionProperty } from '../test-fuzz.js';
import { adb } from './index.js';
import { encodeMessage, readMessage, readShellPacket } from './parse.js';

const CNXN = encodeMessage('CNXN', 0x01000001, 4096, Buffer.from('host::\0'));
const SEEDS = [
  ...['seed-5555-adb-shell-dropper', 'adb-shell-mirai-urbotnetisass'].map(corpusBytes),
  Buffer.concat([CNXN, encodeMessage('OPEN', 5, 0, Buffer.from('shell,v2,pty:\0')),
    encodeMessage('OKAY', 5, 1), encodeMessage('WRTE', 5, 1, Buffer.from('\0\x03\0\0\0id\n'))]),
  Buffer.concat([CNXN, encodeMessage('OPEN', 2, 0, Buffer.from('shell:\0')),
    encodeMessage('WRTE', 2, 1, Buffer.from('ls\r\n')), encodeMessage('OKAY', 2, 1)]),
];

const inputs = fuzzInputs(SEEDS, { maxRandomBytes: 512 });

describe('adb fuzz', () => {
  it('the readers never throw and never claim more bytes than they were given', () => {
    fc.assert(readersClaimWithinInput(inputs, readMessage, readShellPacket), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(splitSessionProperty(adb, { dstPort: 5555 }, inputs, (ctx, bytes) => {
      expect(sentBytes(ctx)).toBeLessThanOrEqual(2048 + 8 * bytes.length);
    }), { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    expectCorpusSurvived(adb, { dstPort: 5555 });
  });
});
