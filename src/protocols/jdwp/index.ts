// The Java Debug Wire Protocol: a debugger opens with the 14 bytes "JDWP-Handshake" and the
// JVM echoes them (JDWP specification, "Handshake"); scanners look for exposed debug ports.

import { ascii, prefixScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { JdwpSession } from './session.js';

const HANDSHAKE = [ascii('JDWP-Handshake')];

export const jdwp: ProtocolDescriptor = {
  name: 'jdwp',
  transports: ['tcp'],
  ports: [5005, 8000, 8453, 8787, 9009],
  probe: (first) => prefixScore(first, HANDSHAKE, 0.99),
  session: (ctx) => new JdwpSession(ctx),
};
