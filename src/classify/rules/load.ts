// Reads rule files (or every *.yaml / *.yml / *.json of a folder, sorted by name) and validates
// each rule. Any fault stops loading with one MitsuError line naming the file, the rule and the
// key; files are UTF-8 (a BOM is allowed), and YAML aliases are bounded.

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
/**
 * Alias expansions allowed per file. Rule files need few; a "billion laughs" file needs
 * millions (the yaml library's own default is 100).
 */
export const MAX_YAML_ALIASES = 100;
/** The names a folder's rule files end with (JSON is read as the YAML subset it is). */
const RULE_FILE = /\.(?:ya?ml|json)$/;
const UTF8_BOM = '\uFEFF';

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

function folderFiles(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile() && RULE_FILE.test(entry.name))
      .map((entry) => entry.name)
      .sort()
      .map((name) => join(folder, name));
  } catch (err) {
    throw unreadable(folder, err);
  }
}

function isFolder(source: string): boolean {
  try {
    return statSync(source).isDirectory();
  } catch (err) {
    throw unreadable(source, err);
  }
}

/**
 * The rule files a source names: itself, or a folder's *.yaml, *.yml and *.json sorted by
 * name. A folder without any is refused: loading nothing from it is surely a wrong path.
 */
export function ruleFiles(source: string): string[] {
  if (!isFolder(source)) return [source];
  const files = folderFiles(source);
  if (files.length === 0) {
    throw new MitsuError('MITSU_CONFIG_INVALID', `rules folder ${source} holds no rule files ` +
      '(*.yaml, *.yml or *.json; subfolders are not read)',
    'check the path given in analysis.rules or --rules');
  }
  return files;
}

/** Line (1-based) of the first byte that is not UTF-8: the valid prefix re-encodes the same. */
function firstBadLine(bytes: Buffer): number {
  const again = Buffer.from(bytes.toString('utf8'), 'utf8');
  let at = 0;
  while (at < bytes.length && bytes[at] === again[at]) at += 1;
  return bytes.subarray(0, at).toString('latin1').split('\n').length;
}

function decode(file: string, bytes: Buffer): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // The decoder only says "invalid"; find the line ourselves.
    throw new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file} line ` +
      `${firstBadLine(bytes)} is not UTF-8 text`, 'save the file as UTF-8');
  }
  return text.startsWith(UTF8_BOM) ? text.slice(UTF8_BOM.length) : text;
}

function readText(file: string): string {
  try {
    if (statSync(file).size > MAX_RULE_FILE_BYTES) {
      throw new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file} is over ` +
        `${MAX_RULE_FILE_BYTES} bytes`, 'split it into several files');
    }
    return decode(file, readFileSync(file));
  } catch (err) {
    if (err instanceof MitsuError) throw err;
    throw unreadable(file, err);
  }
}

function syntaxError(file: string, err: YAMLParseError): MitsuError {
  const where = err.linePos?.[0] ? ` line ${err.linePos[0].line}` : '';
  const what = err.message.split('\n')[0]!.replace(/ at line \d+.*$/, '');
  const format = file.endsWith('.json') ? 'JSON' : 'YAML';
  return new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file}${where} is not valid ` +
    `${format} (${what})`, `fix the ${format} syntax there`);
}

function parseFile(file: string, text: string): unknown[] {
  let doc: unknown;
  try {
    doc = parseYaml(text, { uniqueKeys: true, maxAliasCount: MAX_YAML_ALIASES });
  } catch (err) {
    if (err instanceof YAMLParseError) throw syntaxError(file, err);
    // The yaml library throws a plain ReferenceError for an alias it will not expand: one
    // used before its anchor, or past maxAliasCount (a "billion laughs" file).
    if (!(err instanceof ReferenceError)) throw err;
    throw new MitsuError('MITSU_CONFIG_INVALID', `rules file ${file} has a YAML alias (*name) ` +
      `that cannot be expanded: ${oneLine(err.message)}`, 'set each anchor (&name) before its ' +
      `aliases, and expand at most ${MAX_YAML_ALIASES}; or write the values out`);
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
