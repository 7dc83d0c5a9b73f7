// HTTP/1.x on any port: recognised by its request line, answered like a stock nginx.

import type { ProtocolDescriptor } from '../types.js';
import { HttpSession } from './session.js';

const METHODS = [
  'GET ', 'POST ', 'HEAD ', 'PUT ', 'DELETE ', 'OPTIONS ', 'CONNECT ', 'TRACE ', 'PATCH ',
  'PROPFIND ', 'MKCOL ', 'COPY ', 'MOVE ', 'LOCK ', 'UNLOCK ', 'SEARCH ', 'M-SEARCH ', 'NOTIFY ',
  'SUBSCRIBE ',
].map((m) => Buffer.from(m, 'latin1'));

function probe(first: Buffer): number {
  for (const method of METHODS) {
    const n = Math.min(method.length, first.length);
    if (first.compare(method, 0, n, 0, n) !== 0) continue;
    if (n < method.length) return 0.4;
    // SSDP's M-SEARCH/NOTIFY use "* HTTP/1.1" and belong to UDP; over TCP they are HTTP too.
    return 0.95;
  }
  return 0;
}

export const http: ProtocolDescriptor = {
  name: 'http',
  transports: ['tcp'],
  ports: [80, 81, 8000, 8008, 8080, 8081, 8088, 8443, 8545, 8888, 9200, 2375, 5984, 37215, 52869],
  probe,
  session: (ctx) => new HttpSession(ctx),
};
