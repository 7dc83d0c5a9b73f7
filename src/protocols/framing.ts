// Shared framing for the binary and length-framed protocols (as text-lines.ts is for line
// protocols): a buffer that accumulates stream bytes and hands whole messages, as a protocol's
// pure reader finds them, to its session. The reader bounds it; the buffer never throws.

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
