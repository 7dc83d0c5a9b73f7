// TLS and SSL on any port: a client opens with a ClientHello in a handshake record, or with
// the SSLv2-compatible hello old scanners still send. Client-first, so no greeting; the
// session fingerprints the hello and completes the handshake (session.ts).

import { PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { readSsl2Hello, readTlsHello } from './parse.js';
import { TlsSession } from './session.js';

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  const tls = readTlsHello(first);
  if (tls.kind === 'message') return 0.99;
  if (tls.kind === 'incomplete') return PROBE_PARTIAL;
  const ssl2 = readSsl2Hello(first);
  if (ssl2.kind === 'message') return 0.95;
  return ssl2.kind === 'incomplete' ? PROBE_PARTIAL : 0;
}

export const tls: ProtocolDescriptor = {
  name: 'tls',
  transports: ['tcp'],
  ports: [443, 465, 636, 993, 995, 8443],
  probe,
  session: (ctx) => new TlsSession(ctx),
};
