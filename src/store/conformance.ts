// The behaviour every EventStore must show, as one vitest suite that each implementation
// runs from its own test file: `describeStoreConformance('sqlite', () => openFreshStore())`.
// Hostile data on purpose: NUL bytes, invalid UTF-8, IPv6 addresses, non-ASCII text.

import { afterEach, describe, expect, it } from 'vitest';
import { analysisOf, type MitsuEvent } from '../events/event.js';
import type { EventFilter, EventStore } from '../events/store.js';
import { FIXTURE_BASE_MS, makeEvent } from './fixtures.js';

const BINARY = Buffer.from([0x00, 0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80, 0x0d, 0x0a, 0x00]);
const MINUTE_MS = 60_000;

async function collect(store: EventStore, filter?: EventFilter): Promise<MitsuEvent[]> {
  const out: MitsuEvent[] = [];
  for await (const ev of store.scan(filter)) out.push(ev);
  return out;
}

function richEvent(): MitsuEvent {
  return makeEvent(5, {
    transport: 'udp',
    event: 'udp.exchange',
    src_ip: '2001:db8::dead:beef',
    dst_ip: '2001:db8:1::1',
    dst_port: 5060,
    payload_truncated: true,
    payload_len: 65_536,
    close_reason: 'window',
    protocol: 'sip',
    tags: [{ id: 'mitsu-0001', name: 'Scan “probe”', intent: 'scan', cve: ['CVE-2024-0001'] }],
    intent: 'scan',
    iocs: {
      urls: ['http://203.0.113.5/x.sh'], ips: ['203.0.113.5'], domains: [],
      downloads: ['wget http://203.0.113.5/x.sh'], files: ['x.sh'], hashes: [],
    },
    credentials: [{ username: 'root', password: 'pässwörd\u0000日本' }],
    commands: ['uname -a', 'echo "\u2603"'],
    template: 'sip-options',
    country: 'JP',
    asn: 64_496,
    as_org: 'Documentation AS ✓',
    src_scope: 'documentation',
    scanner: 'Example “Scanner”',
    rules_version: 'r0123456789a',
    fields: { method: 'OPTIONS', nested: { list: [1, 'two', null, true] }, emoji: '🐝' },
  }, BINARY);
}

function spread(): MitsuEvent[] {
  return [
    makeEvent(3 * MINUTE_MS, { dst_port: 22, protocol: 'ssh', src_ip: '203.0.113.7' }),
    makeEvent(0, { dst_port: 80 }),
    makeEvent(2 * MINUTE_MS, { dst_port: 53, transport: 'udp', protocol: 'dns' }),
    makeEvent(1 * MINUTE_MS, { dst_port: 22, protocol: 'ssh' }),
    makeEvent(4 * MINUTE_MS, { dst_port: 80, src_ip: '2001:db8::7' }),
  ];
}

const isoAt = (offsetMs: number): string => new Date(FIXTURE_BASE_MS + offsetMs).toISOString();

