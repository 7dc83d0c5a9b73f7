// The ntp probe on a monlist request from the corpus, client and control queries.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { ntp } from './index.js';

/** An SNTP client request as ntpdate sends it: version 4, mode 3, then 47 bytes. */
function clientRequest(): Buffer {
  const packet = Buffer.alloc(48);
  packet[0] = (4 << 3) | 3;
  packet[2] = 6;
  return packet;
}

describe('ntp probe', () => {
  it('is sure of a mode 7 monlist request', () => {
    expect(ntp.probe(corpusBytes('udp-ntp-monlist'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('takes a 48-byte client request and a mode 6 readvar', () => {
    expect(ntp.probe(clientRequest())).toBeGreaterThanOrEqual(PROBE_MIN);
    const readvar = Buffer.from('160200010000000000000000', 'hex');
    expect(ntp.probe(readvar)).toBeGreaterThanOrEqual(PROBE_MIN);
  });

  it('refuses a client request of the wrong size and a version 0 packet', () => {
    expect(ntp.probe(clientRequest().subarray(0, 40))).toBe(0);
    expect(ntp.probe(Buffer.from([0x07, 0, 3, 42, 0, 0, 0, 0]))).toBe(0);
  });
});

describe('ntp answer', () => {
  it('answers a client request with a 48-byte mode 4 reply echoing its transmit time', () => {
    const request = clientRequest();
    request.write('ABCDEFGH', 40, 'latin1');
    const fields: Record<string, unknown> = {};
    const reply = ntp.answer?.(request, 123, fields) ?? Buffer.alloc(0);
    expect(reply).toHaveLength(48);
    expect(reply[0]).toBe((4 << 3) | 4);
    expect(reply[1]).toBe(2);
    expect(reply.toString('latin1', 24, 32)).toBe('ABCDEFGH');
    expect(fields).toMatchObject({ ntp_mode: 3, ntp_version: 4 });
  });

  it('keeps silent to monlist, as a patched ntpd does, and records the request code', () => {
    const fields: Record<string, unknown> = {};
    expect(ntp.answer?.(corpusBytes('udp-ntp-monlist'), 123, fields)).toBeUndefined();
    expect(fields).toMatchObject({ ntp_mode: 7, request_code: 42 });
  });
});
