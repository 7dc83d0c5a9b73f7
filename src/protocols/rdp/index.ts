// RDP on any port: the client opens with an X.224 Connection Request in a TPKT, usually
// carrying "Cookie: mstshash=<user>" and an RDP negotiation request. Client-first; the
// session answers like Windows Server 2019 (session.ts).

import { PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { readConnectionHead } from './parse.js';
import { RdpSession } from './session.js';

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  const result = readConnectionHead(first);
  if (result.kind === 'incomplete') return PROBE_PARTIAL;
  return result.kind === 'message' ? 0.98 : 0;
}

export const rdp: ProtocolDescriptor = {
  name: 'rdp',
  transports: ['tcp'],
  ports: [3389],
  probe,
  session: (ctx) => new RdpSession(ctx),
};
