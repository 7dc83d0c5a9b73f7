// Routing by bytes: picks the protocol whose probe is most sure of the first bytes, and the
// server-first protocol to greet a silent client with on a given port.

import type { Transport } from '../events/event.js';
import { PROTOCOLS } from './registry.js';
import { PROBE_MAX_BYTES, type ProbeScore, type ProtocolDescriptor } from './types.js';

/** Below this score a match is not trusted and the connection stays `unknown`. */
export const PROBE_MIN = 0.5;

export interface Identification {
  protocol: ProtocolDescriptor | null;
  score: ProbeScore;
}

const NOTHING: Identification = { protocol: null, score: 0 };

/** The most likely protocol of the first bytes; an empty buffer runs no probe at all. */
export function identify(first: Buffer, transport: Transport): Identification {
  if (first.length === 0) return { ...NOTHING };
  const head = first.length > PROBE_MAX_BYTES ? first.subarray(0, PROBE_MAX_BYTES) : first;
  let best: Identification = NOTHING;
  for (const protocol of PROTOCOLS) {
    if (!protocol.transports.includes(transport)) continue;
    const score = protocol.probe(head);
    if (score > best.score) best = { protocol, score };
  }
  return best.score >= PROBE_MIN ? best : { protocol: null, score: best.score };
}

const greeters = new Map<number, ProtocolDescriptor>();
for (const protocol of PROTOCOLS) {
  if (protocol.greeting === undefined || !protocol.transports.includes('tcp')) continue;
  for (const port of protocol.ports) if (!greeters.has(port)) greeters.set(port, protocol);
}

/** The server-first protocol usually found on a TCP port, if any. */
export function greeterFor(port: number): ProtocolDescriptor | undefined {
  return greeters.get(port);
}
