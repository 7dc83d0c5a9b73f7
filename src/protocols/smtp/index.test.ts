// The smtp probe on EHLO/HELO, and the Postfix banner.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { PROBE_SURE } from '../types.js';
import { smtp } from './index.js';

describe('smtp probe', () => {
  it('is sure of EHLO and HELO in either case', () => {
    expect(smtp.probe(Buffer.from('EHLO scanner.example\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(smtp.probe(Buffer.from('helo x\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on a command cut short and refuses other words', () => {
    expect(smtp.probe(Buffer.from('EHL'))).toBe(PROBE_PARTIAL);
    expect(smtp.probe(Buffer.from('HELP\r\n'))).toBe(0);
  });
});

describe('smtp greeting', () => {
  it('is a 220 ESMTP line in the shape of Postfix on Ubuntu', () => {
    const banner = smtp.greeting?.(25).toString('latin1') ?? '';
    expect(banner).toMatch(/^220 \S+ ESMTP Postfix \(Ubuntu\)\r\n$/);
  });
});
