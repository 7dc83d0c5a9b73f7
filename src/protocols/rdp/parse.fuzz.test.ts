// Property-based fuzzing of the RDP readers and session with fast-check: random bytes and
// mutations of captured requests never make them throw, and replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes, corpusRecords } from '../test-corpus.js';
import { startSession } from '../test-session.js';
import { rdp } from './index.js';
import { readClientCore, readConnectionRequest, readTpkt } from './parse.js';

const SEEDS = [
  corpusBytes('seed-3389-rdp-mstshash-administr'),
  ...['xfreerdp-request-nla.bin', 'xfreerdp-request-rdp.bin', 'xfreerdp-mcs-connect-initial.bin']
    .map((name) => readFileSync(new URL(`fixtures/${name}`, import.meta.url))),
];
/** A confirm is 19 bytes; nothing else is ever sent. */
const MAX_REPLY_BYTES = 19;

/** A seed with a few bytes overwritten, cut short or extended. */
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

describe('rdp readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readConnectionRequest(bytes);
      readTpkt(bytes, true);
      readClientCore(bytes);
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering more than a confirm', () => {
    fc.assert(fc.property(fc.array(inputs, { minLength: 1, maxLength: 4 }), (chunks) => {
      const { ctx, session } = startSession(rdp);
      for (const chunk of chunks) session.data(chunk);
      expect(Buffer.concat(ctx.sent).length).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    }), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    for (const record of corpusRecords()) {
      const { session } = startSession(rdp);
      expect(() => session.data(record.bytes), record.id).not.toThrow();
    }
  });
});
