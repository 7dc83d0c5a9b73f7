// The t3 probe on the WebLogic T3 hello that opens deserialisation exploits.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { PROBE_SURE } from '../types.js';
import { t3 } from './index.js';

describe('t3 probe', () => {
  it('is sure of a T3 hello with a version', () => {
    const hello = Buffer.from('t3 12.2.1\nAS:255\nHL:19\nMS:10000000\n\n');
    expect(t3.probe(hello)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on "t3 1" and refuses a word that merely starts with t', () => {
    expect(t3.probe(Buffer.from('t3 1'))).toBe(PROBE_PARTIAL);
    expect(t3.probe(Buffer.from('test\r\n'))).toBe(0);
  });
});
