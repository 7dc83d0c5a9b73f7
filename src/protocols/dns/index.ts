// DNS queries over UDP, and over TCP with their 2-byte length prefix (RFC 1035 4.2.2):
// open-resolver and amplification scanners ask one question, often ANY or version.bind.

import type { ProtocolDescriptor } from '../types.js';
import { answer } from './answer.js';
import { readQuery } from './parse.js';

const TYPE_OPT = 41;
/** An EDNS0 OPT record: root name, type, class, TTL, data length (RFC 6891 6.1.2). */
const OPT_RECORD_BYTES = 11;

/** Scores one whole DNS message: exact fits are sure, trailing bytes less so. */
function messageScore(message: Buffer): number {
  const result = readQuery(message);
  if (result.kind !== 'message') return 0;
  const { additional, end } = result.question;
  if (additional === 0) return end === message.length ? 0.95 : 0.6;
  const opt = message[end] === 0 && message.length >= end + OPT_RECORD_BYTES;
  return opt && message.readUInt16BE(end + 1) === TYPE_OPT ? 0.95 : 0.6;
}

function probe(first: Buffer): number {
  const udp = messageScore(first);
  if (udp > 0 || first.length < 2) return udp;
  const framed = first.readUInt16BE(0) === first.length - 2;
  return framed ? messageScore(first.subarray(2)) : 0;
}

export const dns: ProtocolDescriptor = {
  name: 'dns',
  transports: ['udp', 'tcp'],
  ports: [53],
  probe,
  answer,
};
