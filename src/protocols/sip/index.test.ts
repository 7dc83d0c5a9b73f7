// The sip probe on nmap's OPTIONS, registrations, responses and the HTTP it must not take.

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
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
