// The MySQL session against the mariadb 10.11 client's captured HandshakeResponse41: what is
// recorded and the ERR packets MySQL 8.0 sends back.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { fakeContext } from '../test-session.js';
import { mysql } from './index.js';
import { readHandshakeResponse } from './response.js';

const RESPONSE = readFileSync(new URL('fixtures/mariadb-handshake-response.bin', import.meta.url));

function start(srcIp = '203.0.113.9') {
  const ctx = Object.assign(fakeContext(), { srcIp });
  const session = mysql.session?.(ctx);
  if (session === undefined) throw new Error('mysql has no session');
  return { ctx, session };
}

describe('handshake response reader', () => {
  it('reads user, auth data, database, plugin and attributes', () => {
    const result = readHandshakeResponse(RESPONSE.subarray(4));
    if (result.kind !== 'message') throw new Error(result.kind);
    const { response } = result;
    expect(response.user).toBe('root');
    expect(response.authResponse.length).toBe(32);
    expect(response.database).toBe('shop');
    expect(response.plugin).toBe('caching_sha2_password');
    expect(response.attrs).toMatchObject({ _client_name: 'libmariadb', program_name: 'mysql',
      _server_host: '127.0.4.1' });
  });

  it('tells an SSLRequest and refuses a user name without its NUL', () => {
    expect(readHandshakeResponse(RESPONSE.subarray(4, 36))).toMatchObject({ kind: 'ssl_request' });
    expect(readHandshakeResponse(RESPONSE.subarray(4, 38))).toEqual({ kind: 'malformed',
      reason: 'bad_response' });
  });

  it('refuses attributes that claim more bytes than were sent', () => {
    const cut = RESPONSE.subarray(4, RESPONSE.length - 3);
    expect(readHandshakeResponse(cut)).toEqual({ kind: 'malformed', reason: 'bad_response' });
  });
});

describe('mysql session', () => {
  it('records the user and answers ERR 1045 naming the client address, then hangs up', () => {
    const { ctx, session } = start();
    session.data(RESPONSE.subarray(0, 50));
    expect(ctx.sent).toEqual([]);
    session.data(RESPONSE.subarray(50));
    expect(ctx.credentials).toEqual([{ username: 'root', password: '' }]);
    expect(ctx.fields).toMatchObject({ user: 'root', auth_plugin: 'caching_sha2_password',
      database: 'shop' });
    expect(ctx.fields['auth_response']).toMatch(/^[0-9a-f]{64}$/);
    const reply = Buffer.concat(ctx.sent);
    expect(reply[3]).toBe(2);
    expect(reply.subarray(4, 7).toString('hex')).toBe('ff1504');
    expect(reply.subarray(7).toString('utf8')).toBe(
      '#28000Access denied for user \'root\'@\'203.0.113.9\' (using password: YES)');
    expect(ctx.ended).toBe(true);
  });

  it('says "using password: NO" for an empty auth response', () => {
    const { ctx, session } = start();
    const payload = Buffer.concat([RESPONSE.subarray(4, 36), Buffer.from('guest\0\0', 'latin1')]);
    payload.writeUInt32LE(0x0000a28d & ~0x8, 0);
    const header = Buffer.from([payload.length, 0, 0, 1]);
    session.data(Buffer.concat([header, payload]));
    expect(ctx.text()).toContain('Access denied for user \'guest\'@\'203.0.113.9\' '
      + '(using password: NO)');
  });

  it('answers Bad handshake (1043) to a response it cannot read', () => {
    const { ctx, session } = start();
    const bad = Buffer.from(RESPONSE.subarray(0, 40));
    bad.writeUIntLE(36, 0, 3);
    session.data(bad);
    expect(ctx.reasons).toEqual(['bad_response']);
    expect(ctx.text()).toContain('#08S01Bad handshake');
    expect(ctx.ended).toBe(true);
  });
});
