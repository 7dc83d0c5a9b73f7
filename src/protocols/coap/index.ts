// CoAP (RFC 7252) over UDP: IoT scanners send GET /.well-known/core (RFC 6690) or an empty
// confirmable ping to find devices and reflectors. Client-first.

import type { ProtocolDescriptor } from '../types.js';
import { answer } from './answer.js';
import { HEADER_BYTES, readMessage } from './parse.js';

const METHOD_GET = 0x01;
const METHOD_FETCH = 0x05;
const EMPTY = 0x00;
const TYPE_CONFIRMABLE = 0;

function probe(first: Buffer): number {
  const result = readMessage(first);
  if (result.kind !== 'message') return 0;
  const { code, type, options, payloadAt } = result.head;
  if (code >= METHOD_GET && code <= METHOD_FETCH) return options.length > 0 ? 0.9 : 0.7;
  // A ping is an empty Confirmable message: header only, code 0.00 (RFC 7252 4.3).
  const ping = code === EMPTY && type === TYPE_CONFIRMABLE && first.length === HEADER_BYTES;
  return ping && payloadAt === HEADER_BYTES ? 0.7 : 0;
}

export const coap: ProtocolDescriptor = {
  name: 'coap',
  transports: ['udp'],
  ports: [5683],
  probe,
  answer,
};
