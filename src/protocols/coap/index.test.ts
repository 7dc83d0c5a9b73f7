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

describe('coap answer', () => {
  it('answers GET /.well-known/core with a piggybacked 2.05 and whole links that fit', () => {
    const fields: Record<string, unknown> = {};
    const reply = coap.answer?.(WELL_KNOWN_CORE, 5683, fields) ?? Buffer.alloc(0);
    expect([...reply.subarray(0, 4)]).toEqual([0x60, 0x45, 0x12, 0x34]);
    expect(reply.length).toBeLessThanOrEqual(WELL_KNOWN_CORE.length);
    expect(fields).toMatchObject({ uri_path: '/.well-known/core', coap_code: 1 });
    const padded = Buffer.concat([WELL_KNOWN_CORE, Buffer.from([0xff]), Buffer.alloc(60, 0x20)]);
    const links = coap.answer?.(padded, 5683, {})?.toString('latin1') ?? '';
    expect(links).toContain('</sensors/temp>;rt="temperature"');
  });

  it('resets a ping and answers 4.04 elsewhere', () => {
    const ping = Buffer.from([0x40, 0x00, 0x00, 0x01]);
    expect([...(coap.answer?.(ping, 5683, {}) ?? [])]).toEqual([0x70, 0, 0, 1]);
    const other = Buffer.from([0x40, 0x01, 0, 2, 0xb3, 0x61, 0x62, 0x63]);
    expect(coap.answer?.(other, 5683, {})?.[1]).toBe(0x84);
  });
});
