// The RDP session against xfreerdp's captured requests: the confirm Windows Server 2019 sends,
// what is recorded, and how it closes.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { startSession } from '../test-session.js';
import { rdp } from './index.js';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url));
}

/** A Connection Request with a cookie and an RDP_NEG_REQ of the given flags and protocols. */
function request(flags: number, protocols: number): Buffer {
  const packet = Buffer.from(corpusBytes('seed-3389-rdp-mstshash-hello'));
  packet[36] = flags;
  packet.writeUInt32LE(protocols, 39);
  return packet;
}

function confirmFor(bytes: Buffer): string {
  const { ctx, session } = startSession(rdp);
  session.data(bytes);
  return Buffer.concat(ctx.sent).toString('hex');
}

describe('rdp session', () => {
  it('selects CredSSP for mstshash=hello, byte for byte as Windows answers nmap', () => {
    const { ctx, session } = startSession(rdp);
    session.data(corpusBytes('seed-3389-rdp-mstshash-hello'));
    expect(Buffer.concat(ctx.sent).toString('hex')).toBe('030000130ed00000123400021f080002000000');
    expect(ctx.credentials).toEqual([{ username: 'hello', password: '' }]);
    expect(ctx.fields).toEqual({ cookie: 'hello', requested_protocols: ['ssl', 'hybrid'],
      selected: 'hybrid' });
    expect(ctx.ended).toBe(false);
  });

  it('prefers HYBRID_EX, then HYBRID, then TLS, then standard RDP', () => {
    expect(confirmFor(request(0, 0x0b)).slice(-8)).toBe('08000000');
    expect(confirmFor(request(0, 0x01)).slice(-8)).toBe('01000000');
    expect(confirmFor(request(0, 0x08)).slice(-8)).toBe('00000000');
    expect(confirmFor(request(0, 0x00)).slice(-8)).toBe('00000000');
  });

  it('refuses restricted admin mode without CredSSP, with HYBRID_REQUIRED_BY_SERVER', () => {
    const { ctx, session } = startSession(rdp);
    session.data(request(0x01, 0x01));
    expect(Buffer.concat(ctx.sent).toString('hex')).toBe('030000130ed000001234000300080005000000');
    expect(ctx.fields['failure_code']).toBe(5);
    expect(ctx.ended).toBe(true);
  });

  it('answers a request without negotiation with the legacy confirm', () => {
    expect(confirmFor(fixture('xfreerdp-request-rdp.bin'))).toBe('0300000b06d00000123400');
  });

  it('closes when TLS follows the confirm, and says so', () => {
    const { ctx, session } = startSession(rdp);
    session.data(fixture('xfreerdp-request-tls.bin'));
    session.data(Buffer.from('160301', 'hex'));
    expect(ctx.fields['selected']).toBe('ssl');
    expect(ctx.fields['next']).toBe('tls');
    expect(ctx.ended).toBe(true);
  });

  it('records the client name from an MCS Connect Initial split across chunks', () => {
    const { ctx, session } = startSession(rdp);
    const mcs = fixture('xfreerdp-mcs-connect-initial.bin');
    session.data(Buffer.concat([fixture('xfreerdp-request-rdp.bin'), mcs.subarray(0, 100)]));
    expect(ctx.ended).toBe(false);
    session.data(mcs.subarray(100));
    expect(ctx.fields).toMatchObject({ selected: 'rdp', next: 'mcs', client_name: 'vm',
      client_build: 18363, keyboard_layout: 0x409 });
    expect(ctx.ended).toBe(true);
  });

  it('drops a broken request silently, as Windows does', () => {
    const { ctx, session } = startSession(rdp);
    const bad = request(0, 3);
    bad.writeUInt16LE(9, 37);
    session.data(bad);
    expect(ctx.sent).toEqual([]);
    expect(ctx.reasons).toEqual(['bad_negotiation_request']);
    expect(ctx.ended).toBe(true);
  });
});
