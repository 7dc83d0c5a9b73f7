// The pop3 probe beside FTP's shared USER command, and the Dovecot banner.

import { describe, expect, it } from 'vitest';

import { identify, PROBE_MIN } from '../identify.js';
import { sendLines, startSession } from '../test-session.js';
import { pop3 } from './index.js';

describe('pop3 probe', () => {
  it('takes CAPA, STLS and APOP', () => {
    const apop = 'APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n';
    for (const line of ['CAPA\r\n', 'STLS\r\n', apop]) {
      expect(pop3.probe(Buffer.from(line)), line).toBeGreaterThanOrEqual(PROBE_MIN);
    }
  });

  it('leaves USER to FTP, which scores it higher', () => {
    const user = Buffer.from('USER root\r\n');
    expect(identify(user, 'tcp').protocol?.name).toBe('ftp');
  });
});

describe('pop3 greeting', () => {
  it('is the +OK line of Dovecot with its default greeting', () => {
    expect(pop3.greeting?.(110).toString('latin1')).toBe('+OK Dovecot ready.\r\n');
  });
});

describe('pop3 session', () => {
  it('lists USER and SASL PLAIN LOGIN in CAPA', () => {
    const { ctx, session } = startSession(pop3);
    sendLines(session, 'CAPA');
    expect(ctx.text()).toMatch(/^\+OK\r\nCAPA\r\n[^]*USER\r\nSASL PLAIN LOGIN\r\n\.\r\n$/);
  });

  it('records USER/PASS and refuses them as Dovecot does', () => {
    const { ctx, session } = startSession(pop3);
    sendLines(session, 'USER alice', 'PASS wonderland', 'PASS again');
    expect(ctx.credentials).toEqual([{ username: 'alice', password: 'wonderland' }]);
    expect(ctx.text()).toBe('+OK\r\n-ERR [AUTH] Authentication failed.\r\n'
      + '-ERR No username given.\r\n');
  });

  it('decodes AUTH PLAIN sent after the empty continuation', () => {
    const { ctx, session } = startSession(pop3);
    sendLines(session, 'AUTH PLAIN', Buffer.from('\0bob\0builder').toString('base64'));
    expect(ctx.text()).toBe('+ \r\n-ERR [AUTH] Authentication failed.\r\n');
    expect(ctx.credentials).toEqual([{ username: 'bob', password: 'builder' }]);
  });

  it('keeps the APOP digest in fields and refuses it', () => {
    const { ctx, session } = startSession(pop3);
    sendLines(session, 'APOP mrose c4c9334bac560ecc979e58001b3e22fb');
    expect(ctx.fields['apop']).toEqual({ username: 'mrose',
      digest: 'c4c9334bac560ecc979e58001b3e22fb' });
    expect(ctx.text()).toBe('-ERR APOP not enabled.\r\n');
  });

  it('answers empty lines as unknown commands and closes at the third', () => {
    const { ctx, session } = startSession(pop3);
    session.data(Buffer.from('\r\n\r\n'));
    expect(ctx.text()).toBe('-ERR Unknown command.\r\n-ERR Unknown command.\r\n');
    sendLines(session, 'STAT');
    expect(ctx.text()).toMatch(/-ERR Too many invalid commands\.\r\n$/);
    expect(ctx.ended).toBe(true);
  });

  it('says goodbye to QUIT', () => {
    const { ctx, session } = startSession(pop3, { greeted: false });
    sendLines(session, 'QUIT');
    expect(ctx.text()).toBe('+OK Dovecot ready.\r\n+OK Logging out\r\n');
    expect(ctx.ended).toBe(true);
  });
});
