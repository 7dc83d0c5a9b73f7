// ADB over TCP (port 5555 on phones, TV boxes and emulators left open): the client opens
// with a CNXN message carrying "host::"; botnets follow with OPEN "shell:..." at once.

import { ascii, prefixScore, PROBE_PARTIAL } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { HEADER_BYTES, readMessageHead } from './parse.js';
import { AdbSession } from './session.js';

const CONNECT = [ascii('CNXN')];

function probe(first: Buffer): number {
  if (first.length < HEADER_BYTES) return Math.min(prefixScore(first, CONNECT, 1), PROBE_PARTIAL);
  const message = readMessageHead(first);
  return message.kind === 'message' && message.head.command === 'CNXN' ? 0.99 : 0;
}

export const adb: ProtocolDescriptor = {
  name: 'adb',
  transports: ['tcp'],
  ports: [5555],
  probe,
  session: (ctx) => new AdbSession(ctx),
};
