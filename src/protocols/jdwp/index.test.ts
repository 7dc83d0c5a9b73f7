// The jdwp probe on the 14-byte handshake a debugger sends first.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { PROBE_SURE } from '../types.js';
import { jdwp } from './index.js';

describe('jdwp probe', () => {
  it('is sure of the handshake and waits on part of it', () => {
    expect(jdwp.probe(Buffer.from('JDWP-Handshake'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(jdwp.probe(Buffer.from('JDWP-'))).toBe(PROBE_PARTIAL);
    expect(jdwp.probe(Buffer.from('JDWX-Handshake'))).toBe(0);
  });
});
