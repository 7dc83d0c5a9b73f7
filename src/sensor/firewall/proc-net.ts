// Which TCP ports some process already listens on, from /proc/net/tcp and /proc/net/tcp6
// of the reader's network namespace. Those ports stay out of the redirect, so the
// machine's real services keep working.

import { MitsuError } from '../../lib/errors.js';
import { readBounded } from './read-bounded.js';

/** include/net/tcp_states.h: TCP_LISTEN = 10, printed as two hex digits. */
export const TCP_LISTEN_STATE = '0A';
/** A busy server lists ~150 bytes per socket; this allows about 400,000 sockets per file. */
export const MAX_PROC_NET_BYTES = 64 * 1024 * 1024;

/**
 * Listening ports in one /proc/net/tcp{,6} text. Each line after the header reads
 * `sl local_address rem_address st ...`, the local address as `HEXADDR:HEXPORT`.
 */
export function parseListeningPorts(text: string): number[] {
  const ports = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const local = fields[1];
    if (fields[3] !== TCP_LISTEN_STATE || local === undefined) continue;
    const match = /:([0-9A-Fa-f]{4})$/.exec(local);
    if (match === null) continue;
    const port = Number.parseInt(match[1] as string, 16);
    if (port > 0) ports.add(port);
  }
  return [...ports].sort((a, b) => a - b);
}

function readProcFile(file: string): string | undefined {
  try {
    return readBounded(file, MAX_PROC_NET_BYTES);
  } catch (err) {
    throw new MitsuError('MITSU_FIREWALL_FAILED', `cannot read ${file} to find listening ports`,
      'run Mitsu on Linux with /proc mounted', { cause: err });
  }
}

/** Every TCP port with a listener in this namespace; a missing tcp6 file means no IPv6. */
export function readListeningPorts(v4File = '/proc/net/tcp', v6File = '/proc/net/tcp6'): number[] {
  const v4 = readProcFile(v4File);
  if (v4 === undefined) {
    throw new MitsuError('MITSU_FIREWALL_FAILED', `${v4File} does not exist`,
      'run Mitsu on Linux with /proc mounted');
  }
  const v6 = readProcFile(v6File) ?? '';
  const ports = new Set([...parseListeningPorts(v4), ...parseListeningPorts(v6)]);
  return [...ports].sort((a, b) => a - b);
}
