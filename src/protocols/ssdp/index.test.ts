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
