// Raw JSON-RPC over TCP, without HTTP around it: Ethereum and Bitcoin-style nodes, Stratum
// mining pools (3333, 4444) and wallet daemons. An object or batch naming "jsonrpc" or "method".

import type { ProtocolDescriptor } from '../types.js';
import { JsonRpcSession } from './session.js';

/** Enough to reach the first member names of a request. */
const MAX_LOOK_BYTES = 512;
const OPENING = /^\s{0,8}\[?\s{0,8}\{\s{0,8}"/;
const VERSION_MEMBER = /"jsonrpc"\s*:\s*"[12]\.0"/;
const METHOD_MEMBER = /"method"\s*:\s*"[\w./:-]{1,64}"/;

function probe(first: Buffer): number {
  const head = first.toString('latin1', 0, MAX_LOOK_BYTES);
  if (!OPENING.test(head)) return 0;
  if (VERSION_MEMBER.test(head)) return 0.95;
  return METHOD_MEMBER.test(head) ? 0.8 : 0.3;
}

export const jsonrpc: ProtocolDescriptor = {
  name: 'jsonrpc',
  transports: ['tcp'],
  ports: [3333, 4444, 14444],
  probe,
  session: (ctx) => new JsonRpcSession(ctx),
};
