// The zod schema of a rule file (docs/rules.md): strict, so a misspelt key fails loading
// instead of silently matching nothing. Conditions come out normalised for the compiler.

import { z } from 'zod';
import type { Intent } from '../../events/event.js';
import { checkPattern } from './regex.js';

export const INTENTS = ['scan', 'brute-force', 'exploit', 'malware-download', 'other'] as const;
export const TRANSPORTS = ['tcp', 'udp'] as const;
export const STRING_OPERATORS = ['equals', 'contains', 'prefix'] as const;
export const OPERATORS = [...STRING_OPERATORS, 'regex', 'bytes', 'exists'] as const;

/**
 * Every value `event.protocol` takes: the names in src/protocols/registry.ts, `unknown` for
 * bytes no probe took and `none` for a connection that sent nothing. Rules may not import the
 * registry (STYLE.md 19), so a test keeps this list equal to it.
 */
export const PROTOCOL_NAMES = [
  'adb', 'coap', 'dns', 'ftp', 'http', 'imap', 'jdwp', 'jsonrpc', 'memcached', 'mssql', 'mysql',
  'none', 'ntp', 'pop3', 'rdp', 'redis', 'sip', 'smb', 'smtp', 'snmp', 'ssdp', 'ssh', 't3',
  'telnet', 'tls', 'unknown', 'vnc',
] as const;

/** Targets without a parameter; `field:<dot.path>` and `header:<name>` take one. */
export const PLAIN_TARGETS = [
  'payload', 'text', 'commands', 'username', 'password', 'protocol', 'port', 'transport',
] as const;

const MAX_NAME_CHARS = 200;
const MAX_DESCRIPTION_CHARS = 2000;
const MAX_PATTERN_CHARS = 4096;
/** An example payload is at most what the sensor keeps by default. */
export const MAX_EXAMPLE_PAYLOAD_BYTES = 65_536;

export type StringOperator = (typeof STRING_OPERATORS)[number];

