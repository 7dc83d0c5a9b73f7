// What BIND 9.18 with recursion limited to local clients answers a query from outside:
// REFUSED, the question echoed, RA clear, and an EDNS0 OPT record when the query had one.
// The answer is never longer than the query (its OPT carries no options).

import { readQuery } from './parse.js';

const RCODE_REFUSED = 5;
const RD_BIT = 0x01;
const TYPE_OPT = 41;
/** BIND's default edns-udp-size since 9.16. */
const EDNS_UDP_BYTES = 1232;
const MAX_NAME_CHARS = 255;

function optRecord(): Buffer {
  const opt = Buffer.alloc(11);
  opt.writeUInt16BE(TYPE_OPT, 1);
  opt.writeUInt16BE(EDNS_UDP_BYTES, 3);
  return opt;
}

export function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  const result = readQuery(datagram);
  if (result.kind !== 'message') {
    if (result.kind === 'malformed') fields['malformed_reason'] ??= result.reason;
    return undefined;
  }
  const q = result.question;
  Object.assign(fields, { qname: q.name.slice(0, MAX_NAME_CHARS), qtype: q.type, qclass: q.class,
    opcode: q.opcode, edns: q.additional > 0 });
  const head = Buffer.from(datagram.subarray(0, q.end));
  head[2] = 0x80 | (q.opcode << 3) | ((datagram[2] ?? 0) & RD_BIT);
  head[3] = RCODE_REFUSED;
  head.writeUInt16BE(0, 6);
  head.writeUInt16BE(0, 8);
  const withOpt = q.additional > 0 && datagram.length >= q.end + 11;
  head.writeUInt16BE(withOpt ? 1 : 0, 10);
  return withOpt ? Buffer.concat([head, optRecord()]) : head;
}
