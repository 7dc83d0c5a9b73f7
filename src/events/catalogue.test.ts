import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENT_NAMES } from './catalogue.js';

const ROOT = new URL('../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('event catalogue', () => {
  const docs = readFileSync(join(ROOT, 'docs/events.md'), 'utf8');

  it('documents every declared event name in docs/events.md', () => {
    for (const name of EVENT_NAMES) expect(docs).toContain(`\`${name}\``);
  });

  it('uses no event name in the code that the catalogue does not declare', () => {
    const used = new Set<string>();
    for (const file of sources(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/event: '([a-z_]+\.[a-z_.]+)'/g)) used.add(m[1] as string);
    }
    expect(used.size).toBeGreaterThan(0);
    for (const name of used) expect(EVENT_NAMES).toContain(name);
  });

  it('documents every event field in docs/events.md', () => {
    const fields = ['id', 'event', 'sensor', 'transport', 'src_ip', 'src_port', 'dst_ip',
      'dst_port', 'start', 'end', 'close_reason', 'bytes_in', 'bytes_out', 'payload_b64',
      'payload_len', 'payload_truncated', 'payload_sha256', 'protocol', 'tags', 'intent',
      'iocs', 'credentials', 'commands', 'template', 'country', 'asn', 'as_org', 'fields'];
    for (const field of fields) expect(docs).toContain(`| \`${field}\` |`);
  });
});
