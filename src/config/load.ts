// Loading the configuration: YAML file, then command-line overrides, then validation.
// Every failure becomes one MitsuError line naming the key and the fix.

import { readFileSync } from 'node:fs';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { MitsuError } from '../lib/errors.js';
import { expandPortList } from '../lib/ports.js';
import { isProfileName, PROFILES, type PortSet } from './profiles.js';
import { configSchema, type Config } from './schema.js';

/** Overrides from flags, already in config shape (only the keys given). */
export type ConfigOverrides = Record<string, unknown>;

function readYaml(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new MitsuError('MITSU_CONFIG_UNREADABLE', `cannot read config file ${path} (${reason})`,
      'check the --config path', { cause: err });
  }
  try {
    return parseYaml(text) ?? {};
  } catch (err) {
    if (!(err instanceof YAMLParseError)) throw err;
    const where = err.linePos?.[0] ? ` line ${err.linePos[0].line}` : '';
    throw new MitsuError('MITSU_CONFIG_INVALID', `config file ${path}${where} is not valid YAML`,
      'fix the YAML syntax there');
  }
}

function keyPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('');
}

/** Turns the first validation issue into the one line the operator sees. */
export function describeIssue(issue: z.core.$ZodIssue, source: string): MitsuError {
  const at = keyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => (at ? `${at}.${k}` : k)).join(', ');
    return new MitsuError('MITSU_CONFIG_INVALID', `unknown config key ${keys} in ${source}`,
      'remove it or fix its spelling (docs/configuration.md lists every key)');
  }
  return new MitsuError('MITSU_CONFIG_INVALID', `config key ${at || '(root)'} in ${source}: ` +
    `${issue.message}`, 'see docs/configuration.md for its allowed values');
}

function merge(base: unknown, over: ConfigOverrides): Record<string, unknown> {
  const out: Record<string, unknown> =
    typeof base === 'object' && base !== null && !Array.isArray(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(over)) {
    const inner = out[key];
    const nested = typeof value === 'object' && value !== null && !Array.isArray(value);
    out[key] = nested && typeof inner === 'object' && inner !== null
      ? merge(inner, value as ConfigOverrides)
      : value;
  }
  return out;
}

/** Reads and validates the config; `file` may be undefined for defaults only. */
export function loadConfig(file: string | undefined, overrides: ConfigOverrides = {}): Config {
  const raw = file === undefined ? {} : readYaml(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MitsuError('MITSU_CONFIG_INVALID', `config file ${file} must hold a YAML mapping`,
      'start from mitsu.example.yaml');
  }
  const result = configSchema.safeParse(merge(raw, overrides));
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const fromFlag = file === undefined || Object.hasOwn(overrides, String(issue.path[0]));
    throw describeIssue(issue, fromFlag ? 'the command-line flags' : file);
  }
  try {
    resolvePorts(result.data.ports);
  } catch (err) {
    if (!(err instanceof MitsuError)) throw err;
    const from = file === undefined || Object.hasOwn(overrides, 'ports') ? '--ports' : file;
    throw new MitsuError(err.code, `config key ports in ${from}: ${err.message}`, err.hint);
  }
  return result.data;
}

function expandItems(items: readonly (number | string)[], transport: keyof PortSet): number[] {
  const plain: (number | string)[] = [];
  const ports: number[] = [];
  for (const item of items) {
    if (typeof item === 'string' && isProfileName(item)) ports.push(...PROFILES[item]()[transport]);
    else plain.push(item);
  }
  return expandPortList([...plain, ...ports]);
}

/** The concrete TCP and UDP port lists a `ports` setting names. */
export function resolvePorts(ports: Config['ports']): PortSet {
  if (typeof ports === 'string') {
    if (!isProfileName(ports)) {
      throw new MitsuError('MITSU_CONFIG_INVALID', `unknown port profile ${JSON.stringify(ports)}`,
        `use one of ${Object.keys(PROFILES).join(', ')} or list tcp/udp ports`);
    }
    return PROFILES[ports]();
  }
  return { tcp: expandItems(ports.tcp, 'tcp'), udp: expandItems(ports.udp, 'udp') };
}
