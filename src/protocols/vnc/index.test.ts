// The vnc probe on a client's RFB version, and the RFB 3.8 announcement.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { PROBE_SURE } from '../types.js';
import { vnc } from './index.js';

describe('vnc probe', () => {
  it('is sure of a client that sends its RFB version first', () => {
    expect(vnc.probe(Buffer.from('RFB 003.008\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(vnc.probe(Buffer.from('RFB 003.003\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on "RFB" and refuses other text', () => {
    expect(vnc.probe(Buffer.from('RFB'))).toBe(PROBE_PARTIAL);
    expect(vnc.probe(Buffer.from('RFC 2616'))).toBe(0);
  });
});

describe('vnc greeting', () => {
  it('announces RFB 3.8 in twelve bytes', () => {
    expect(vnc.greeting?.(5900).toString('latin1')).toBe('RFB 003.008\n');
  });
});
