// The TDS session against freetds 1.3 tsql's captured PRELOGIN and LOGIN7: the answers SQL
// Server 2019 gives, the recovered password, and how it closes.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { startSession } from '../test-session.js';
import { mssql } from './index.js';
import { deobfuscate, readLogin7 } from './login7.js';
import { readPreloginOptions, readTdsPacket } from './parse.js';
import { loginFailed, SERVER_NAME } from './replies.js';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url));
}

function payloadOf(bytes: Buffer): Buffer {
  const result = readTdsPacket(bytes);
  if (result.kind !== 'message') throw new Error('not a whole packet');
  return result.packet.payload;
}

describe('login7 reader', () => {
  it('recovers user, password and client names from tsql\'s LOGIN7', () => {
    const result = readLogin7(payloadOf(fixture('tsql-login7.bin')));
    expect(result).toMatchObject({ kind: 'message', login: { tdsVersion: 0x74000004,
      hostname: 'vm', username: 'sa', password: 'Passw0rd', appName: 'TSQL',
      library: 'TDS-Library', language: 'us_english', database: '', sspiBytes: 0 } });
  });

  it('reverses the documented obfuscation: swap nibbles, then XOR 0xA5', () => {
    expect(deobfuscate(Buffer.from('b3a5', 'hex')).toString('latin1')).toBe('a\0');
  });

  it('refuses a name whose offset points past the message', () => {
    const payload = Buffer.from(payloadOf(fixture('tsql-login7.bin')));
    payload.writeUInt16LE(0xfff0, 40);
    expect(readLogin7(payload)).toEqual({ kind: 'malformed', reason: 'bad_login_offset' });
    payload.writeUInt16LE(60, 40);
    payload.writeUInt16LE(129, 42);
    expect(readLogin7(payload)).toEqual({ kind: 'malformed', reason: 'bad_login_offset' });
    expect(readLogin7(payload.subarray(0, 50))).toEqual({ kind: 'malformed',
      reason: 'short_login' });
  });
});

describe('mssql session', () => {
  it('answers nmap\'s PRELOGIN with the bytes nmap names SQL Server 2019 by', () => {
    const { ctx, session } = startSession(mssql);
    session.data(corpusBytes('mssql-tds-prelogin-nmap'));
    const reply = Buffer.concat(ctx.sent);
    expect(reply.subarray(0, 37).toString('hex')).toBe('04010025000001000000150006010'
      + '01b000102001c000103001d0000ff0f0007d0000502' + '00');
    expect(ctx.fields).toMatchObject({ client_version: '8.0.341.0', encryption: 'off' });
    expect(ctx.ended).toBe(false);
  });

  it('echoes MARS when the client asked, as tsql does', () => {
    const { ctx, session } = startSession(mssql);
    session.data(fixture('tsql-prelogin.bin'));
    const options = readPreloginOptions(payloadOf(Buffer.concat(ctx.sent)));
    expect([...(options?.keys() ?? [])]).toEqual([0, 1, 2, 3, 4]);
    expect(options?.get(1)).toEqual(Buffer.from([2]));
  });

  it('records the login and refuses it with error 18456, then hangs up', () => {
    const { ctx, session } = startSession(mssql);
    session.data(fixture('tsql-prelogin.bin'));
    ctx.clear();
    const login = fixture('tsql-login7.bin');
    session.data(login.subarray(0, 60));
    session.data(login.subarray(60));
    expect(ctx.credentials).toEqual([{ username: 'sa', password: 'Passw0rd' }]);
    expect(ctx.fields).toMatchObject({ tds_version: '0x74000004', hostname: 'vm',
      app_name: 'TSQL', library: 'TDS-Library' });
    const reply = Buffer.concat(ctx.sent);
    expect(reply).toEqual(loginFailed('sa', 0x74000004));
    const message = Buffer.from('Login failed for user \'sa\'.', 'utf16le');
    expect(reply.includes(message)).toBe(true);
    expect(reply.includes(Buffer.from(SERVER_NAME, 'utf16le'))).toBe(true);
    expect(reply.readUInt32LE(8 + 3)).toBe(18456);
    expect(ctx.ended).toBe(true);
  });

  it('puts a LOGIN7 split over two packets back together', () => {
    const { ctx, session } = startSession(mssql);
    const login = fixture('tsql-login7.bin');
    const payload = login.subarray(8);
    const first = Buffer.concat([Buffer.from([0x10, 0, 0, 8 + 50, 0, 0, 1, 0]),
      payload.subarray(0, 50)]);
    const rest = Buffer.concat([Buffer.from([0x10, 1, 0, 0, 0, 0, 2, 0]), payload.subarray(50)]);
    rest.writeUInt16BE(rest.length, 2);
    session.data(Buffer.concat([first, rest]));
    expect(ctx.credentials).toEqual([{ username: 'sa', password: 'Passw0rd' }]);
  });

  it('drops a connection that sends another packet type, as SQL Server does', () => {
    const { ctx, session } = startSession(mssql);
    session.data(Buffer.from([0x01, 1, 0, 9, 0, 0, 1, 0, 0x41]));
    expect(ctx.reasons).toEqual(['unexpected_packet_type']);
    expect(ctx.sent).toEqual([]);
    expect(ctx.ended).toBe(true);
  });
});
