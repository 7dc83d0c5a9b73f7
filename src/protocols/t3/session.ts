// One T3 connection answered like Oracle WebLogic Server 12.2.1.3: the hello gets WebLogic's
// HELO line, then each binary message is measured and searched for Java serialised objects
// and their class names (the gadget chain's fingerprint). Nothing is deserialised.

import { FrameBuffer } from '../framing.js';
import type { Session, SessionContext } from '../types.js';
import { readHello, readMessage, serialised, type Hello } from './parse.js';

/** WebLogic 12.2.1.3's answer to any T3 hello it accepts. */
export const HELO = 'HELO:12.2.1.3.0.false\nAS:2048\nHL:19\nMS:10000000\n\n';
const MAX_RECORDED_LENGTHS = 16;
const MAX_CLASSES = 32;
const MAX_HEADER_CHARS = 128;
const PREVIEW_BYTES = 64;

export class T3Session implements Session {
  readonly #ctx: SessionContext;
  readonly #frames = new FrameBuffer();
  #greeted = false;
  #closed = false;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#frames.push(chunk);
    if (!this.#greeted && !this.#hello()) return;
    const bad = this.#frames.drain(readMessage, (result) => {
      this.#message(result.body);
      return !this.#closed;
    });
    if (bad === undefined) return;
    this.#ctx.fields['declared_length'] = bad.declared;
    this.#fail(bad.reason);
  }

  #hello(): boolean {
    const result = readHello(this.#frames.bytes);
    if (result.kind === 'incomplete') return false;
    if (result.kind === 'malformed') {
      this.#fail(result.reason);
      return false;
    }
    this.#record(result.hello);
    this.#greeted = true;
    this.#ctx.send(Buffer.from(HELO, 'latin1'));
    this.#frames.consume(result.hello.length);
    return true;
  }

  #record(hello: Hello): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of hello.headers) {
      const key = name.slice(0, MAX_HEADER_CHARS);
      if (!Object.hasOwn(headers, key)) headers[key] = value.slice(0, MAX_HEADER_CHARS);
    }
    Object.assign(this.#ctx.fields, { version: hello.version, hello_headers: headers });
  }

  #message(body: Buffer): void {
    const fields = this.#ctx.fields;
    const lengths = (fields['message_lengths'] ??= []) as number[];
    if (lengths.length < MAX_RECORDED_LENGTHS) lengths.push(body.length + 4);
    fields['messages'] = ((fields['messages'] as number | undefined) ?? 0) + 1;
    fields['first_message_hex'] ??= body.subarray(0, PREVIEW_BYTES).toString('hex');
    const classes = (fields['java_classes'] ??= []) as string[];
    const found = serialised(body, MAX_CLASSES);
    fields['java_streams'] = ((fields['java_streams'] as number | undefined) ?? 0) + found.streams;
    for (const name of found.classes) {
      if (classes.length < MAX_CLASSES && !classes.includes(name)) classes.push(name);
    }
  }

  /** WebLogic drops a T3 peer whose framing it cannot follow. */
  #fail(reason: string): void {
    this.#ctx.malformed(reason);
    this.#closed = true;
    this.#frames.clear();
    this.#ctx.end();
  }
}
