// Reads rule files (or every *.yaml / *.yml of a folder, sorted by name) and validates each
// rule. Any fault stops loading with one MitsuError line naming the file, the rule and the key.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { MitsuError } from '../../lib/errors.js';
import { PATTERN_HINT } from './regex.js';
import { ruleSchema, type Rule } from './schema.js';

/** A rules file larger than this is refused rather than parsed. */
export const MAX_RULE_FILE_BYTES = 8 * 1024 * 1024;
/** How much of an offending value an error message quotes. */
const MAX_QUOTED_CHARS = 60;

const FORMAT_HINT = 'see docs/rules.md for the rule format';

export interface LoadedRule {
  rule: Rule;
  /** The file it came from, as the source was given. */
  file: string;
}

export interface LoadedRules {
  rules: LoadedRule[];
  /** Each file's text, in load order (the rule set's version is their hash). */
  texts: string[];
}

function unreadable(path: string, err: unknown): MitsuError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
  return new MitsuError('MITSU_CONFIG_UNREADABLE', `cannot read rules ${path} (${code})`,
    'check the path given in analysis.rules or --rules', { cause: err });
}

/** The rule files a source names: itself, or a folder's *.yaml and *.yml sorted by name. */
export function ruleFiles(source: string): string[] {
  try {
    if (!statSync(source).isDirectory()) return [source];
    return readdirSync(source, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
      .map((entry) => entry.name)
      .sort()
      .map((name) => join(source, name));
  } catch (err) {
    throw unreadable(source, err);
  }
}

function readText(file: string): string {
  try {
    if (statSync(file).size > MAX_RULE_FILE_BYTES) {
      throw new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file} is over ` +
        `${MAX_RULE_FILE_BYTES} bytes`, 'split it into several files');
    }
    return readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof MitsuError) throw err;
    throw unreadable(file, err);
  }
}

function parseFile(file: string, text: string): unknown[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true });
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const where = err.linePos?.[0] ? ` line ${err.linePos[0].line}` : '';
    const what = err.message.split('\n')[0]!.replace(/ at line \d+.*$/, '');
    throw new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file}${where} is not valid ` +
      `YAML (${what})`, 'fix the YAML syntax there');
  }
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(doc)) {
    throw new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file} does not hold a list`,
      `start each rule with "- id: ..."; ${FORMAT_HINT}`);
  }
  return doc;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_QUOTED_CHARS * 4 ? `${flat.slice(0, MAX_QUOTED_CHARS * 4)}...` : flat;
}

function ruleName(raw: unknown, index: number): string {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  if (typeof id === 'string' && id !== '') {
    return `rule ${JSON.stringify(id.slice(0, MAX_QUOTED_CHARS))}`;
  }
  return `rule #${index + 1}`;
}

/** The first validation issue as the one line an operator reads. */
function describeIssue(file: string, rule: string, issue: z.core.$ZodIssue): MitsuError {
  const at = keyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (at ? `${at}.${k}` : k)).join(', ');
    return new MitsuError('MITSU_CONFIG_INVALID', `${file}: ${rule}: unknown key ${keys}`,
      `remove it or fix its spelling; ${FORMAT_HINT}`);
  }
  const hint = issue.path.at(-1) === 'regex' ? PATTERN_HINT : FORMAT_HINT;
  return new MitsuError('MITSU_CONFIG_INVALID', `${file}: ${rule}: key ${at || '(rule)'}: ` +
    oneLine(issue.message), hint);
}

function validate(file: string, raws: unknown[]): LoadedRule[] {
  return raws.map((raw, index) => {
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) {
      // A misspelt key also makes the real key "missing": name the misspelling, the cause.
      const issues = parsed.error.issues;
      const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
      throw describeIssue(file, ruleName(raw, index), issue);
    }
    return { rule: parsed.data as Rule, file };
  });
}

function checkUnique(rules: readonly LoadedRule[]): void {
  const seen = new Map<string, string>();
  for (const { rule, file } of rules) {
    const first = seen.get(rule.id);
    if (first !== undefined) {
      throw new MitsuError('MITSU_CONFIG_INVALID', `${file}: rule ${JSON.stringify(rule.id)}: ` +
        `key id: already used in ${first}`, 'give every rule its own id');
    }
    seen.set(rule.id, file);
  }
}

/** Every rule of every source, validated, in source order and then file order. */
export function loadRules(sources: readonly string[]): LoadedRules {
  const out: LoadedRules = { rules: [], texts: [] };
  for (const source of sources) {
    for (const file of ruleFiles(source)) {
      const text = readText(file);
      out.texts.push(text);
      out.rules.push(...validate(file, parseFile(file, text)));
    }
  }
  checkUnique(out.rules);
  return out;
}
