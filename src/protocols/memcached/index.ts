// memcached's text protocol: over UDP behind an 8-byte frame header (request id, sequence 0,
// one datagram, reserved 0), the reflection attacks' "stats" and "gets"; over TCP bare.

import { PROBE_PARTIAL, prefixTable, tableScore } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { answer } from './answer.js';

const FRAME_BYTES = 8;

const UDP_COMMANDS = prefixTable({
  'stats': 0.95, 'gets ': 0.95, 'get ': 0.95, 'set ': 0.9, 'version': 0.9, 'add ': 0.8,
});
// Over TCP, get and set are left to redis, whose inline commands look the same.
const TCP_COMMANDS = prefixTable({
  'stats\r\n': 0.8, 'stats ': 0.8, 'gets ': 0.7, 'version\r\n': 0.6,
});

/** Sequence number 0 of 1 datagram with the reserved word zero (memcached protocol.txt). */
function isFrame(first: Buffer): boolean {
  return first.readUInt16BE(2) === 0 && first.readUInt16BE(4) === 1 && first.readUInt16BE(6) === 0;
}

function probe(first: Buffer): number {
  if (first.length >= FRAME_BYTES && isFrame(first)) {
    const command = first.subarray(FRAME_BYTES);
    return command.length === 0 ? PROBE_PARTIAL : tableScore(command, UDP_COMMANDS);
  }
  return tableScore(first, TCP_COMMANDS);
}

export const memcached: ProtocolDescriptor = {
  name: 'memcached',
  transports: ['udp', 'tcp'],
  ports: [11211],
  probe,
  answer,
};
