// The shipped rule set against hostile 64 KiB payloads (src/classify/hostile.ts): no rule may
// take more than 5 ms on any of them, even with every one of its tests run, and the whole set
// stays under 100 ms per payload, decoding the payload's layers included.

import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { dissect } from '../protocols/dissect.js';
import { BUILTIN_RULES_DIR, Classifier } from './classifier.js';
import { bestMs, hostileEvent, hostilePayloads, slowRules } from './hostile.js';

/** Per rule, best of 3 runs (the machine is shared; the best run shows the rule's own cost). */
const MAX_RULE_MS = 5;
/** The whole set on one payload, best of 5 runs. */
const MAX_SET_MS = 100;
const SET_RUNS = 5;

const shipped = readdirSync(BUILTIN_RULES_DIR).filter((f) => /\.ya?ml$/.test(f));
const payloads = hostilePayloads();

describe('hostile payloads', () => {
  it('are 64 KiB each and differ from one another', () => {
    const all = Object.values(payloads);
    expect(all.length).toBeGreaterThanOrEqual(10);
    for (const payload of all) expect(payload.length).toBe(64 * 1024);
    expect(new Set(all.map((p) => p.toString('base64'))).size).toBe(all.length);
  });

  it('fill every field and header the rules read', async () => {
    const event = await hostileEvent(payloads['one letter']!,
      ['field:inner.fields.path', 'header:x-api-version', 'field:path'], dissect);
    const fields = event.fields as { inner: { fields: { path: string } }; headers: unknown };
    expect(fields.inner.fields.path).toBe('a'.repeat(16 * 1024));
    expect(fields.headers).toStrictEqual([['x-api-version', 'a'.repeat(2048)]]);
    expect(event.commands).toHaveLength(64);
  });
});

describe.skipIf(shipped.length === 0)('the shipped rules on hostile 64 KiB payloads ' +
  '(skipped while rules/ holds no rule file)', () => {
  const classifier = shipped.length === 0 ? null : Classifier.load([BUILTIN_RULES_DIR]);

  it('no rule takes more than 5 ms on any of them, with all its tests run', async () => {
    const slow = await slowRules(classifier!, dissect, MAX_RULE_MS);
    expect(slow.map((s) => `${s.id} on ${s.payload}: ${s.ms.toFixed(1)} ms`)).toStrictEqual([]);
  });

  it.each(Object.keys(payloads))('%s: the whole set takes under 100 ms', async (name) => {
    const event = await hostileEvent(payloads[name]!, classifier!.targets(), dissect);
    const ids = classifier!.rules.map((r) => r.id);
    // Every test of every rule, whatever its protocol, on a fresh view: the worst an event costs.
    const ms = bestMs(SET_RUNS, () => {
      const view = classifier!.view(event);
      for (const id of ids) classifier!.exerciseRule(id, view);
    });
    expect(ms).toBeLessThan(MAX_SET_MS);
    expect(bestMs(SET_RUNS, () => classifier!.classify(event))).toBeLessThan(MAX_SET_MS);
  });
});
