// VNC's RFB protocol (RFC 6143 section 7.1.1): the server announces "RFB 003.008\n" and the
// client answers with the version it picks; a client that speaks first sends that reply.

import { ascii, prefixScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';

// RFB 3.8, as TigerVNC 1.12 and x11vnc 0.9.16 announce it.
const VERSION = ascii('RFB 003.008\n');
const CLIENT_VERSIONS = [ascii('RFB 003.00')];

export const vnc: ProtocolDescriptor = {
  name: 'vnc',
  transports: ['tcp'],
  ports: [5900, 5901, 5902],
  probe: (first) => prefixScore(first, CLIENT_VERSIONS, 0.95),
  greeting: () => VERSION,
};
