// Property-based fuzzing of every registered protocol (fast-check): its probe, its UDP answer
// and its session, driven through a fake SessionContext, get random bytes and mutations of
// every corpus record and fixture file, split into random chunks. No exception may escape,
// replies stay bounded, and every run ends quickly. New protocols are picked up from the registry.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { PROTOCOLS } from './registry.js';
import { corpusRecords } from './test-corpus.js';
import { randomBytes, sentBytes } from './test-fuzz.js';
import { fakeContext } from './test-session.js';
import { PROBE_MAX_BYTES, type ProtocolDescriptor } from './types.js';

/** Runs per protocol and property; enough to walk each parser's states, small enough for CI. */
const RUNS = 120;
/** What one session may send for one fuzzed input: the sensor's write-buffer cap. */
const MAX_SENT_BYTES = 256 * 1024;
/** Recorded fields of one run, as JSON. */
const MAX_FIELDS_JSON_BYTES = 256 * 1024;
/** One run on a busy shared machine; a parser that loops or backtracks blows through it. */
const MAX_RUN_MS = 2_000;
const MAX_INPUT_BYTES = 8 * 1024;

function fixtureFiles(dir: string): Buffer[] {
  const out: Buffer[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...fixtureFiles(path));
    else if (statSync(path).size <= MAX_INPUT_BYTES * 8) out.push(readFileSync(path));
  }
  return out;
}

function seeds(): Buffer[] {
  const root = new URL('.', import.meta.url).pathname;
  const fixtures = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, entry.name, 'fixtures'))
    .filter((dir) => statSync(dir, { throwIfNoEntry: false })?.isDirectory() === true)
    .flatMap(fixtureFiles);
  return [...corpusRecords().map((r) => r.bytes), ...fixtures].filter((b) => b.length > 0);
}

const SEEDS = seeds();

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('splice' as const), at: fc.nat(),
    bytes: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({ kind: fc.constant('join' as const), other: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(input: Buffer, m: Mutation): Buffer {
  if (input.length === 0) return input;
  const at = 'at' in m ? m.at % input.length : 0;
  if (m.kind === 'flip') {
    const out = Buffer.from(input);
    out[at] = (out[at] ?? 0) ^ (1 << m.bit);
    return out;
  }
  if (m.kind === 'cut') return input.subarray(0, at);
  if (m.kind === 'splice') {
    return Buffer.concat([input.subarray(0, at), Buffer.from(m.bytes), input.subarray(at)]);
  }
  return Buffer.concat([input, SEEDS[m.other % SEEDS.length] ?? Buffer.alloc(0)]);
}

const mutated = fc.record({ seed: fc.nat(), steps: fc.array(mutation, { maxLength: 4 }) })
  .map(({ seed, steps }) => steps.reduce(mutate, SEEDS[seed % SEEDS.length] ?? Buffer.alloc(0))
    .subarray(0, MAX_INPUT_BYTES));
const random = randomBytes(2048);
const input = fc.oneof(mutated, mutated, random);

/** Cuts `bytes` into chunks of the given sizes (the rest in one last chunk). */
function chunks(bytes: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (const size of sizes) {
    if (at >= bytes.length) break;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) out.push(bytes.subarray(at));
  return out;
}

function timed(work: () => void): void {
  const start = performance.now();
  work();
  expect(performance.now() - start).toBeLessThan(MAX_RUN_MS);
}

function fuzzSession(protocol: ProtocolDescriptor, bytes: Buffer, sizes: number[],
  greeted: boolean): void {
  const ctx = fakeContext({ greeted, dstPort: protocol.ports[0] ?? 0 });
  const session = protocol.session?.(ctx);
  timed(() => {
    for (const chunk of chunks(bytes, sizes)) {
      if (ctx.ended) break;
      session?.data(chunk);
    }
    session?.close?.();
  });
  expect(sentBytes(ctx)).toBeLessThanOrEqual(MAX_SENT_BYTES);
  expect(Buffer.byteLength(JSON.stringify(ctx.fields))).toBeLessThanOrEqual(MAX_FIELDS_JSON_BYTES);
  for (const c of ctx.credentials) expect(typeof c.username).toBe('string');
}

describe.each(PROTOCOLS.map((p) => [p.name, p] as const))('fuzzing %s', (_name, protocol) => {
  it('scores any bytes between 0 and 1 without throwing', () => {
    fc.assert(fc.property(input, (bytes) => {
      const score = protocol.probe(bytes.subarray(0, PROBE_MAX_BYTES));
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }), { numRuns: RUNS });
  });

  it.skipIf(protocol.session === undefined)('keeps its session bounded on chunked input '
    + '(protocols without a session only record)', () => {
    const sizes = fc.array(fc.integer({ min: 1, max: 512 }), { maxLength: 16 });
    fc.assert(fc.property(input, sizes, fc.boolean(), (bytes, cuts, greeted) => {
      fuzzSession(protocol, bytes, cuts, greeted);
    }), { numRuns: RUNS });
  });

  it.skipIf(protocol.answer === undefined)('never answers a datagram with more bytes than it '
    + 'carried (protocols without answer stay silent)', () => {
    fc.assert(fc.property(input, (bytes) => {
      const fields: Record<string, unknown> = {};
      timed(() => {
        const reply = protocol.answer?.(bytes, protocol.ports[0] ?? 0, fields);
        expect(reply?.length ?? 0).toBeLessThanOrEqual(bytes.length);
      });
      expect(Buffer.byteLength(JSON.stringify(fields))).toBeLessThanOrEqual(MAX_FIELDS_JSON_BYTES);
    }), { numRuns: RUNS });
  });
});
