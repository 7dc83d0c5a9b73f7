// The sip probe on nmap's OPTIONS, registrations, responses and the HTTP it must not take.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { startSession } from '../test-session.js';
import { sip } from './index.js';

describe('sip probe', () => {
  it('is sure of a request line ending in SIP/2.0', () => {
    expect(sip.probe(corpusBytes('sip-options-nmap-tcp'))).toBeGreaterThanOrEqual(PROBE_SURE);
    const register = Buffer.from('REGISTER sip:198.51.100.4 SIP/2.0\r\nVia: SIP/2.0/UDP x\r\n');
    expect(sip.probe(register)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('is sure of a status line', () => {
    expect(sip.probe(Buffer.from('SIP/2.0 200 OK\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('refuses HTTP request lines, even with a method SIP shares', () => {
    expect(sip.probe(Buffer.from('OPTIONS / HTTP/1.1\r\n'))).toBe(0);
    expect(sip.probe(corpusBytes('seed-8080-http-get-root'))).toBe(0);
  });
});

describe('sip answers', () => {
  const register = Buffer.from([
    'REGISTER sip:192.0.2.10 SIP/2.0', 'Via: SIP/2.0/UDP 198.51.100.7:5060;branch=z9hG4bK-1;rport',
    'From: "100"<sip:100@192.0.2.10>;tag=abc', 'To: "100"<sip:100@192.0.2.10>',
    'Call-ID: 1234567890', 'CSeq: 1 REGISTER', 'Contact: <sip:100@198.51.100.7:5060>',
    'User-Agent: friendly-scanner', 'Expires: 3600', 'Max-Forwards: 70', 'Content-Length: 0',
    '', '',
  ].join('\r\n'));

  it('answers OPTIONS with 200 OK, copying Via, From, Call-ID and CSeq and tagging To', () => {
    const fields: Record<string, unknown> = {};
    const options = corpusBytes('sip-options-nmap-tcp');
    const reply = sip.answer?.(options, 5060, fields)?.toString('latin1') ?? '';
    expect(reply).toMatch(/^SIP\/2\.0 200 OK\r\nVia: SIP\/2\.0\/TCP nm;branch=foo\r\n/);
    expect(reply).toMatch(/\r\nTo: <sip:nm2@nm2>;tag=[0-9a-f]{16}\r\nCall-ID: 50000\r\n/);
    expect(reply).toContain('\r\nCSeq: 42 OPTIONS\r\n');
    expect(reply).toMatch(/\r\nContent-Length: 0\r\n\r\n$/);
    expect(reply.length).toBeLessThanOrEqual(options.length);
    expect(fields).toMatchObject({ method: 'OPTIONS', request_uri: 'sip:nm', requests: 1 });
  });

  it('challenges REGISTER with a PJSIP digest and records the scanner', () => {
    const fields: Record<string, unknown> = {};
    const reply = sip.answer?.(register, 5060, fields)?.toString('latin1') ?? '';
    expect(reply).toMatch(/^SIP\/2\.0 401 Unauthorized\r\n/);
    expect(reply).toMatch(/WWW-Authenticate: Digest realm="asterisk",nonce="\d+\/[0-9a-f]+"/);
    expect(reply.length).toBeLessThanOrEqual(register.length);
    expect(fields).toMatchObject({ method: 'REGISTER', user_agent: 'friendly-scanner',
      scanner: true, contact: '<sip:100@198.51.100.7:5060>' });
  });

  it('keeps the digest answer of a cracking attempt', () => {
    const fields: Record<string, unknown> = {};
    const auth = 'Authorization: Digest username="100", realm="asterisk", nonce="1/ab", '
      + 'uri="sip:192.0.2.10", response="0123456789abcdef0123456789abcdef", algorithm=MD5';
    const text = register.toString('latin1');
    const withAuth = Buffer.from(text.replace('Expires:', `${auth}\r\nExpires:`));
    sip.answer?.(withAuth, 5060, fields);
    expect(fields['digests']).toEqual([{ username: '100', realm: 'asterisk', nonce: '1/ab',
      uri: 'sip:192.0.2.10', response: '0123456789abcdef0123456789abcdef', algorithm: 'MD5' }]);
  });

  it('drops optional headers, or the whole answer, to stay within the request size', () => {
    const options = corpusBytes('sip-options-nmap-tcp');
    const small = sip.answer?.(options, 5060, {});
    expect(small?.toString('latin1')).not.toContain('Supported:');
    const tiny = Buffer.from('OPTIONS sip:a SIP/2.0\r\nVia: x\r\nCall-ID: 1\r\n'
      + 'CSeq: 1 OPTIONS\r\n\r\n');
    expect(sip.answer?.(tiny, 5060, {})).toBeUndefined();
  });

  it('answers nothing to ACK, to responses and to a broken head', () => {
    const ack = Buffer.from('ACK sip:a SIP/2.0\r\nVia: x\r\nCSeq: 1 ACK\r\n\r\n'.padEnd(300));
    expect(sip.answer?.(ack, 5060, {})).toBeUndefined();
    expect(sip.answer?.(Buffer.from('SIP/2.0 200 OK\r\n\r\n'), 5060, {})).toBeUndefined();
    const fields: Record<string, unknown> = {};
    expect(sip.answer?.(Buffer.from('INVITE sip:a SIP/2.0\r\nno colon\r\n\r\n'), 5060, fields))
      .toBeUndefined();
    expect(fields['malformed_reason']).toBe('bad_header');
  });
});

describe('sip session over TCP', () => {
  it('answers each framed request, skipping bodies, and records request lines', () => {
    const { ctx, session } = startSession(sip);
    const options = corpusBytes('sip-options-nmap-tcp');
    const invite = 'INVITE sip:900441234567@192.0.2.10 SIP/2.0\r\nVia: SIP/2.0/TCP h\r\n'
      + 'Call-ID: 2\r\nCSeq: 1 INVITE\r\nContent-Length: 4\r\n\r\nv=0\n';
    session.data(Buffer.concat([options, Buffer.from(invite.slice(0, 30))]));
    session.data(Buffer.from(invite.slice(30)));
    expect(ctx.text()).toMatch(/^SIP\/2\.0 200 OK\r\n[^]*\r\n\r\nSIP\/2\.0 401 Unauthorized\r\n/);
    expect(ctx.commands).toEqual(['OPTIONS sip:nm', 'INVITE sip:900441234567@192.0.2.10']);
    expect(ctx.fields['requests']).toBe(2);
  });

  it('closes on a head that is not SIP', () => {
    const { ctx, session } = startSession(sip);
    session.data(Buffer.from('HELLO\r\n\r\n'));
    expect(ctx.reasons).toEqual(['bad_start_line']);
    expect(ctx.ended).toBe(true);
  });
});

describe('sip answer to svmap', () => {
  it('names the FreePBX server within the size of the friendly-scanner OPTIONS', () => {
    const request = readFileSync(new URL('fixtures/svmap-options.bin', import.meta.url));
    const fields: Record<string, unknown> = {};
    const reply = sip.answer?.(request, 5060, fields)?.toString('latin1') ?? '';
    expect(reply).toMatch(/^SIP\/2\.0 200 OK\r\n/);
    expect(reply).toContain('\r\nServer: FPBX-16.0.40.7(18.20.0)\r\n');
    expect(reply.length).toBeLessThanOrEqual(request.length);
    expect(fields).toMatchObject({ user_agent: 'friendly-scanner', scanner: true });
  });
});
