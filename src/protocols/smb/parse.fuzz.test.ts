// Property-based fuzzing of the SMB readers and session with fast-check: random bytes and
// mutations of smbclient's and scanners' negotiates never make them throw; replies stay small.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes, corpusRecords } from '../test-corpus.js';
import { startSession } from '../test-session.js';
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
    fc.assert(fc.property(fc.array(inputs, { minLength: 1, maxLength: 4 }), (chunks) => {
      const { ctx, session } = startSession(smb);
      for (const chunk of chunks) session.data(chunk);
      expect(Buffer.concat(ctx.sent).length).toBeLessThanOrEqual(MAX_REPLY_BYTES);
    }), { numRuns: 2000 });
  });

  it('survive every attack and hostile corpus record', () => {
    for (const record of corpusRecords()) {
      const { session } = startSession(smb);
      expect(() => session.data(record.bytes), record.id).not.toThrow();
    }
  });
});
