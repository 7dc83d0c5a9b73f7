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
 * One socket line: `sl: local_address rem_address st ...`, addresses as `HEXADDR:HEXPORT`
 * (8 hex digits for IPv4, 32 for IPv6). One regular expression over the whole text is about
 * three times faster than splitting each line, which matters with 100,000 sockets.
 */
const LISTEN_LINE = new RegExp(
  `^\\s*\\d+:\\s+[0-9A-Fa-f]+:([0-9A-Fa-f]{4})\\s+\\S+\\s+${TCP_LISTEN_STATE}(?=\\s|$)`, 'gm');

/** Listening ports in one /proc/net/tcp{,6} text; the header and odd lines never match. */
export function parseListeningPorts(text: string): number[] {
  const ports = new Set<number>();
  for (const match of text.matchAll(LISTEN_LINE)) {
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
