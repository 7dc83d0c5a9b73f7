// The configuration schema: every key, its type and its default. docs/configuration.md
// documents each key; a test fails when a key is missing there.

import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { z } from 'zod';
import { expandPortItem, PortSpecError } from '../lib/ports.js';
import { isProfileName } from './profiles.js';

/** A port item: a number, an "a-b" range, or a profile name (`default`, `all`, `none`). */
const portItem = z.union([z.number().int(), z.string()]).superRefine((item, ctx) => {
  if (typeof item === 'string' && isProfileName(item)) return;
  try {
    expandPortItem(item);
  } catch (err) {
    if (!(err instanceof PortSpecError)) throw err;
    ctx.addIssue({ code: 'custom', message: err.message });
  }
});

const portsObject = z.strictObject({
  tcp: z.array(portItem).default([]),
  udp: z.array(portItem).default([]),
});

const ms = (fallback: number) => z.number().int().min(0).max(86_400_000).default(fallback);

const connection = z.strictObject({
  first_data_wait_ms: ms(2_000),
  idle_timeout_ms: ms(60_000),
  max_session_ms: ms(300_000),
  max_payload_bytes: z.number().int().min(0).max(16 * 1024 * 1024).default(64 * 1024),
  max_connections: z.number().int().min(1).max(1_000_000).default(15_000),
  max_connections_per_source: z.number().int().min(1).max(1_000_000).default(64),
});

const udp = z.strictObject({
  burst_window_ms: ms(500),
  max_datagrams_per_source_per_s: z.number().int().min(1).max(1_000_000).default(50),
});

const store = z.strictObject({
  path: z.string().min(1).default('data/mitsu.db'),
  batch_max_events: z.number().int().min(1).max(100_000).default(1000),
  batch_max_ms: ms(100),
});

const jsonl = z.strictObject({
  path: z.string().min(1).nullable().default(null),
  max_bytes: z.number().int().min(1024).default(100 * 1024 * 1024),
  keep: z.number().int().min(0).max(1000).default(5),
});

const analysis = z.strictObject({
  enabled: z.boolean().default(true),
  builtin_rules: z.boolean().default(true),
  rules: z.array(z.string().min(1)).default([]),
  enrich: z.boolean().default(true),
  scanners: z.string().min(1).nullable().default(null),
});

const redirect = z.strictObject({
  listen_port: z.number().int().min(1).max(65535).default(6999),
  exempt_ports: z.array(portItem).nullable().default(null),
});

export const configSchema = z.strictObject({
  sensor: z
    .strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1-64 letters, digits, dots, dashes or underscores')
        .default(() => hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'sensor'),
    })
    .prefault({}),
  mode: z.enum(['bind', 'redirect']).default('bind'),
  listen: z.array(z.string().refine((a) => isIP(a) !== 0,
    'must be an IP address of this machine, such as ::, 0.0.0.0 or 127.0.0.1')).min(1)
    .default(['::']),
  ports: z.union([z.string(), portsObject]).default('default'),
  proxy_protocol: z.enum(['off', 'on', 'optional']).default('off'),
  connection: connection.prefault({}),
  udp: udp.prefault({}),
  store: store.prefault({}),
  jsonl: jsonl.prefault({}),
  analysis: analysis.prefault({}),
  redirect: redirect.prefault({}),
  user: z.string().min(1).default('nobody'),
  log_level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;
