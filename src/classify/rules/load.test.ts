// Loading rule files: folders and files, and the one-line error every kind of bad rule gets
// (naming the file, the rule and the key).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isMitsuError, type MitsuError } from '../../lib/errors.js';
import { loadRules, MAX_YAML_ALIASES, ruleFiles } from './load.js';

const dir = mkdtempSync(join(tmpdir(), 'mitsu-rules-load-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;

/** A rule that loads, with `over` merged in (an `undefined` value removes the key). */
function rule(over: Record<string, unknown> = {}): Record<string, unknown> {
  const base: Record<string, unknown> = {
    id: 'redis-config-set-dir',
    name: 'Redis CONFIG SET dir',
    description: { en: 'Moves the Redis data folder.', ja: 'Redis のデータフォルダを移す。' },
    intent: 'exploit',
    match: { in: 'commands', prefix: 'CONFIG SET dir' },
    examples: [{ port: 6379,
      payload: '*4\r\n$6\r\nCONFIG\r\n$3\r\nSET\r\n$3\r\ndir\r\n$4\r\n/tmp\r\n' }],
    ...over,
  };
  for (const [key, value] of Object.entries(base)) if (value === undefined) delete base[key];
  return base;
}

function writeRules(text: string, name = `rules-${++fileCount}.yaml`): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function loadError(...texts: string[]): MitsuError {
  const files = texts.map((text) => writeRules(text));
  try {
    loadRules(files);
  } catch (err) {
    if (isMitsuError(err)) return err;
    throw err;
  }
  throw new Error('loading did not fail');
}

function errorOf(...rules: Record<string, unknown>[]): MitsuError {
  return loadError(stringify(rules));
}

describe('loadRules', () => {
  it('loads a valid rule with its condition normalised', () => {
    const file = writeRules(stringify([rule({ cve: ['CVE-2022-0543'], family: 'kinsing' })]));
    const { rules, texts } = loadRules([file]);
    expect(rules).toHaveLength(1);
    expect(rules[0]!.file).toBe(file);
    expect(rules[0]!.rule.match).toStrictEqual({ kind: 'string', target: 'commands',
      op: 'prefix', values: ['CONFIG SET dir'], nocase: false });
    expect(texts).toHaveLength(1);
  });

  it('loads every .yaml, .yml and .json of a folder sorted by name, and nothing else', () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.yml'), stringify([rule({ id: 'from-b' })]));
    writeFileSync(join(folder, 'a.yaml'), stringify([rule({ id: 'from-a' })]));
    writeFileSync(join(folder, 'c.json'), JSON.stringify([rule({ id: 'from-c' })], null, 2));
    writeFileSync(join(folder, 'd.txt'), 'not rules');
    mkdirSync(join(folder, 'sub.yaml'));
    expect(ruleFiles(folder)).toStrictEqual(['a.yaml', 'b.yml', 'c.json'].map((f) =>
      join(folder, f)));
    expect(loadRules([folder]).rules.map((r) => r.rule.id))
      .toStrictEqual(['from-a', 'from-b', 'from-c']);
  });

  it('refuses a folder that holds no rule file, naming it', () => {
    const folder = join(dir, 'no-rules');
    mkdirSync(folder);
    writeFileSync(join(folder, 'README.txt'), 'rules go here');
    expect(() => loadRules([folder])).toThrow(expect.objectContaining({
      code: 'MITSU_CONFIG_INVALID', message: `rules folder ${folder} holds no rule files ` +
        '(*.yaml, *.yml or *.json; subfolders are not read)' }));
  });

  it('reads a file that starts with a UTF-8 byte order mark', () => {
    const file = writeRules(`\uFEFF${stringify([rule()])}`);
    expect(loadRules([file]).rules.map((r) => r.rule.id)).toStrictEqual(['redis-config-set-dir']);
  });

  it('takes an empty file as no rules', () => {
    expect(loadRules([writeRules('# nothing yet\n')]).rules).toStrictEqual([]);
  });

  it('says a missing path cannot be read', () => {
    expect(() => loadRules([join(dir, 'nope')])).toThrow(expect.objectContaining({
      code: 'MITSU_CONFIG_UNREADABLE' }));
  });
});

describe('a bad rule file stops loading with one line', () => {
  it('names the file, the rule and an unknown key', () => {
    const err = errorOf(rule({ intnet: 'exploit' }));
    expect(err.code).toBe('MITSU_CONFIG_INVALID');
    expect(err.message).toMatch(/rules-\d+\.yaml: rule "redis-config-set-dir": unknown key intnet$/);
    expect(err.hint).toContain('docs/rules.md');
    expect(err.toLine()).not.toContain('\n');
  });

  it('names a misspelt key rather than the required key it leaves missing', () => {
    const err = errorOf(rule({ intent: undefined, intnet: 'exploit' }));
    expect(err.message).toMatch(/: unknown key intnet$/);
  });

  it('rejects unknown keys inside conditions and examples', () => {
    const cond = errorOf(rule({ match: { all: [{ in: 'payload', contains: 'x', nocas: true }] } }));
    expect(cond.message).toContain('unknown key match.all[0].nocas');
    const ex = errorOf(rule({ examples: [{ port: 1, payload: 'x', notes: 'y' }] }));
    expect(ex.message).toContain('unknown key examples[0].notes');
  });

  it('requires a kebab-case id, unique across files', () => {
    expect(errorOf(rule({ id: 'Redis_Config' })).message).toMatch(/rule "Redis_Config": key id:/);
    const err = loadError(stringify([rule({ id: 'same' })]), stringify([rule({ id: 'same' })]));
    expect(err.message).toMatch(/rules-\d+\.yaml: rule "same": key id: already used in .*rules-\d+/);
  });

  it('requires a description in both English and Japanese', () => {
    const err = errorOf(rule({ description: { en: 'English only.' } }));
    expect(err.message).toContain('key description.ja');
  });

  it('requires at least one example, each with exactly one payload form', () => {
    expect(errorOf(rule({ examples: [] })).message).toContain('key examples:');
    const two = errorOf(rule({ examples: [{ port: 80, payload: 'a', payload_hex: '61' }] }));
    expect(two.message).toMatch(/key examples\[0\]: .*exactly one of .*found payload, payload_hex/);
    const none = errorOf(rule({ counter_examples: [{ port: 80 }] }));
    expect(none.message).toMatch(/key counter_examples\[0\]: .*found none/);
  });

  it('names a rule without an id by its position', () => {
    expect(errorOf(rule(), rule({ id: undefined })).message).toMatch(/rule #2: key id:/);
  });

  it('requires exactly one operator per test and one head per condition', () => {
    const two = errorOf(rule({ match: { in: 'payload', contains: 'a', prefix: 'b' } }));
    expect(two.message).toMatch(/key match: a test needs exactly one operator .*contains, prefix/);
    const mixed = errorOf(rule({ match: { all: [{ in: 'payload', contains: 'a' }], in: 'text' } }));
    expect(mixed.message).toMatch(/key match: .*exactly one of all, any, not, in/);
  });

  it('refuses targets it does not know and bytes outside the payload', () => {
    expect(errorOf(rule({ match: { in: 'body', contains: 'a' } })).message)
      .toMatch(/key match.in: is not a target/);
    expect(errorOf(rule({ match: { in: 'header:User-Agent', contains: 'a' } })).message)
      .toContain('key match.in');
    expect(errorOf(rule({ match: { in: 'text', bytes: 'ff 53' } })).message)
      .toContain('key match.bytes: bytes applies to in: payload only');
    expect(errorOf(rule({ match: { in: 'payload', bytes: 'f53' } })).message)
      .toContain('key match.bytes: must be hex byte pairs');
  });

  it('points regex users to (?i) instead of nocase', () => {
    const err = errorOf(rule({ match: { in: 'payload', regex: 'a', nocase: true } }));
    expect(err.message).toContain('key match.nocase: nocase applies to equals, contains and ' +
      'prefix only; start the regex with (?i)');
  });

  it('refuses patterns RE2 cannot run: backreferences and lookaround', () => {
    for (const regex of ['(a)\\1', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b']) {
      const err = errorOf(rule({ match: { any: [{ in: 'text', regex }] } }));
      expect(err.message).toMatch(
        /rule "redis-config-set-dir": key match.any\[0\].regex: RE2 cannot compile this pattern/);
      expect(err.hint).toContain('no backreferences or lookaround');
    }
  });

  it('refuses repeat counts over RE2\'s 1000', () => {
    const err = errorOf(rule({ match: { in: 'payload', regex: 'a{0,2048}' } }));
    expect(err.message).toContain('key match.regex: RE2 cannot compile this pattern ' +
      '(invalid repetition size: {0,2048})');
  });

  it('refuses an empty contains, which would match everything', () => {
    expect(errorOf(rule({ match: { in: 'payload', contains: ['a', ''] } })).message)
      .toContain('key match.contains: an empty string matches everything');
  });

  it('refuses lower-case CVE ids and non-HTTP references', () => {
    expect(errorOf(rule({ cve: ['cve-2021-44228'] })).message).toContain('key cve[0]');
    expect(errorOf(rule({ references: ['ftp://example.com/x'] })).message)
      .toContain('key references[0]');
  });

  it('says which line of a file is not UTF-8', () => {
    const latin1 = Buffer.from(stringify([rule({ name: 'Redis CONFIG SET caf\u00e9' })]), 'latin1');
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, latin1);
    expect(() => loadRules([file])).toThrow(expect.objectContaining({
      code: 'MITSU_CONFIG_INVALID', message: `rules file ${file} line 2 is not UTF-8 text` }));
  });

  it('stops a YAML alias bomb with one line naming the file', () => {
    const levels = ['a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (const [i, name] of [...'bcdefghi'].entries()) {
      levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    }
    const err = loadError(`${levels.join('\n')}\n`);
    expect(err.code).toBe('MITSU_CONFIG_INVALID');
    expect(err.message).toMatch(/^rules file .*rules-\d+\.yaml has a YAML alias \(\*name\) that /);
    expect(err.hint).toContain(`at most ${MAX_YAML_ALIASES}`);
    expect(err.toLine()).not.toContain('\n');
  });

  it('refuses a protocol no event carries, naming those it knows', () => {
    const err = errorOf(rule({ protocol: 'htp' }));
    expect(err.message).toMatch(/rule "redis-config-set-dir": key protocol: unknown protocol "htp"; use one of adb, .*, http, .*, vnc$/);
    expect(errorOf(rule({ protocol: ['http', 'HTTP'] })).message)
      .toContain('key protocol: unknown protocol "HTTP"');
    expect(errorOf(rule({ examples: [{ port: 80, payload: 'x', protocol: 'htp' }] })).message)
      .toContain('key examples[0].protocol: unknown protocol "htp"');
  });

  it('says where YAML syntax breaks, and that a file must hold a list', () => {
    expect(loadError('- id: a\n  name: [unclosed\n').message).toMatch(/line \d+ is not valid YAML/);
    expect(loadError('id: a\n').message).toMatch(/does not hold a list/);
    expect(loadError('- id: a\n  id: b\n').message).toMatch(/is not valid YAML/);
    const json = writeRules('[{"id": "a",\n "name": "b"\n', 'broken.json');
    expect(() => loadRules([json])).toThrow(expect.objectContaining({
      message: expect.stringMatching(/broken\.json line \d+ is not valid JSON \(/) }));
  });
});
