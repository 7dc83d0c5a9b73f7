// SIP over TCP (RFC 3261 18.3): messages framed by their head and Content-Length, each
// request answered as Asterisk 18 (chan_pjsip, FreePBX 16) would; request lines go to
// `commands`, the first request's headers to `fields`. A broken head closes the connection.

import { FrameSession } from '../framing.js';
import { recordCommand } from '../text-lines.js';
import type { SessionContext } from '../types.js';
import { readMessage, type SipMessage, type SipResult } from './parse.js';
import { recordRequest, respond } from './reply.js';

type SipFrame = Exclude<SipResult, { kind: 'message' }>
  | { kind: 'message'; message: SipMessage | null; length: number };

/** One message with its body, or a run of keep-alive CRLFs between messages (RFC 5626 4.4.1). */
function readFrame(buf: Buffer): SipFrame {
  let crlf = 0;
  while (buf[crlf] === 0x0d || buf[crlf] === 0x0a) crlf++;
  if (crlf > 0) return { kind: 'message', message: null, length: crlf };
  const result = readMessage(buf);
  if (result.kind !== 'message') return result;
  const length = result.message.headBytes + result.message.bodyBytes;
  return buf.length < length ? { kind: 'incomplete' } : { ...result, length };
}

export class SipSession extends FrameSession<SipFrame> {
  constructor(ctx: SessionContext) {
    super(ctx, readFrame);
  }

  protected message({ message }: { message: SipMessage | null }): void {
    if (message === null) return;
    if (message.method !== null) recordCommand(this.ctx, `${message.method} ${message.uri}`);
    recordRequest(this.ctx.fields, message);
    const reply = respond(message);
    if (reply !== undefined) this.ctx.send(reply);
  }
}
