// The rdp probe and Connection Request reader on the mstshash hellos of the corpus.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { rdp } from './index.js';
import { readConnectionRequest } from './parse.js';

/** A Connection Request with no cookie: TPKT, X.224 CR, then an RDP_NEG_REQ for TLS. */
const NO_COOKIE = Buffer.from('030000130ee000000000000100080001000000', 'hex');

describe('rdp probe', () => {
  it('is sure of Connection Requests with and without a cookie', () => {
    expect(rdp.probe(corpusBytes('seed-3389-rdp-mstshash-hello'))).toBeGreaterThanOrEqual(
      PROBE_SURE);
    expect(rdp.probe(NO_COOKIE)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on a TPKT header alone and refuses a wrong X.224 length', () => {
    expect(rdp.probe(NO_COOKIE.subarray(0, 4))).toBe(PROBE_PARTIAL);
    const wrong = Buffer.from(NO_COOKIE);
    wrong[4] = 3;
    expect(rdp.probe(wrong)).toBe(0);
  });
});

describe('rdp connection request', () => {
  it('reads the mstshash user name', () => {
    const result = readConnectionRequest(corpusBytes('seed-3389-rdp-mstshash-administr'));
    expect(result).toEqual({ kind: 'message', request: { length: 47, cookie: 'Administr' } });
    expect(readConnectionRequest(NO_COOKIE)).toMatchObject({ request: { cookie: null } });
  });
});
