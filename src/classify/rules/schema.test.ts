// The rule schema's list of protocol names against the registry it must mirror, and against
// docs/rules.md: rule code cannot import the registry, so this test keeps the check true.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROTOCOLS } from '../../protocols/registry.js';
import { PROTOCOL_NAMES } from './schema.js';

describe('PROTOCOL_NAMES', () => {
  it('is every protocol of the registry, plus unknown and none (add a new protocol here too)',
    () => {
      const expected = [...PROTOCOLS.map((p) => p.name), 'unknown', 'none'].sort();
      expect([...PROTOCOL_NAMES].sort()).toStrictEqual(expected);
    });

  it('is listed in the protocol row of docs/rules.md', () => {
    const docs = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');
    const row = docs.split('\n').find((line) => line.startsWith('| `protocol` |')) ?? '';
    expect(PROTOCOL_NAMES.filter((name) => !row.includes(`\`${name}\``))).toStrictEqual([]);
  });
});
