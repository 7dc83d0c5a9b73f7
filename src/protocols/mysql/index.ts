// MySQL: the server speaks first with its handshake; a client that speaks first can only be
// answering a greeting it expects, with a HandshakeResponse41 or an SSLRequest (sequence 1).

import { randomInt } from 'node:crypto';

import type { ProtocolDescriptor } from '../types.js';
import { handshakeV10, scramble } from './handshake.js';
import { isHandshakeResponse, readPacket } from './parse.js';
import { MysqlSession } from './session.js';

/** Thread ids grow by one per connection on a real server; start where a warm one might be. */
let nextConnectionId = randomInt(8, 4096);

function probe(first: Buffer): number {
  const packet = readPacket(first);
  if (packet.kind !== 'message' || packet.sequence !== 1) return 0;
  return isHandshakeResponse(packet.payload) ? 0.8 : 0;
}

export const mysql: ProtocolDescriptor = {
  name: 'mysql',
  transports: ['tcp'],
  ports: [3306],
  probe,
  greeting: () => handshakeV10(nextConnectionId++, scramble()),
  session: (ctx) => new MysqlSession(ctx),
};
