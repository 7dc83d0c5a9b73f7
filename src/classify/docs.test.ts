// Every rule and condition docs/rules.md shows is checked as `mitsu rules test` checks a rule
// file: it loads, each example gets its tag and no counter-example does, and it is not slow
// on the hostile payloads. So the docs cannot teach a rule that fails Mitsu's own test.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { dissect } from '../protocols/dissect.js';
import { Classifier } from './classifier.js';
import { describeFailure, testRules } from './examples.js';
import { slowRules } from './hostile.js';

const DOCS = new URL('../../docs/rules.md', import.meta.url);
/** The limit of `mitsu rules test` (MAX_RULE_MS in src/cli/commands/rules.ts). */
const MAX_RULE_MS = 5;

type Doc = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'mitsu-rules-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The text of every ```yaml block, in order. */
function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)].map((m) => m[1] as string);
}

/**
 * A block as rules: a rule file as it is; a condition with its examples as a rule of its own;
 * examples alone under a rule every event matches, so their keys are still validated.
 * Configuration blocks give none.
 */
function rulesOf(block: string, index: number): Doc[] {
  let doc: unknown;
  try {
    doc = parse(block);
  } catch (err) {
    throw new Error(`docs/rules.md yaml block ${index + 1}: ${String(err)}`);
  }
  if (Array.isArray(doc)) return doc as Doc[];
  const fragment = doc as Doc;
  if (fragment['match'] === undefined && fragment['examples'] === undefined) return [];
  return [{
    id: `docs-block-${index + 1}`, name: `docs/rules.md block ${index + 1}`,
    description: { en: 'A block of docs/rules.md.', ja: 'docs/rules.md の例。' },
    intent: 'other', match: fragment['match'] ?? { in: 'protocol', exists: true },
    ...fragment,
  }];
}

describe('the rules and conditions docs/rules.md shows', () => {
  const rules = yamlBlocks(readFileSync(DOCS, 'utf8')).flatMap(rulesOf);
  const file = join(dir, 'docs.yaml');
  writeFileSync(file, stringify(rules));

  it('include the rule of the format section and every example condition', () => {
    expect(rules.map((r) => r['id'])).toContain('realtek-miniigd-upnp-cve-2014-8361');
    expect(rules.filter((r) => Array.isArray(r['examples'])).length)
      .toBeGreaterThanOrEqual(5);
  });

  it('load, and each example matches and each counter-example does not', async () => {
    const result = await testRules(Classifier.load([file]), dissect);
    expect(result.failures.map(describeFailure)).toStrictEqual([]);
    expect(result.examples).toBeGreaterThanOrEqual(rules.length);
  });

  it('take at most 5 ms on every hostile payload, as mitsu rules test asks', async () => {
    const slow = await slowRules(Classifier.load([file]), dissect, MAX_RULE_MS);
    expect(slow.map((s) => `${s.id} on ${s.payload}: ${s.ms.toFixed(1)} ms`)).toStrictEqual([]);
  });
});
