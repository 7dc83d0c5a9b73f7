// The smtp probe on EHLO/HELO, and the Postfix banner.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { PROBE_SURE } from '../types.js';
import { sendLines, startSession } from '../test-session.js';
import { smtp } from './index.js';

describe('smtp probe', () => {
  it('is sure of EHLO and HELO in either case', () => {
    expect(smtp.probe(Buffer.from('EHLO scanner.example\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(smtp.probe(Buffer.from('helo x\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on a command cut short and refuses other words', () => {
    expect(smtp.probe(Buffer.from('EHL'))).toBe(PROBE_PARTIAL);
    expect(smtp.probe(Buffer.from('HELP\r\n'))).toBe(0);
  });
});

describe('smtp greeting', () => {
  it('is a 220 ESMTP line in the shape of Postfix on Ubuntu', () => {
    const banner = smtp.greeting?.(25).toString('latin1') ?? '';
    expect(banner).toMatch(/^220 \S+ ESMTP Postfix \(Ubuntu\)\r\n$/);
  });
});

describe('smtp session', () => {
  it('lists AUTH PLAIN LOGIN after EHLO and refuses HELO without a name', () => {
    const { ctx, session } = startSession(smtp);
    sendLines(session, 'HELO', 'EHLO client.example');
    expect(ctx.text()).toMatch(/^501 Syntax: HELO hostname\r\n250-mail\.localdomain\r\n/);
    expect(ctx.text()).toContain('250-AUTH PLAIN LOGIN\r\n');
    expect(ctx.text()).toMatch(/250 SMTPUTF8\r\n$/);
    expect(ctx.fields['helo']).toBe('client.example');
  });

  it('decodes AUTH PLAIN with an initial response and refuses it with 535', () => {
    const { ctx, session } = startSession(smtp);
    const plain = Buffer.from('\0admin\0s3cret').toString('base64');
    sendLines(session, 'EHLO x', `AUTH PLAIN ${plain}`);
    expect(ctx.credentials).toEqual([{ username: 'admin', password: 's3cret' }]);
    expect(ctx.text()).toMatch(/535 5\.7\.8 Error: authentication failed: [^\r]*\r\n$/);
  });

  it('runs AUTH LOGIN through its two base64 prompts', () => {
    const { ctx, session } = startSession(smtp);
    sendLines(session, 'EHLO x', 'AUTH LOGIN');
    expect(ctx.text()).toMatch(/334 VXNlcm5hbWU6\r\n$/);
    sendLines(session, Buffer.from('info@example.com').toString('base64'));
    expect(ctx.text()).toMatch(/334 UGFzc3dvcmQ6\r\n$/);
    sendLines(session, Buffer.from('123456').toString('base64'));
    expect(ctx.credentials).toEqual([{ username: 'info@example.com', password: '123456' }]);
  });

  it('answers AUTH before EHLO, an aborted exchange and bad base64 as Postfix does', () => {
    const { ctx, session } = startSession(smtp);
    sendLines(session, 'AUTH LOGIN', 'EHLO x', 'AUTH PLAIN', '*', 'AUTH PLAIN', '%%%');
    expect(ctx.text()).toContain('503 5.5.1 Error: send HELO/EHLO first\r\n');
    expect(ctx.text()).toContain('334 \r\n501 5.7.0 Authentication aborted\r\n');
    expect(ctx.text()).toMatch(/501 5\.5\.2 Cannot decode response\r\n$/);
    expect(ctx.reasons).toEqual(['sasl_bad_base64']);
  });

  it('accepts an envelope and a message, undoing dot-stuffing, without delivering it', () => {
    const { ctx, session } = startSession(smtp);
    sendLines(session, 'EHLO x', 'MAIL FROM:<a@example.com> SIZE=10', 'RCPT TO:<b@example.org>',
      'DATA', 'Subject: hello', '', '..leading dot', '.', 'QUIT');
    expect(ctx.text()).toContain('354 End data with <CR><LF>.<CR><LF>\r\n');
    expect(ctx.text()).toMatch(/250 2\.0\.0 Ok: queued as [0-9A-F]{10}\r\n221 2\.0\.0 Bye\r\n$/);
    expect(ctx.fields).toMatchObject({ mail_from: 'a@example.com', rcpt_to: ['b@example.org'],
      subject: 'hello', messages: 1 });
    expect(ctx.ended).toBe(true);
  });

  it('needs MAIL before RCPT and RCPT before DATA', () => {
    const { ctx, session } = startSession(smtp);
    sendLines(session, 'HELO x', 'RCPT TO:<b@example.org>', 'MAIL FROM:<>', 'DATA');
    expect(ctx.text()).toContain('503 5.5.1 Error: need MAIL command\r\n');
    expect(ctx.text()).toMatch(/250 2\.1\.0 Ok\r\n503 5\.5\.1 Error: need RCPT command\r\n$/);
  });

  it('hangs up on a web request and after twenty errors', () => {
    const web = startSession(smtp);
    sendLines(web.session, 'GET / HTTP/1.1');
    expect(web.ctx.text()).toBe('221 2.7.0 Error: I can break rules, too. Goodbye.\r\n');
    expect(web.ctx.ended).toBe(true);
    const { ctx, session } = startSession(smtp);
    sendLines(session, ...Array.from({ length: 20 }, () => 'XYZZY'));
    expect(ctx.text()).toMatch(/421 4\.7\.0 mail\.localdomain Error: too many errors\r\n$/);
    expect(ctx.ended).toBe(true);
  });

  it('greets first when the client spoke before the banner', () => {
    const { ctx, session } = startSession(smtp, { greeted: false });
    sendLines(session, 'EHLO x');
    expect(ctx.text()).toMatch(/^220 mail\.localdomain ESMTP Postfix \(Ubuntu\)\r\n250-/);
  });
});
