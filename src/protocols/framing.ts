// Shared framing for the binary and length-framed protocols (as text-lines.ts is for line
// protocols): a buffer that accumulates stream bytes and hands whole messages, as a protocol's
// pure reader finds them, to its session, and a session base that feeds them. The reader
// bounds the buffer; neither throws on attacker bytes.

import type { Session, SessionContext } from './types.js';

/** What a protocol's reader says about the front of the buffer; `length` is bytes taken. */
export type Frame =
  | { kind: 'incomplete' }
  | { kind: 'message'; length: number }
  | { kind: 'malformed'; reason: string };

export type FrameMessage<R extends Frame> = Extract<R, { kind: 'message' }>;
export type FrameMalformed<R extends Frame> = Extract<R, { kind: 'malformed' }>;

/**
 * Accumulates stream bytes for a reader that says `malformed` before a message outgrows its
 * limit, so the buffer holds at most one message's worth plus the last chunk.
 */
export class FrameBuffer {
  #buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /** The bytes not yet consumed, for a one-off reader (a greeting or handshake). */
  get bytes(): Buffer {
    return this.#buffer;
  }

  consume(bytes: number): void {
    this.#buffer = this.#buffer.subarray(bytes);
  }

  /** Drops what is left, once the session has closed. */
  clear(): void {
    this.#buffer = Buffer.alloc(0);
  }

  /**
   * Hands each whole message to `onMessage`, its bytes already consumed, for as long as it
   * returns true. Returns the malformed result that stopped the reading, if one did.
   */
  drain<R extends Frame>(read: (buf: Buffer) => R,
    onMessage: (message: FrameMessage<R>) => boolean): FrameMalformed<R> | undefined {
    for (;;) {
      const result = read(this.#buffer);
      if (result.kind === 'malformed') return result as FrameMalformed<R>;
      // A message that takes no bytes would be read again forever: wait for more instead.
      if (result.kind === 'incomplete' || result.length < 1) return undefined;
      this.#buffer = this.#buffer.subarray(result.length);
      if (!onMessage(result as FrameMessage<R>)) return undefined;
    }
  }
}

/**
 * A session fed whole messages by its protocol's reader. A malformed one is recorded and the
 * connection closed without a word, as most binary servers do, unless `malformed` says more.
 */
export abstract class FrameSession<R extends Frame> implements Session {
  protected readonly ctx: SessionContext;
  readonly #read: (buf: Buffer) => R;
  readonly #frames = new FrameBuffer();
  #closed = false;

  constructor(ctx: SessionContext, read: (buf: Buffer) => R) {
    this.ctx = ctx;
    this.#read = read;
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#frames.push(chunk);
    const bad = this.#frames.drain(this.#read, (message) => {
      this.message(message);
      return !this.#closed;
    });
    if (bad !== undefined) this.malformed(bad);
  }

  protected get closed(): boolean {
    return this.#closed;
  }

  /** Bytes received but not yet read as a message, for a limit on what may wait. */
  protected get buffered(): number {
    return this.#frames.bytes.length;
  }

  protected hangUp(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#frames.clear();
    this.ctx.end();
  }

  /** Records `reason` (a constant) and closes. */
  protected fail(reason: string): void {
    this.ctx.malformed(reason);
    this.hangUp();
  }

  protected malformed(bad: FrameMalformed<R>): void {
    this.fail(bad.reason);
  }

  protected abstract message(message: FrameMessage<R>): void;
}
