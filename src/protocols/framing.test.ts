// FrameBuffer: whole messages out of split and joined chunks, malformed results handed back,
// and no endless loop on a reader that takes no bytes.

import { describe, expect, it } from 'vitest';
import { FrameBuffer } from './framing.js';

type Result =
  | { kind: 'incomplete' }
  | { kind: 'message'; body: string; length: number }
  | { kind: 'malformed'; reason: string; declared: number };

/** One length byte, then that many bytes; a length over 8 is malformed. */
function read(buf: Buffer): Result {
  const size = buf[0];
  if (size === undefined) return { kind: 'incomplete' };
  if (size > 8) return { kind: 'malformed', reason: 'too_long', declared: size };
  if (buf.length < 1 + size) return { kind: 'incomplete' };
  return { kind: 'message', body: buf.toString('latin1', 1, 1 + size), length: 1 + size };
}

function collect(frames: FrameBuffer, chunk: Buffer, out: string[]): Result | undefined {
  frames.push(chunk);
  return frames.drain(read, (m) => {
    out.push(m.body);
    return true;
  });
}

describe('FrameBuffer', () => {
  it('hands out messages split across chunks and several in one chunk', () => {
    const frames = new FrameBuffer();
    const out: string[] = [];
    expect(collect(frames, Buffer.from('\x03ab', 'latin1'), out)).toBeUndefined();
    expect(out).toEqual([]);
    collect(frames, Buffer.from('c\x01x\x02y', 'latin1'), out);
    expect(out).toEqual(['abc', 'x']);
    expect(frames.bytes.toString('latin1')).toBe('\x02y');
  });

  it('returns the malformed result with its fields and stops reading', () => {
    const frames = new FrameBuffer();
    const out: string[] = [];
    const bad = collect(frames, Buffer.from('\x01a\x09zzzz', 'latin1'), out);
    expect(out).toEqual(['a']);
    expect(bad).toEqual({ kind: 'malformed', reason: 'too_long', declared: 9 });
  });

  it('stops when the message handler says so and keeps the rest', () => {
    const frames = new FrameBuffer();
    frames.push(Buffer.from('\x01a\x01b', 'latin1'));
    const out: string[] = [];
    frames.drain(read, (m) => {
      out.push(m.body);
      return false;
    });
    expect(out).toEqual(['a']);
    expect(frames.bytes.toString('latin1')).toBe('\x01b');
  });

  it('waits instead of looping on a reader that claims an empty message', () => {
    const frames = new FrameBuffer();
    frames.push(Buffer.from('abc'));
    let calls = 0;
    const result = frames.drain(() => ({ kind: 'message', length: 0 }), () => ++calls > 0);
    expect(result).toBeUndefined();
    expect(calls).toBe(0);
  });

  it('consumes and clears on request', () => {
    const frames = new FrameBuffer();
    frames.push(Buffer.from('hello'));
    frames.consume(2);
    expect(frames.bytes.toString()).toBe('llo');
    frames.clear();
    expect(frames.bytes.length).toBe(0);
  });
});
