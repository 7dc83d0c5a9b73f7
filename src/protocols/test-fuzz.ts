// Test support: the fast-check inputs and properties the per-protocol fuzz tests share (mutated
// seeds, random bytes, split points, "never throws, stays bounded"). Used by tests only.

import fc from 'fast-check';
import { expect } from 'vitest';

import { corpusRecords } from './test-corpus.js';
import { startSession, type FakeContext } from './test-session.js';
import type { ProtocolDescriptor } from './types.js';

/** Most byte edits applied to one seed. */
const MAX_EDITS = 8;
/** Longest random tail appended to a truncated seed, in bytes. */
const MAX_TAIL_BYTES = 64;
/** Most split points in one input, so at most one more chunk than this. */
const MAX_CUTS = 6;
/** Most inputs fed in turn to one session by `repliesStayWithin`. */
const MAX_INPUTS_PER_SESSION = 4;
/** Replies a session may send whatever the input: a banner and an error or two. */
const MAX_BASE_REPLY_BYTES = 4096;
/** Replies a session may add for each byte it was given. */
const MAX_REPLY_BYTES_PER_INPUT_BYTE = 64;

type Seeds = readonly Buffer[];
type SessionOptions = Parameters<typeof startSession>[1];

/** What a reader returns; `length`, when present, is how many bytes it says it consumed. */
interface ReaderResult { readonly kind: string; readonly length?: number }

/** Random bytes, up to `maxLength` of them. */
export function randomBytes(maxLength: number): fc.Arbitrary<Buffer> {
  return fc.uint8Array({ maxLength }).map((bytes) => Buffer.from(bytes));
}

/** A seed with a few bytes overwritten, inserted or cut, anywhere. */
export function mutationsOf(seeds: Seeds): fc.Arbitrary<Buffer> {
  const edit = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(2));
  return fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { maxLength: MAX_EDITS }))
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
}

/** A seed with a few bytes overwritten, then cut short and extended by random bytes. */
export function truncationsOf(seeds: Seeds): fc.Arbitrary<Buffer> {
  const overwrite = fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }));
  return fc.tuple(fc.constantFrom(...seeds), fc.array(overwrite, { maxLength: MAX_EDITS }),
    fc.nat(), fc.uint8Array({ maxLength: MAX_TAIL_BYTES }),
  ).map(([seed, edits, cut, tail]) => {
    const bytes = Buffer.from(seed);
    for (const [at, value] of edits) bytes[at % bytes.length] = value;
    return Buffer.concat([bytes.subarray(0, cut % (bytes.length + 1)), tail]);
  });
}

export interface FuzzInputOptions {
  /** Longest purely random input, in bytes. */
  maxRandomBytes: number;
  /** How the seeds are mutated; `mutationsOf` unless given. */
  mutate?: (seeds: Seeds) => fc.Arbitrary<Buffer>;
}

/** Half mutated seeds, half random bytes. */
export function fuzzInputs(seeds: Seeds, options: FuzzInputOptions): fc.Arbitrary<Buffer> {
  const mutate = options.mutate ?? mutationsOf;
  return fc.oneof(mutate(seeds), randomBytes(options.maxRandomBytes));
}

/** Splits `bytes` at the given points (each taken modulo the length plus one), in order. */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  return out;
}

/** Everything a fake session context was sent, in bytes. */
export function sentBytes(ctx: FakeContext): number {
  return ctx.sent.reduce((n, b) => n + b.length, 0);
}

/** Fails when a reader says it consumed more bytes than it was handed. */
export function expectClaimWithin(result: ReaderResult, given: Buffer): void {
  if (result.length !== undefined) expect(result.length).toBeLessThanOrEqual(given.length);
}

/** Property: no reader throws on any input, and none claims more bytes than it was handed. */
export function readersClaimWithinInput(inputs: fc.Arbitrary<Buffer>,
  ...readers: ((bytes: Buffer) => ReaderResult)[]): fc.IPropertyWithHooks<[Buffer]> {
  return fc.property(inputs, (bytes) => {
    for (const read of readers) expectClaimWithin(read(bytes), bytes);
  });
}

/**
 * Property: a fresh session fed any input, split at any points, never throws; `check` then
 * bounds what it recorded and sent for that input.
 */
export function splitSessionProperty(protocol: ProtocolDescriptor, options: SessionOptions,
  inputs: fc.Arbitrary<Buffer>, check: (ctx: FakeContext, input: Buffer) => void,
): fc.IPropertyWithHooks<[Buffer, number[]]> {
  return fc.property(inputs, fc.array(fc.nat(), { maxLength: MAX_CUTS }), (bytes, cuts) => {
    const { ctx, session } = startSession(protocol, options);
    for (const chunk of splitAt(bytes, cuts)) session.data(chunk);
    check(ctx, bytes);
  });
}

/** Fails unless a session recorded at most one command per input byte and replied in step. */
export function expectBoundedByInput(ctx: FakeContext, input: Buffer): void {
  expect(ctx.commands.length).toBeLessThanOrEqual(input.length);
  expect(sentBytes(ctx))
    .toBeLessThan(MAX_BASE_REPLY_BYTES + MAX_REPLY_BYTES_PER_INPUT_BYTE * input.length);
}

/** Property: a fresh session fed a few inputs in turn never throws nor sends over the cap. */
export function repliesStayWithin(protocol: ProtocolDescriptor, inputs: fc.Arbitrary<Buffer>,
  maxReplyBytes: number): fc.IPropertyWithHooks<[Buffer[]]> {
  const turns = fc.array(inputs, { minLength: 1, maxLength: MAX_INPUTS_PER_SESSION });
  return fc.property(turns, (chunks) => {
    const { ctx, session } = startSession(protocol);
    for (const chunk of chunks) session.data(chunk);
    expect(Buffer.concat(ctx.sent).length).toBeLessThanOrEqual(maxReplyBytes);
  });
}

/** Fails when any corpus record, hostile ones included, makes a fresh session throw. */
export function expectCorpusSurvived(protocol: ProtocolDescriptor,
  options: SessionOptions = {}): void {
  for (const record of corpusRecords()) {
    const { session } = startSession(protocol, options);
    expect(() => session.data(record.bytes), record.id).not.toThrow();
  }
}
