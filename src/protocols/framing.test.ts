// FrameBuffer: whole messages out of split and joined chunks, malformed results handed back,
// no endless loop on a reader that takes no bytes, and the session base fed by it.

import { describe, expect, it } from 'vitest';
import { FrameBuffer, FrameSession } from './framing.js';
import { type FakeContext, fakeContext } from './test-session.js';

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

class Echo extends FrameSession<Result> {
  constructor(ctx: FakeContext) {
    super(ctx, read);
  }

  protected message(message: { body: string }): void {
    if (message.body === 'bye') return this.hangUp();
    this.ctx.send(Buffer.from(message.body));
  }
}

describe('FrameSession', () => {
  it('answers each whole message and reads nothing after hanging up', () => {
    const ctx = fakeContext();
    const session = new Echo(ctx);
    session.data(Buffer.from('\x02hi\x03bye\x02no', 'latin1'));
    session.data(Buffer.from('\x02no', 'latin1'));
    expect(ctx.text()).toBe('hi');
    expect(ctx.ended).toBe(true);
  });

  it('records a malformed message and closes without a reply', () => {
    const ctx = fakeContext();
    const session = new Echo(ctx);
    session.data(Buffer.from('\x01a\x09', 'latin1'));
    expect(ctx.text()).toBe('a');
    expect(ctx.reasons).toEqual(['too_long']);
    expect(ctx.ended).toBe(true);
  });
});
