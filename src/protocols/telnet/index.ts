// Telnet (RFC 854): clients open with IAC option negotiation, or, like the Mirai family,
// type a user name at once. Greets like BusyBox telnetd handing over to BusyBox login.

import { PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { TelnetSession } from './session.js';

const IAC = 0xff;
const SB = 0xfa;
const WILL = 0xfb;
const DO = 0xfd;
const DONT = 0xfe;
const ECHO = 0x01;
const SGA = 0x03;
const NAWS = 0x1f;

/** Shortest and longest user name a bare first line is taken for ("pi" to long e-mails). */
const MIN_USER_BYTES = 2;
const MAX_USER_BYTES = 32;
const MAX_STRAY_NULS = 4;

// BusyBox 1.3x telnetd (networking/telnetd.c, iacs_to_send): DO ECHO, DO NAWS, WILL ECHO,
// WILL SGA; then login prints "<hostname> login: ", "(none)" when no host name is set.
const GREETING = Buffer.concat([
  Buffer.from([IAC, DO, ECHO, IAC, DO, NAWS, IAC, WILL, ECHO, IAC, WILL, SGA]),
  Buffer.from('\r\n(none) login: ', 'latin1'),
]);

function negotiationScore(first: Buffer): number {
  if (first.length === 1) return PROBE_PARTIAL;
  const command = first[1] ?? 0;
  if (command >= WILL && command <= DONT) return first.length === 2 ? PROBE_PARTIAL : 0.95;
  return command === SB ? 0.8 : 0;
}

/**
 * The line ends at `at` the way telnet clients send it: CR LF, CR NUL or LF (RFC 854),
 * after a few stray NULs that some bots put before it.
 */
function lineEndAt(first: Buffer, at: number): boolean {
  let i = at;
  while (first[i] === 0x00 && i - at < MAX_STRAY_NULS) i++;
  const byte = first[i];
  return byte === 0x0a || (byte === 0x0d && (first[i + 1] === 0x0a || first[i + 1] === 0x00));
}

/** A bare user name on the first line ("root\r\n"): a bot typing at a login prompt. */
function userNameScore(first: Buffer): number {
  const limit = Math.min(first.length, MAX_USER_BYTES + 1);
  let end = 0;
  while (end < limit && (first[end] ?? 0) > 0x20 && (first[end] ?? 0) < 0x7f) end++;
  if (end < MIN_USER_BYTES || end > MAX_USER_BYTES) return 0;
  return lineEndAt(first, end) ? 0.6 : 0;
}

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  return first[0] === IAC ? negotiationScore(first) : userNameScore(first);
}

export const telnet: ProtocolDescriptor = {
  name: 'telnet',
  transports: ['tcp'],
  ports: [23, 2323],
  probe,
  greeting: () => GREETING,
  session: (ctx) => new TelnetSession(ctx, GREETING),
};
