// NTP over UDP: mode 3 client requests (RFC 5905 7.3), mode 6 control queries (RFC 9327)
// and mode 7 private requests such as monlist, the amplification scanners' favourite.

import type { ProtocolDescriptor } from '../types.js';
import { answer } from './answer.js';

const MODE_CLIENT = 3;
const MODE_CONTROL = 6;
const MODE_PRIVATE = 7;
const CLIENT_PACKET_BYTES = 48;
/** A client packet may carry a MAC: key id plus an MD5 or SHA-1 digest (RFC 5905 7.3). */
const MAX_CLIENT_PACKET_BYTES = CLIENT_PACKET_BYTES + 4 + 20;
const CONTROL_HEADER_BYTES = 12;
const PRIVATE_HEADER_BYTES = 8;
/** ntpd's mode 7 implementations: universal, XNTPD_OLD and XNTPD (ntp_request.h). */
const PRIVATE_IMPLEMENTATIONS = [0, 2, 3];
const MAX_STRATUM = 16;
const MAX_POLL_LOG2 = 17;

/** Mode 7: response and more bits clear, a known implementation, a request code below 64. */
function privateScore(first: Buffer): number {
  if (first.length < PRIVATE_HEADER_BYTES || ((first[0] ?? 0) & 0xc0) !== 0) return 0;
  if (!PRIVATE_IMPLEMENTATIONS.includes(first[2] ?? -1)) return 0;
  return (first[3] ?? 0xff) < 64 ? 0.95 : 0;
}

/**
 * Mode 6 request: response, error and more bits clear, an opcode between 1 and 31, status
 * and offset zero, and a data count that fits (ntpq's readvar sends exactly that).
 */
function controlScore(first: Buffer): number {
  if (first.length < CONTROL_HEADER_BYTES || (first[0] ?? 0) >> 6 !== 0) return 0;
  const opcode = first[1] ?? 0;
  if (opcode < 1 || opcode > 31) return 0;
  if (first.readUInt16BE(4) !== 0 || first.readUInt16BE(8) !== 0) return 0;
  return CONTROL_HEADER_BYTES + first.readUInt16BE(10) <= first.length ? 0.85 : 0;
}

function clientScore(first: Buffer): number {
  if (first.length < CLIENT_PACKET_BYTES || first.length > MAX_CLIENT_PACKET_BYTES) return 0;
  if ((first[1] ?? 0xff) > MAX_STRATUM || (first[2] ?? 0xff) > MAX_POLL_LOG2) return 0;
  return first.length === CLIENT_PACKET_BYTES ? 0.9 : 0.8;
}

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  const version = ((first[0] ?? 0) >> 3) & 0x07;
  if (version < 1 || version > 4) return 0;
  const mode = (first[0] ?? 0) & 0x07;
  if (mode === MODE_PRIVATE) return privateScore(first);
  if (mode === MODE_CONTROL) return controlScore(first);
  return mode === MODE_CLIENT ? clientScore(first) : 0;
}

export const ntp: ProtocolDescriptor = {
  name: 'ntp',
  transports: ['udp'],
  ports: [123],
  probe,
  answer,
};
