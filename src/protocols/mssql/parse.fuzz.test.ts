// Property-based fuzzing of the TDS readers and session with fast-check: random bytes and
// mutations of tsql's and nmap's packets never make them throw, and replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes, corpusRecords } from '../test-corpus.js';
import { startSession } from '../test-session.js';
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

const mutated = fc.tuple(
  fc.constantFrom(...SEEDS),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
  fc.nat(), fc.uint8Array({ maxLength: 64 }),
).map(([seed, edits, cut, tail]) => {
  const bytes = Buffer.from(seed);
  for (const [at, value] of edits) bytes[at % bytes.length] = value;
  return Buffer.concat([bytes.subarray(0, cut % (bytes.length + 1)), tail]);
});

const inputs = fc.oneof(mutated, fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)));

describe('tds readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readTdsPacket(bytes);
      readPreloginOptions(bytes.subarray(8));
      readLogin7(bytes.subarray(8));
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering more than a login failure', () => {
    fc.assert(fc.property(fc.array(inputs, { minLength: 1, maxLength: 4 }), (chunks) => {
      const { ctx, session } = startSession(mssql);
      for (const chunk of chunks) session.data(chunk);
      expect(Buffer.concat(ctx.sent).length).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    }), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    for (const record of corpusRecords()) {
      const { session } = startSession(mssql);
      expect(() => session.data(record.bytes), record.id).not.toThrow();
    }
  });
});
