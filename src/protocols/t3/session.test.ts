// The T3 session on the WebLogic hello and a message carrying a serialised gadget object.

import { describe, expect, it } from 'vitest';

import { startSession } from '../test-session.js';
import { t3 } from './index.js';
import { MAX_MESSAGE_BYTES } from './parse.js';
import { HELO } from './session.js';

const HELLO = 't3 12.2.1\nAS:255\nHL:19\nMS:10000000\n\n';

/** A T3 message whose body holds a serialisation stream naming `className`. */
function message(className: string): Buffer {
  const name = Buffer.from(className, 'latin1');
  const size = Buffer.alloc(2);
  size.writeUInt16BE(name.length);
  const body = Buffer.concat([Buffer.from('016501ffffffffffffffff', 'hex'),
    Buffer.from('aced00057372', 'hex'), size, name, Buffer.from('00000000', 'hex')]);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length + 4);
  return Buffer.concat([head, body]);
}

describe('t3 session', () => {
  it('answers the hello with WebLogic 12.2.1.3 HELO and records the client version', () => {
    const { ctx, session } = startSession(t3);
    session.data(Buffer.from(HELLO));
    expect(ctx.text()).toBe('HELO:12.2.1.3.0.false\nAS:2048\nHL:19\nMS:10000000\n\n');
    expect(ctx.text()).toBe(HELO);
    expect(ctx.fields).toMatchObject({ version: '12.2.1',
      hello_headers: { AS: '255', HL: '19', MS: '10000000' } });
  });

  it('records the serialised classes of the message that follows', () => {
    const { ctx, session } = startSession(t3);
    const gadget = 'sun.reflect.annotation.AnnotationInvocationHandler';
    session.data(Buffer.concat([Buffer.from(HELLO), message(gadget).subarray(0, 10)]));
    session.data(message(gadget).subarray(10));
    expect(ctx.fields).toMatchObject({ messages: 1, java_streams: 1, java_classes: [gadget],
      message_lengths: [message(gadget).length] });
    expect(ctx.fields['first_message_hex']).toMatch(/^016501ff/);
  });

  it('closes on a message length past the cap, keeping the declared length', () => {
    const { ctx, session } = startSession(t3);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(MAX_MESSAGE_BYTES + 1);
    session.data(Buffer.concat([Buffer.from(HELLO), head]));
    expect(ctx.reasons).toEqual(['message_too_large']);
    expect(ctx.fields['declared_length']).toBe(MAX_MESSAGE_BYTES + 1);
    expect(ctx.ended).toBe(true);
  });

  it('closes on a hello that is no T3 version line', () => {
    const { ctx, session } = startSession(t3);
    session.data(Buffer.from('t3 twelve\n\n'));
    expect(ctx.reasons).toEqual(['bad_hello']);
    expect(ctx.sent).toEqual([]);
  });
});
