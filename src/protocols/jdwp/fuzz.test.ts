// Property-based fuzzing of the JDWP packet reader and session with fast-check: random
// bytes and mutated debugger sessions, fed in random chunks. No exception escapes.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusRecords } from '../test-corpus.js';
import { startSession } from '../test-session.js';
import { jdwp } from './index.js';
import { readPacket } from './parse.js';

const HANDSHAKE = Buffer.from('JDWP-Handshake');
const VERSION = Buffer.from('0000000b00000001000101', 'hex');
const CREATE = Buffer.from('000000110000000200010b000000026964', 'hex');
const SEEDS = [Buffer.concat([HANDSHAKE, VERSION, CREATE]), Buffer.concat([HANDSHAKE, CREATE]),
  readFileSync(new URL('fixtures/openjdk17-version-reply.bin', import.meta.url))];

/** A session opening with a few bytes overwritten, inserted or cut. */
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

describe('jdwp fuzz', () => {
  it('the reader never throws and never claims more bytes than it was given', () => {
    fc.assert(fc.property(inputs, (bytes) => {
      const result = readPacket(bytes);
      if (result.kind === 'message') expect(result.length).toBeLessThanOrEqual(bytes.length);
    }), { numRuns: 3000 });
  });

  it('the session never throws, whatever the bytes and however they are split', () => {
    fc.assert(fc.property(inputs, fc.array(fc.nat(), { maxLength: 6 }), (bytes, cuts) => {
      const { ctx, session } = startSession(jdwp, { dstPort: 8000 });
      for (const chunk of chunks(bytes, cuts)) session.data(chunk);
      const out = ctx.sent.reduce((n, b) => n + b.length, 0);
      expect(ctx.commands.length).toBeLessThanOrEqual(bytes.length);
      expect(out).toBeLessThan(4096 + 64 * bytes.length);
    }), { numRuns: 1500 });
  });

  it('takes every corpus record, hostile ones included, without an exception', () => {
    for (const record of corpusRecords()) {
      const { session } = startSession(jdwp, { dstPort: 8000 });
      expect(() => session.data(record.bytes), record.id).not.toThrow();
    }
  });
});
