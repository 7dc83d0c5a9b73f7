// The rdp probe and Connection Request reader on the mstshash hellos of the corpus and on
// xfreerdp 2.10's own requests.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { rdp } from './index.js';
import { readClientCore, readConnectionRequest } from './parse.js';

/** A Connection Request with no cookie: TPKT, X.224 CR, then an RDP_NEG_REQ for TLS. */
const NO_COOKIE = Buffer.from('030000130ee000000000000100080001000000', 'hex');

function fixture(name: string): Buffer {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url));
}

describe('rdp probe', () => {
  it('is sure of Connection Requests with and without a cookie', () => {
    expect(rdp.probe(corpusBytes('seed-3389-rdp-mstshash-hello'))).toBeGreaterThanOrEqual(
      PROBE_SURE);
    expect(rdp.probe(NO_COOKIE)).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(rdp.probe(fixture('xfreerdp-request-rdp.bin'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on a TPKT header alone and refuses a wrong X.224 length', () => {
    expect(rdp.probe(NO_COOKIE.subarray(0, 4))).toBe(PROBE_PARTIAL);
    const wrong = Buffer.from(NO_COOKIE);
    wrong[4] = 3;
    expect(rdp.probe(wrong)).toBe(0);
  });

  it('refuses an X.224 Data packet, which only follows a confirm', () => {
    expect(rdp.probe(fixture('xfreerdp-mcs-connect-initial.bin'))).toBe(0);
  });
});

describe('rdp connection request', () => {
  it('reads the mstshash user name and the protocols requested', () => {
    const result = readConnectionRequest(corpusBytes('seed-3389-rdp-mstshash-administr'));
    expect(result).toEqual({ kind: 'message', message: { length: 47, cookie: 'Administr',
      routingToken: null, negotiation: { flags: 0, protocols: 3, correlationId: null } } });
    expect(readConnectionRequest(NO_COOKIE)).toMatchObject({ message: { cookie: null } });
  });

  it('reads a cookie without a negotiation request, as xfreerdp /sec:rdp sends', () => {
    const result = readConnectionRequest(fixture('xfreerdp-request-rdp.bin'));
    expect(result).toMatchObject({ message: { cookie: 'hello', negotiation: null } });
  });

  it('tells a routing token from a user cookie', () => {
    const token = Buffer.from('Cookie: msts=3640205228.15629.0000\r\n', 'latin1');
    const packet = Buffer.concat([Buffer.from('0300000000e00000000000', 'hex'), token]);
    packet.writeUInt16BE(packet.length, 2);
    packet[4] = packet.length - 5;
    expect(readConnectionRequest(packet)).toMatchObject({
      message: { cookie: null, routingToken: 'msts=3640205228.15629.0000' } });
  });

  it('calls a cookie without CRLF or a short negotiation request malformed', () => {
    const cut = Buffer.from(corpusBytes('seed-3389-rdp-mstshash-hello').subarray(0, 33));
    cut.writeUInt16BE(33, 2);
    cut[4] = 28;
    expect(readConnectionRequest(cut)).toEqual({ kind: 'malformed',
      reason: 'unterminated_cookie' });
    const short = Buffer.from(NO_COOKIE.subarray(0, 17));
    short.writeUInt16BE(17, 2);
    short[4] = 12;
    expect(readConnectionRequest(short)).toEqual({ kind: 'malformed',
      reason: 'bad_negotiation_request' });
  });

  it('waits for a request that has not all arrived', () => {
    const bytes = corpusBytes('seed-3389-rdp-mstshash-hello');
    expect(readConnectionRequest(bytes.subarray(0, 20))).toEqual({ kind: 'incomplete' });
  });
});

describe('rdp client core data', () => {
  it('reads the client name and build from xfreerdp\'s MCS Connect Initial', () => {
    expect(readClientCore(fixture('xfreerdp-mcs-connect-initial.bin'))).toEqual({
      version: 0x0008000c, keyboardLayout: 0x409, build: 18363, name: 'vm' });
  });
});
