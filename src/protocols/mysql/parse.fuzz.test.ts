// Property-based fuzzing of the MySQL readers and session with fast-check: random bytes and
// mutations of the mariadb client's login never make them throw, and replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusRecords } from '../test-corpus.js';
import { startSession } from '../test-session.js';
import { mysql } from './index.js';
import { readPacket } from './parse.js';
import { readHandshakeResponse } from './response.js';

const SEEDS = [readFileSync(new URL('fixtures/mariadb-handshake-response.bin', import.meta.url))];
/** One ERR packet for a user name of at most 256 bytes fits well under this. */
const MAX_REPLY_BYTES = 512;

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

describe('mysql readers under fuzzing', () => {
  it('never throw on random or mutated bytes', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      readPacket(bytes);
      readHandshakeResponse(bytes.subarray(4));
    }), { numRuns: 3000 });
  });

  it('keep the session from throwing or answering more than one ERR packet', () => {
    fc.assert(fc.property(fc.array(inputs, { minLength: 1, maxLength: 4 }), (chunks) => {
      const { ctx, session } = startSession(mysql);
      for (const chunk of chunks) session.data(chunk);
      expect(Buffer.concat(ctx.sent).length).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    }), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    for (const record of corpusRecords()) {
      const { session } = startSession(mysql);
      expect(() => session.data(record.bytes), record.id).not.toThrow();
    }
  });
});
