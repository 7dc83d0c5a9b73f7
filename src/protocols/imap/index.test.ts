// The imap probe on tagged commands and its look-alikes, and the Dovecot banner.

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { sendLines, startSession } from '../test-session.js';
import { imap } from './index.js';
import { tokenize } from './parse.js';

describe('imap probe', () => {
  it('is sure of a tagged CAPABILITY or LOGIN', () => {
    expect(imap.probe(Buffer.from('a001 CAPABILITY\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(imap.probe(Buffer.from('1 login root toor\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('refuses SMTP AUTH LOGIN and an HTTP line whose target is "login.cgi"', () => {
    expect(imap.probe(Buffer.from('AUTH LOGIN\r\n'))).toBe(0);
    expect(imap.probe(corpusBytes('seed-81-goahead-login-cgi'))).toBe(0);
  });
});

describe('imap greeting', () => {
  it('is an untagged OK with capabilities, as Dovecot sends', () => {
    const banner = imap.greeting?.(143).toString('latin1') ?? '';
    expect(banner).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 [^\]]+\] Dovecot ready\.\r\n$/);
  });
});

describe('imap tokenizer', () => {
  it('reads atoms, quoted strings with escapes and a literal announcement', () => {
    expect(tokenize('a1 LOGIN "jo \\"x\\"" {5}')).toEqual({ kind: 'message',
      tokens: ['a1', 'LOGIN', 'jo "x"'], literal: { bytes: 5, sync: true } });
    expect(tokenize('a1 LOGIN x {3+}')).toMatchObject({ literal: { bytes: 3, sync: false } });
  });

  it('refuses an open quote and a literal past its limit', () => {
    expect(tokenize('a1 LOGIN "open')).toEqual({ kind: 'malformed', reason: 'bad_quote' });
    expect(tokenize('a1 LOGIN {99999999}')).toEqual({ kind: 'malformed',
      reason: 'literal_too_big' });
  });
});

describe('imap session', () => {
  it('echoes the tag on CAPABILITY and LOGIN, and records the login', () => {
    const { ctx, session } = startSession(imap);
    sendLines(session, 'A001 CAPABILITY', 'A002 LOGIN "root" "p@ss word"');
    expect(ctx.text()).toMatch(/^\* CAPABILITY IMAP4rev1 [^\r]*AUTH=PLAIN[^\r]*\r\nA001 OK /);
    expect(ctx.text()).toMatch(/A002 NO \[AUTHENTICATIONFAILED\] Authentication failed\.\r\n$/);
    expect(ctx.credentials).toEqual([{ username: 'root', password: 'p@ss word' }]);
  });

  it('reads a password sent as a synchronizing literal', () => {
    const { ctx, session } = startSession(imap);
    sendLines(session, 'a LOGIN admin {6}');
    expect(ctx.text()).toBe('+ OK\r\n');
    sendLines(session, 'secret');
    expect(ctx.credentials).toEqual([{ username: 'admin', password: 'secret' }]);
  });

  it('decodes AUTHENTICATE PLAIN with an initial response (SASL-IR)', () => {
    const { ctx, session } = startSession(imap);
    const ir = Buffer.from('\0carol\0pw').toString('base64');
    sendLines(session, `t1 AUTHENTICATE PLAIN ${ir}`);
    expect(ctx.credentials).toEqual([{ username: 'carol', password: 'pw' }]);
    expect(ctx.text()).toMatch(/^t1 NO \[AUTHENTICATIONFAILED\]/);
  });

  it('closes on LOGOUT and after three bad commands', () => {
    const { ctx, session } = startSession(imap);
    sendLines(session, 'x LOGOUT');
    expect(ctx.text()).toBe('* BYE Logging out\r\nx OK Logout completed.\r\n');
    const bad = startSession(imap);
    sendLines(bad.session, 'a SELECT inbox', 'garbage', '');
    expect(bad.ctx.text()).toMatch(/^a BAD [^\r]*\r\ngarbage BAD [^\r]*\r\n\* BYE Too many/);
    expect(bad.ctx.ended).toBe(true);
  });
});
