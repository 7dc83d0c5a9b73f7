// SSDP (UPnP Device Architecture 2.0, section 1.3) over UDP: HTTP-shaped M-SEARCH and NOTIFY
// datagrams with the "*" target; reflection scanners send M-SEARCH ssdp:all.

import { ascii, prefixScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { answer } from './answer.js';

const SEARCH = [ascii('M-SEARCH * HTTP/1.1\r\n')];
const NOTIFY = [ascii('NOTIFY * HTTP/1.1\r\n')];

function probe(first: Buffer): number {
  return Math.max(prefixScore(first, SEARCH, 0.99), prefixScore(first, NOTIFY, 0.95));
}

export const ssdp: ProtocolDescriptor = {
  name: 'ssdp',
  transports: ['udp'],
  ports: [1900],
  probe,
  answer,
};
