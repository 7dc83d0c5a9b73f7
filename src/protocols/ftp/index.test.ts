// The ftp probe's low-confidence commands, and the vsftpd banner.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { PROBE_SURE } from '../types.js';
import { sendLines, startSession } from '../test-session.js';
import { ftp } from './index.js';

describe('ftp probe', () => {
  it('takes USER, AUTH TLS and FEAT at low confidence, in either case', () => {
    for (const line of ['USER anonymous\r\n', 'auth tls\r\n', 'FEAT\r\n']) {
      const score = ftp.probe(Buffer.from(line));
      expect(score, line).toBeGreaterThanOrEqual(PROBE_MIN);
      expect(score, line).toBeLessThan(PROBE_SURE);
    }
  });

  it('refuses what SMTP and HTTP clients send', () => {
    expect(ftp.probe(Buffer.from('EHLO example.com\r\n'))).toBe(0);
    expect(ftp.probe(Buffer.from('GET / HTTP/1.0\r\n\r\n'))).toBe(0);
  });
});

describe('ftp greeting', () => {
  it('is the 220 banner of vsftpd 3.0.5', () => {
    expect(ftp.greeting?.(21).toString('latin1')).toBe('220 (vsFTPd 3.0.5)\r\n');
  });
});

describe('ftp session', () => {
  it('sends the banner itself when the client spoke first', () => {
    const { ctx, session } = startSession(ftp, { greeted: false });
    sendLines(session, 'USER root');
    expect(ctx.text()).toBe('220 (vsFTPd 3.0.5)\r\n331 Please specify the password.\r\n');
  });

  it('records each USER/PASS pair and refuses it with 530, as vsftpd does', () => {
    const { ctx, session } = startSession(ftp);
    sendLines(session, 'USER admin', 'PASS hunter2', 'USER root', 'PASS toor');
    expect(ctx.credentials).toEqual([
      { username: 'admin', password: 'hunter2' }, { username: 'root', password: 'toor' },
    ]);
    expect(ctx.text().match(/530 Login incorrect\./g)).toHaveLength(2);
    expect(ctx.commands).toEqual(['USER admin', 'PASS hunter2', 'USER root', 'PASS toor']);
    expect(ctx.ended).toBe(false);
  });

  it('drops the connection after the third failed login', () => {
    const { ctx, session } = startSession(ftp);
    for (const pass of ['a', 'b', 'c']) sendLines(session, 'USER x', `PASS ${pass}`);
    expect(ctx.ended).toBe(true);
    sendLines(session, 'USER y', 'PASS d');
    expect(ctx.credentials).toHaveLength(3);
  });

  it('answers PASS before USER, SYST, FEAT and QUIT like vsftpd before login', () => {
    const { ctx, session } = startSession(ftp);
    sendLines(session, 'PASS x', 'SYST', 'FEAT');
    expect(ctx.text()).toContain('503 Login with USER first.\r\n');
    expect(ctx.text()).toContain('530 Please login with USER and PASS.\r\n');
    expect(ctx.text()).toMatch(/211-Features:\r\n EPRT\r\n[^]*211 End\r\n$/);
    ctx.clear();
    sendLines(session, 'quit');
    expect(ctx.text()).toBe('221 Goodbye.\r\n');
    expect(ctx.ended).toBe(true);
  });

  it('marks a line past 4096 bytes malformed and closes', () => {
    const { ctx, session } = startSession(ftp);
    session.data(Buffer.alloc(5000, 0x41));
    expect(ctx.reasons).toEqual(['line_too_long']);
    expect(ctx.ended).toBe(true);
  });
});
