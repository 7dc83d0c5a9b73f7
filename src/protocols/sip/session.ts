// SIP over TCP (RFC 3261 18.3): messages framed by their head and Content-Length, each
// request answered as Asterisk 18 (chan_pjsip, FreePBX 16) would; request lines go to
// `commands`, the first request's headers to `fields`. A broken head closes the connection.

import { recordCommand } from '../text-lines.js';
import type { Session, SessionContext } from '../types.js';
import { readMessage } from './parse.js';
import { recordRequest, respond } from './reply.js';

export class SipSession implements Session {
  readonly #ctx: SessionContext;
  #buffer: Buffer = Buffer.alloc(0);
  #closed = false;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (!this.#closed && this.#step()) { /* each step consumes one message */ }
  }

  #step(): boolean {
    // Keep-alive CRLFs between messages (RFC 5626 4.4.1) are skipped.
    while (this.#buffer[0] === 0x0d || this.#buffer[0] === 0x0a) {
      this.#buffer = this.#buffer.subarray(1);
    }
    if (this.#buffer.length === 0) return false;
    const result = readMessage(this.#buffer);
    if (result.kind === 'incomplete') return false;
    if (result.kind === 'malformed') {
      this.#ctx.malformed(result.reason);
      this.#closed = true;
      this.#ctx.end();
      return false;
    }
    const { message } = result;
    const total = message.headBytes + message.bodyBytes;
    if (this.#buffer.length < total) return false;
    this.#buffer = this.#buffer.subarray(total);
    if (message.method !== null) recordCommand(this.#ctx, `${message.method} ${message.uri}`);
    recordRequest(this.#ctx.fields, message);
    const reply = respond(message);
    if (reply !== undefined) this.#ctx.send(reply);
    return true;
  }
}
