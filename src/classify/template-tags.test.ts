// A template stands for its payloads in a report (one representative and a count), so all of
// them must say the same: the same tags and intent. Checked on the attack corpus and on every
// example and counter-example of the shipped rules, each made into the event the sensor would
// record (the same events `mitsu rules test` classifies) and analysed in-process.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../events/event.js';
import { dissect } from '../protocols/dissect.js';
import { BUILTIN_RULES_DIR, Classifier } from './classifier.js';
import { exampleEvent } from './examples.js';
import type { Example } from './rules/schema.js';
import { templateOf } from './template.js';

const CORPUS = new URL('../../test/fixtures/corpus/attacks.jsonl', import.meta.url);

interface Analysed {
  name: string;
  event: MitsuEvent;
  template: string | null;
  /** Intent and tag ids, as one line. */
  verdict: string;
}

const classifier = Classifier.load([BUILTIN_RULES_DIR]);

async function analyse(name: string, example: Example): Promise<Analysed> {
  const event = await exampleEvent(example, dissect);
  const { tags, intent } = classifier.classify(event);
  return { name, event, template: templateOf(event, tags.map((t) => t.id)),
    verdict: `${intent}: ${tags.map((t) => t.id).join(', ')}` };
}

/** Each group under `key` whose members do not all get the same verdict, listed in full. */
function disagreements(all: Analysed[], key: (a: Analysed) => string): string[][] {
  const groups = new Map<string, Analysed[]>();
  for (const a of all) groups.set(key(a), [...groups.get(key(a)) ?? [], a]);
  return [...groups.values()].filter((g) => new Set(g.map((a) => a.verdict)).size > 1)
    .map((g) => g.map((a) => `${a.template} ${a.name} -> ${a.verdict}`));
}

describe('the records of the attack corpus', () => {
  const lines = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { id: string; port: number; transport: 'tcp' | 'udp';
      payload_b64: string });
  let records: Analysed[] = [];

  beforeAll(async () => {
    records = await Promise.all(lines.map((r) => analyse(r.id,
      { port: r.port, transport: r.transport, payload_b64: r.payload_b64 })));
  });

  it('get the same tags and intent when they share a template', () => {
    expect(records.filter((r) => r.template !== null)).toHaveLength(lines.length);
    expect(disagreements(records, (r) => String(r.template))).toStrictEqual([]);
  });

  it('count the seed RDP cookies, hello and Administr, as login attempts (model report)', () => {
    const seeds = records.filter((r) => r.name.includes('-rdp-mstshash-'));
    expect(seeds).toHaveLength(3);
    for (const r of seeds) expect(r.verdict, r.name).toMatch(/^brute-force: /);
  });
});

describe('the examples of the shipped rules', () => {
  let examples: Analysed[] = [];

  beforeAll(async () => {
    const cases = classifier.definitions().flatMap(({ info, examples: given, counterExamples }) =>
      [...given, ...counterExamples].map((example, i) => ({ name: `${info.id}#${i + 1}`,
        example })));
    examples = await Promise.all(cases.map((c) => analyse(c.name, c.example)));
  });

  // Rules that read the port, or a name the masking hides (mirai.sh, x86), would split one
  // skeleton's payloads; the tags in the id keep them apart.
  it('get the same tags and intent when they share a template', () => {
    expect(examples.length).toBeGreaterThan(300);
    expect(disagreements(examples, (a) => String(a.template))).toStrictEqual([]);
  });
});
