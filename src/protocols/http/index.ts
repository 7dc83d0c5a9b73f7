// HTTP/1.x on any port: recognised by its request line, answered by the port's persona.

import { firstLine, PROBE_PARTIAL } from '../probe-helpers.js';
import { PROBE_MAX_BYTES, type ProtocolDescriptor } from '../types.js';
import { HttpSession } from './session.js';

const METHODS = [
  'GET ', 'POST ', 'HEAD ', 'PUT ', 'DELETE ', 'OPTIONS ', 'CONNECT ', 'TRACE ', 'PATCH ',
  'PROPFIND ', 'MKCOL ', 'COPY ', 'MOVE ', 'LOCK ', 'UNLOCK ', 'SEARCH ', 'M-SEARCH ', 'NOTIFY ',
  'SUBSCRIBE ',
].map((m) => Buffer.from(m, 'latin1'));

// SIP and RTSP share the request-line shape but end in SIP/2.0 or RTSP/1.0 (RFC 3261 7.1).
const HTTP_VERSION = /^HTTP\/\d\.\d$/;
const FOREIGN_VERSION = /^(SIP|RTSP)\/\d\.\d$/;
const FOREIGN_TARGET = /^[A-Z-]+ (sips?|tel|rtsp):/i;

function lineScore(first: Buffer): number {
  const line = firstLine(first, PROBE_MAX_BYTES);
  if (line === null) return FOREIGN_TARGET.test(first.toString('latin1', 0, 32)) ? 0.3 : 0.95;
  const version = line.slice(line.lastIndexOf(' ') + 1);
  if (HTTP_VERSION.test(version)) return 0.99;
  if (FOREIGN_VERSION.test(version)) return 0.1;
  // HTTP/0.9 or a broken request line: still most likely a web client.
  return 0.6;
}

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  for (const method of METHODS) {
    const n = Math.min(method.length, first.length);
    if (first.compare(method, 0, n, 0, n) !== 0) continue;
    if (n < method.length) return PROBE_PARTIAL;
    // SSDP's M-SEARCH/NOTIFY use "* HTTP/1.1" and belong to UDP; over TCP they are HTTP too.
    return lineScore(first);
  }
  return 0;
}

export const http: ProtocolDescriptor = {
  name: 'http',
  transports: ['tcp'],
  ports: [80, 81, 8000, 8008, 8080, 8081, 8088, 8443, 8545, 8888, 9200, 2375, 2376, 5984,
    37215, 50070, 52869],
  probe,
  session: (ctx) => new HttpSession(ctx),
};
