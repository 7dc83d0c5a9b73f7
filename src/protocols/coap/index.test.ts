// The coap probe and message reader on GET /.well-known/core, a ping and broken options.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { PROBE_SURE } from '../types.js';
import { coap } from './index.js';
import { readMessage } from './parse.js';

/** Confirmable GET, message id 0x1234, no token, Uri-Path ".well-known" then "core". */
const WELL_KNOWN_CORE = Buffer.concat([
  Buffer.from([0x40, 0x01, 0x12, 0x34, 0xbb]), Buffer.from('.well-known'),
  Buffer.from([0x04]), Buffer.from('core'),
]);

describe('coap probe', () => {
  it('is sure of a GET with options', () => {
    expect(coap.probe(WELL_KNOWN_CORE)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('takes an empty confirmable ping', () => {
    expect(coap.probe(Buffer.from([0x40, 0x00, 0x00, 0x01]))).toBeGreaterThanOrEqual(PROBE_MIN);
  });

  it('refuses version 2, an option running past the end and a bare payload marker', () => {
    const v2 = Buffer.from(WELL_KNOWN_CORE);
    v2[0] = 0x80;
    expect(coap.probe(v2)).toBe(0);
    expect(coap.probe(WELL_KNOWN_CORE.subarray(0, 10))).toBe(0);
    expect(coap.probe(Buffer.from([0x40, 0x01, 0, 1, 0xff]))).toBe(0);
  });
});

describe('coap message reader', () => {
  it('reads the option numbers in order', () => {
    expect(readMessage(WELL_KNOWN_CORE)).toMatchObject({
      kind: 'message', head: { code: 1, messageId: 0x1234, options: [11, 11] },
    });
  });
});
