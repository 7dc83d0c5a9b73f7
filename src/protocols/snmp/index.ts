// SNMP v1/v2c over UDP (RFC 1157, RFC 3416): scanners and reflection attacks send GetRequest,
// GetNext or GetBulk with the community "public". Answered like Net-SNMP for "public" only,
// never with more bytes than the request; other communities and SNMPv3 get silence.

import type { ProtocolDescriptor } from '../types.js';
import { MAX_VARBINDS, PDU_NAMES, readRequest, readTlv } from './parse.js';
import { getResponse } from './reply.js';

const READ_COMMUNITY = 'public';
const REQUESTS = new Set([0xa0, 0xa1, 0xa5]);
const MAX_COMMUNITY_CHARS = 64;

/** A whole, well-formed request is sure; a BER sequence with an SNMP version is likely. */
function probe(first: Buffer): number {
  const result = readRequest(first);
  if (result.kind === 'message') return REQUESTS.has(result.request.pduType) ? 0.95 : 0.8;
  const outer = readTlv(first, 0, first.length);
  if (outer === null || outer.tag !== 0x30 || outer.end !== first.length) return 0;
  // SNMPv3 starts INTEGER 3, then the msgGlobalData sequence (RFC 3412 6).
  const v3 = first[outer.start] === 0x02 && first[outer.start + 1] === 1
    && first[outer.start + 2] === 3 && first[outer.start + 3] === 0x30;
  return v3 ? 0.9 : 0;
}

function answer(datagram: Buffer, _port: number,
  fields: Record<string, unknown>): Buffer | undefined {
  const result = readRequest(datagram);
  if (result.kind === 'malformed') {
    fields['malformed_reason'] ??= result.reason;
    return undefined;
  }
  const { request } = result;
  Object.assign(fields, {
    snmp_version: request.version === 0 ? '1' : '2c',
    community: request.community.slice(0, MAX_COMMUNITY_CHARS),
    pdu: PDU_NAMES[request.pduType], request_id: request.requestId,
    oids: request.oids.slice(0, MAX_VARBINDS),
  });
  if (request.community !== READ_COMMUNITY || !REQUESTS.has(request.pduType)) return undefined;
  return getResponse(request, datagram.length);
}

export const snmp: ProtocolDescriptor = {
  name: 'snmp',
  transports: ['udp'],
  ports: [161],
  probe,
  answer,
};
