// The machine's real SSH ports, read from sshd_config (`Port` and `ListenAddress host:port`
// lines, following `Include`), and the server port of the SSH session running this command.
// Both keep the operator from locking themselves out when the redirect is applied.

import { readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { readBounded } from './read-bounded.js';

export const SSHD_CONFIG_PATH = '/etc/ssh/sshd_config';
/** OpenSSH's default when sshd_config names no port. */
export const DEFAULT_SSH_PORT = 22;
export const MAX_SSHD_CONFIG_BYTES = 1024 * 1024;
/** OpenSSH itself refuses to nest Include deeper than 16. */
export const MAX_INCLUDE_DEPTH = 16;

export interface SshdDirectives {
  ports: number[];
  includes: string[];
}

function toPort(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** `ListenAddress 0.0.0.0:2222` or `[::]:2222` carries a port; a bare address does not. */
function listenAddressPort(value: string): number | undefined {
  const match = /^(?:\[[^\]]*\]|[^:]+):(\d+)$/.exec(value);
  return toPort(match?.[1]);
}

/** The Port, ListenAddress and Include values of one sshd_config text. */
export function parseSshdConfig(text: string): SshdDirectives {
  const out: SshdDirectives = { ports: [], includes: [] };
  for (const raw of text.split('\n')) {
    const [keyword, ...values] = raw.trim().split(/\s+/);
    const key = keyword?.toLowerCase();
    if (key === undefined || key.startsWith('#')) continue;
    // sshd_config(5): keywords are case-insensitive; `Match` starts a conditional block.
    if (key === 'match') break;
    const first = values[0] ?? '';
    const port = key === 'port' ? toPort(first) : key === 'listenaddress'
      ? listenAddressPort(first) : undefined;
    if (port !== undefined) out.ports.push(port);
    if (key === 'include') out.includes.push(...values);
  }
  return out;
}

/** Expands an Include value: relative to /etc/ssh, `*` and `?` in the file name only. */
export function expandInclude(pattern: string, baseDir: string): string[] {
  const path = isAbsolute(pattern) ? pattern : join(baseDir, pattern);
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const regex = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  let entries: string[];
  try {
    entries = readdirSync(dirname(path));
  } catch {
    return []; // a missing Include directory is not an error to sshd either
  }
  return entries.filter((e) => regex.test(e)).sort().map((e) => join(dirname(path), e));
}

function collectPorts(path: string, baseDir: string, depth: number, into: Set<number>): void {
  const text = readBounded(path, MAX_SSHD_CONFIG_BYTES);
  if (text === undefined || depth > MAX_INCLUDE_DEPTH) return;
  const found = parseSshdConfig(text);
  for (const port of found.ports) into.add(port);
  for (const pattern of found.includes) {
    for (const file of expandInclude(pattern, baseDir)) {
      collectPorts(file, baseDir, depth + 1, into);
    }
  }
}

/** sshd's ports per its config, or [22] when it names none or cannot be read. */
export function readSshdPorts(path = SSHD_CONFIG_PATH): number[] {
  const ports = new Set<number>();
  try {
    collectPorts(path, dirname(path), 0, ports);
  } catch {
    // An unreadable config leaves the default; the listener scan still exempts a running sshd.
  }
  return ports.size === 0 ? [DEFAULT_SSH_PORT] : [...ports].sort((a, b) => a - b);
}

/** SSH_CONNECTION is "client_ip client_port server_ip server_port" (ssh(1), ENVIRONMENT). */
export function sshSessionPort(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const parts = env.SSH_CONNECTION?.trim().split(/\s+/);
  return parts?.length === 4 ? toPort(parts[3]) : undefined;
}