export function describeStoreConformance(
  name: string,
  makeStore: () => EventStore | Promise<EventStore>,
): void {
  describe(`EventStore conformance: ${name}`, () => {
    let open: EventStore[] = [];
    const fresh = async (): Promise<EventStore> => {
      const store = await makeStore();
      open.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(open.map((s) => s.close()));
      open = [];
    });

    it('gives back exactly the event that went in, binary payload and unicode too', async () => {
      const store = await fresh();
      const ev = richEvent();
      await store.append([ev]);
      const [got] = await collect(store);
      expect(got).toStrictEqual(ev);
      expect(JSON.stringify(got)).toBe(JSON.stringify(ev));
      expect(Buffer.from(got!.payload_b64, 'base64').equals(BINARY)).toBe(true);
    });

    it('gives back an event with an empty payload', async () => {
      const store = await fresh();
      const over = { event: 'connection.refused_limit', protocol: 'none' } as const;
      const ev = makeEvent(0, over, Buffer.alloc(0));
      await store.append([ev]);
      expect(await collect(store)).toStrictEqual([ev]);
    });

    it('ignores an event whose id is already stored, in this batch or an earlier one', async () => {
      const store = await fresh();
      const [a, b, c] = spread();
      await store.append([a!, b!]);
      await store.append([{ ...a!, sensor: 'changed' }, c!, c!]);
      expect(await store.count()).toBe(3);
      const got = await collect(store);
      expect(got.find((e) => e.id === a!.id)?.sensor).toBe('test-sensor');
    });

    it('stores nothing for an empty batch', async () => {
      const store = await fresh();
      await store.append([]);
      expect(await store.count()).toBe(0);
      expect(await collect(store)).toEqual([]);
    });

    it('returns events oldest first, whatever the order they were appended in', async () => {
      const store = await fresh();
      const events = spread();
      const tie = makeEvent(0, { dst_port: 443 });
      await store.append([...events, tie]);
      const got = await collect(store);
      const want = [...events, tie].sort((x, y) =>
        x.start === y.start ? (x.id < y.id ? -1 : 1) : x.start < y.start ? -1 : 1);
      expect(got.map((e) => e.id)).toEqual(want.map((e) => e.id));
    });

    it('keeps events from since (inclusive) to until (exclusive), ISO or epoch ms', async () => {
      const store = await fresh();
      await store.append(spread());
      const iso = await collect(store, { since: isoAt(MINUTE_MS), until: isoAt(3 * MINUTE_MS) });
      expect(iso.map((e) => e.start)).toEqual([isoAt(MINUTE_MS), isoAt(2 * MINUTE_MS)]);
      const ms = { since: FIXTURE_BASE_MS + MINUTE_MS, until: FIXTURE_BASE_MS + 3 * MINUTE_MS };
      expect(await collect(store, ms)).toStrictEqual(iso);
    });

    it('filters by destination port, source address, transport and protocol', async () => {
      const store = await fresh();
      await store.append(spread());
      expect((await collect(store, { dstPort: 22 })).length).toBe(2);
      const v6 = await collect(store, { srcIp: '2001:db8::7' });
      expect(v6.map((e) => e.dst_port)).toEqual([80]);
      expect((await collect(store, { transport: 'udp' })).map((e) => e.protocol)).toEqual(['dns']);
      expect((await collect(store, { protocol: 'ssh' })).length).toBe(2);
      const both = await collect(store, { dstPort: 22, srcIp: '203.0.113.7' });
      expect(both.map((e) => e.start)).toEqual([isoAt(3 * MINUTE_MS)]);
    });

    it('stops after `limit` events, keeping the oldest', async () => {
      const store = await fresh();
      await store.append(spread());
      const got = await collect(store, { limit: 2 });
      expect(got.map((e) => e.start)).toEqual([isoAt(0), isoAt(MINUTE_MS)]);
      expect(await collect(store, { limit: 0 })).toEqual([]);
    });

    it('counts the events a filter matches, capped by its limit', async () => {
      const store = await fresh();
      expect(await store.count()).toBe(0);
      await store.append(spread());
      expect(await store.count()).toBe(5);
      expect(await store.count({ dstPort: 80 })).toBe(2);
      expect(await store.count({ since: isoAt(2 * MINUTE_MS) })).toBe(3);
      expect(await store.count({ limit: 4 })).toBe(4);
    });

    it('pages with `after`, ties on start broken by id, with no event twice', async () => {
      const store = await fresh();
      const tied = Array.from({ length: 7 }, () => makeEvent(MINUTE_MS));
      await store.append([...spread(), ...tied]);
      const all = await collect(store);
      const paged: MitsuEvent[] = [];
      let after: { start: string; id: string } | undefined;
      for (;;) {
        const page = await collect(store, { limit: 3, ...(after && { after }) });
        if (page.length === 0) break;
        paged.push(...page);
        const last = page[page.length - 1]!;
        after = { start: last.start, id: last.id };
      }
      expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
      expect(await store.count({ after: { start: all[5]!.start, id: all[5]!.id } })).toBe(6);
    });

    it('rewrites the analysis of stored events and nothing else', async () => {
      const store = await fresh();
      const ev = richEvent();
      const other = makeEvent(0);
      await store.append([ev, other]);
      const analysis = {
        ...analysisOf(other), tags: [{ id: 'r-1', name: 'Rule “1”', intent: 'exploit' as const,
          cve: ['CVE-2017-17215'] }], intent: 'exploit' as const, template: 't0a1b2c3d4e5f6a7',
        country: 'NL', asn: null, as_org: null, src_scope: 'public', scanner: null,
        rules_version: 'r2',
      };
      analysis.iocs = { ...analysis.iocs, urls: ['http://198.51.100.9/a b'] };
      await store.updateAnalysis([{ id: ev.id, ...analysis }, { id: 'missing', ...analysis }]);
      const got = await collect(store);
      expect(got.find((e) => e.id === ev.id)).toStrictEqual({ ...ev, ...analysis });
      expect(got.find((e) => e.id === other.id)).toStrictEqual(other);
      expect(got.length).toBe(2);
    });

    it('can be appended to again after a scan is abandoned part way', async () => {
      const store = await fresh();
      await store.append(spread());
      for await (const ev of store.scan()) {
        expect(ev.start).toBe(isoAt(0));
        break;
      }
      await store.append([makeEvent(9 * MINUTE_MS)]);
      expect(await store.count()).toBe(6);
    });

    it('streams a few thousand events appended in batches', async () => {
      const store = await fresh();
      const total = 5_000;
      for (let i = 0; i < total; i += 1_000) {
        await store.append(Array.from({ length: 1_000 }, (_, j) => makeEvent(i + j)));
      }
      let seen = 0;
      let outOfOrder = 0;
      let last = '';
      for await (const ev of store.scan()) {
        if (ev.start < last) outOfOrder += 1;
        last = ev.start;
        seen += 1;
      }
      expect({ seen, outOfOrder }).toEqual({ seen: total, outOfOrder: 0 });
    });
  });
}
