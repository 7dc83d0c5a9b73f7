// The ssdp probe on an M-SEARCH ssdp:all from the corpus and a NOTIFY.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { ssdp } from './index.js';

describe('ssdp probe', () => {
  it('is sure of M-SEARCH and NOTIFY with the "*" target', () => {
    expect(ssdp.probe(corpusBytes('udp-ssdp-msearch-all'))).toBeGreaterThanOrEqual(PROBE_SURE);
    const notify = Buffer.from('NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n');
    expect(ssdp.probe(notify)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits on a cut M-SEARCH and refuses an ordinary HTTP request', () => {
    expect(ssdp.probe(Buffer.from('M-SEARCH *'))).toBe(PROBE_PARTIAL);
    expect(ssdp.probe(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBe(0);
  });
});

describe('ssdp answer', () => {
  it('answers M-SEARCH ssdp:all with a short 200 OK no longer than the request', () => {
    const request = corpusBytes('udp-ssdp-msearch-all');
    const fields: Record<string, unknown> = {};
    const reply = ssdp.answer?.(request, 1900, fields)?.toString('latin1') ?? '';
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\nST: upnp:rootdevice\r\n/);
    expect(reply).toContain('\r\nLOCATION: http://192.0.2.1/');
    expect(reply.endsWith('\r\n\r\n')).toBe(true);
    expect(reply.length).toBeLessThanOrEqual(request.length);
    expect(fields).toMatchObject({ method: 'M-SEARCH', st: 'ssdp:all', man: '"ssdp:discover"' });
  });

  it('adds USN and the other headers when the request leaves room', () => {
    const request = Buffer.concat([corpusBytes('udp-ssdp-msearch-all').subarray(0, 92),
      Buffer.from(`USER-AGENT: ${'x'.repeat(200)}\r\n\r\n`)]);
    const reply = ssdp.answer?.(request, 1900, {})?.toString('latin1') ?? '';
    expect(reply).toMatch(/\r\nUSN: uuid:[-0-9a-f]{36}::upnp:rootdevice\r\n/);
    expect(reply).toContain('SERVER: Linux/4.14 UPnP/1.1 MiniUPnPd/2.1\r\n');
    expect(reply.length).toBeLessThanOrEqual(request.length);
  });

  it('answers nothing to NOTIFY', () => {
    const notify = Buffer.from('NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n');
    expect(ssdp.answer?.(notify, 1900, {})).toBeUndefined();
  });
});
