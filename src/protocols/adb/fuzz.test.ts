// Property-based fuzzing of the ADB readers and session with fast-check: random bytes and
// mutated corpus transports, fed in random chunks. No exception escapes; output stays bounded.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes, corpusRecords } from '../test-corpus.js';
import { startSession } from '../test-session.js';
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

/** A corpus chain with a few bytes overwritten, inserted or cut. */
const mutated = fc.tuple(fc.constantFrom(...SEEDS),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(2)), { maxLength: 8 }))
  .map(([seed, edits]) => {
    const bytes = [...seed];
    for (const [at, value, op] of edits) {
      const i = at % (bytes.length + 1);
      if (op === 0) bytes[i] = value;
      else if (op === 1) bytes.splice(i, 0, value);
      else bytes.splice(i, 1);
    }
    return Buffer.from(bytes);
  });

const inputs = fc.oneof(mutated, fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)));

function chunks(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

describe('adb fuzz', () => {
  it('the readers never throw and never claim more bytes than they were given', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      for (const result of [readMessage(bytes), readShellPacket(bytes)]) {
        if (result.kind === 'message') expect(result.length).toBeLessThanOrEqual(bytes.length);
      }
    }), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(fc.property(inputs, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
      const { ctx, session } = startSession(adb, { dstPort: 5555 });
      for (const chunk of chunks(bytes, cuts)) session.data(chunk);
      const out = ctx.sent.reduce((n, b) => n + b.length, 0);
      expect(out).toBeLessThanOrEqual(2048 + 8 * bytes.length);
    }), { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    for (const record of corpusRecords()) {
      const { session } = startSession(adb, { dstPort: 5555 });
      expect(() => session.data(record.bytes), record.id).not.toThrow();
    }
  });
});