export type Condition =
  | { kind: 'all' | 'any'; of: Condition[] }
  | { kind: 'not'; of: Condition }
  | { kind: 'string'; target: string; op: StringOperator; values: string[]; nocase: boolean }
  | { kind: 'regex'; target: string; pattern: string }
  | { kind: 'bytes'; target: 'payload'; bytes: string }
  | { kind: 'exists'; target: string; exists: boolean };

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const TARGET = /^(?:payload|text|commands|username|password|protocol|port|transport)$|^field:[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$|^header:[a-z0-9!#$%&'*+.^_`|~-]+$/;
const HEX_BYTES = /^(?:[0-9a-fA-F]{2}\s*)+$/;

const text = (max: number) => z.string().trim().min(1).max(max);
const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const scalars = z.union([scalar, z.array(scalar).min(1)],
  { error: 'must be a string or a non-empty list of strings' })
  .transform((v) => (Array.isArray(v) ? v : [v]));

interface RawCondition {
  all?: RawCondition[]; any?: RawCondition[]; not?: RawCondition;
  in?: string; nocase?: boolean; exists?: boolean;
  equals?: string[]; contains?: string[]; prefix?: string[]; regex?: string; bytes?: string;
}

const rawCondition: z.ZodType<RawCondition, unknown> = z.lazy(() => z.strictObject({
  all: z.array(rawCondition).min(1).optional(),
  any: z.array(rawCondition).min(1).optional(),
  not: rawCondition.optional(),
  in: z.string().regex(TARGET, 'is not a target: use payload, text, commands, username, ' +
    'password, protocol, port, transport, field:<dot.path> or header:<lowercase-name>')
    .optional(),
  nocase: z.boolean().optional(),
  equals: scalars.optional(),
  contains: scalars.optional(),
  prefix: scalars.optional(),
  regex: z.string().min(1).max(MAX_PATTERN_CHARS).optional(),
  bytes: z.string().regex(HEX_BYTES, 'must be hex byte pairs such as "ff 53 4d 42"').optional(),
  exists: z.boolean().optional(),
}).superRefine(checkShape));

type Ctx = z.RefinementCtx;

function present(raw: RawCondition, keys: readonly string[]): string[] {
  return keys.filter((k) => (raw as Record<string, unknown>)[k] !== undefined);
}

function checkShape(raw: RawCondition, ctx: Ctx): void {
  const heads = present(raw, ['all', 'any', 'not', 'in']);
  if (heads.length !== 1) {
    ctx.addIssue({ code: 'custom', message: heads.length === 0
      ? 'a condition needs one of all, any, not, or in (a test)'
      : `a condition has exactly one of all, any, not, in; found ${heads.join(', ')}` });
    return;
  }
  const ops = present(raw, OPERATORS);
  if (heads[0] !== 'in') {
    const extra = present(raw, [...OPERATORS, 'nocase']);
    if (extra.length > 0) ctx.addIssue({ code: 'custom', path: [extra[0]!],
      message: `${heads[0]} cannot be combined with a test key; put the test inside it` });
    return;
  }
  if (ops.length !== 1) {
    ctx.addIssue({ code: 'custom', message: `a test needs exactly one operator (` +
      `${OPERATORS.join(', ')}); found ${ops.length === 0 ? 'none' : ops.join(', ')}` });
    return;
  }
  checkOperator(raw, ops[0]!, ctx);
}

function checkOperator(raw: RawCondition, op: string, ctx: Ctx): void {
  if (raw.nocase !== undefined && !(STRING_OPERATORS as readonly string[]).includes(op)) {
    ctx.addIssue({ code: 'custom', path: ['nocase'], message: `nocase applies to equals, ` +
      `contains and prefix only${op === 'regex' ? '; start the regex with (?i)' : ''}` });
  }
  if (op === 'bytes' && raw.in !== 'payload') {
    ctx.addIssue({ code: 'custom', path: ['bytes'], message: 'bytes applies to in: payload only' });
  }
  if ((op === 'contains' || op === 'prefix') && raw[op]!.some((v) => v === '')) {
    ctx.addIssue({ code: 'custom', path: [op], message: 'an empty string matches everything' });
  }
  if (op === 'regex') {
    const problem = checkPattern(raw.regex!);
    if (problem !== null) ctx.addIssue({ code: 'custom', path: ['regex'], message: problem });
  }
}

function hexToLatin1(hex: string): string {
  return Buffer.from(hex.replace(/\s+/g, ''), 'hex').toString('latin1');
}

/** The normalised form of a condition that passed `checkShape`. */
export function normalise(raw: RawCondition): Condition {
  if (raw.all !== undefined) return { kind: 'all', of: raw.all.map(normalise) };
  if (raw.any !== undefined) return { kind: 'any', of: raw.any.map(normalise) };
  if (raw.not !== undefined) return { kind: 'not', of: normalise(raw.not) };
  const target = raw.in!;
  if (raw.regex !== undefined) return { kind: 'regex', target, pattern: raw.regex };
  if (raw.bytes !== undefined) return { kind: 'bytes', target: 'payload',
    bytes: hexToLatin1(raw.bytes) };
  if (raw.exists !== undefined) return { kind: 'exists', target, exists: raw.exists };
  const op = STRING_OPERATORS.find((o) => raw[o] !== undefined)!;
  return { kind: 'string', target, op, values: raw[op]!, nocase: raw.nocase === true };
}

const port = z.number().int().min(0).max(65_535);

/** A protocol no event can carry would make its rule or example silently never match. */
function checkProtocols(names: string | string[], ctx: Ctx): void {
  const bad = [names].flat().find((n) => !(PROTOCOL_NAMES as readonly string[]).includes(n));
  if (bad === undefined) return;
  ctx.addIssue({ code: 'custom', message: `unknown protocol ${JSON.stringify(bad)}; ` +
    `use one of ${PROTOCOL_NAMES.join(', ')}` });
}

const exampleSchema = z.strictObject({
  port,
  transport: z.enum(TRANSPORTS).optional(),
  payload: z.string().max(MAX_EXAMPLE_PAYLOAD_BYTES).optional(),
  payload_b64: z.base64().max(MAX_EXAMPLE_PAYLOAD_BYTES * 2).optional(),
  payload_hex: z.string().regex(/^(?:[0-9a-fA-F]{2}\s*)*$/, 'must be hex byte pairs')
    .max(MAX_EXAMPLE_PAYLOAD_BYTES * 3).optional(),
  protocol: z.string().superRefine(checkProtocols).optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
  commands: z.array(z.string()).optional(),
  credentials: z.array(z.strictObject({ username: z.string(), password: z.string() }))
    .optional(),
}).superRefine((ex, ctx) => {
  const forms = ['payload', 'payload_b64', 'payload_hex'].filter(
    (k) => (ex as Record<string, unknown>)[k] !== undefined);
  if (forms.length !== 1) ctx.addIssue({ code: 'custom', message: `an example gives its bytes ` +
    `as exactly one of payload, payload_b64, payload_hex; found ${forms.join(', ') || 'none'}` });
});

export type Example = z.infer<typeof exampleSchema>;

export const ruleSchema = z.strictObject({
  id: z.string().regex(KEBAB, 'must be lowercase kebab-case (a-z, 0-9 and single dashes)'),
  name: text(MAX_NAME_CHARS),
  description: z.strictObject({ en: text(MAX_DESCRIPTION_CHARS), ja: text(MAX_DESCRIPTION_CHARS) }),
  intent: z.enum(INTENTS),
  cve: z.array(z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'must be an upper-case CVE id')).optional(),
  family: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lowercase name').optional(),
  references: z.array(z.url({ protocol: /^https?$/ })).optional(),
  protocol: z.union([z.string(), z.array(z.string()).min(1)],
    { error: 'must be a protocol name or a non-empty list of them' })
    .superRefine(checkProtocols).optional(),
  transport: z.enum(TRANSPORTS).optional(),
  port: z.union([port, z.array(port).min(1)],
    { error: 'must be a port number or a non-empty list of them' }).optional(),
  match: rawCondition.transform(normalise),
  examples: z.array(exampleSchema).min(1),
  counter_examples: z.array(exampleSchema).optional(),
});

/** One condition as written in YAML, validated and normalised. */
export const conditionSchema = rawCondition.transform(normalise);

export type RuleInput = z.input<typeof ruleSchema>;
export type Rule = z.output<typeof ruleSchema> & { intent: Intent };
