// A pure, bounded reader of SNMPv1/v2c messages (RFC 1157, RFC 3416) in BER: version,
// community, PDU type, request id and the varbinds' OIDs. Only definite lengths of at most
// two length bytes are read, as agents do for datagrams. Never throws.

/** Larger requests are refused; a GetBulk for a whole table is well under this. */
export const MAX_MESSAGE_BYTES = 4096;
export const MAX_VARBINDS = 32;
export const MAX_OID_ARCS = 64;
export const MAX_COMMUNITY_BYTES = 255;

export const PDU_NAMES: Record<number, string> = {
  0xa0: 'get', 0xa1: 'getnext', 0xa2: 'response', 0xa3: 'set', 0xa4: 'trap', 0xa5: 'getbulk',
  0xa6: 'inform', 0xa7: 'trap2', 0xa8: 'report',
};

export interface SnmpRequest {
  /** 0 for v1, 1 for v2c. */
  version: number;
  community: string;
  pduType: number;
  requestId: number;
  /** The request id's encoded bytes, echoed as they came. */
  requestIdBytes: Buffer;
  oids: string[];
}

export type SnmpResult =
  | { kind: 'message'; request: SnmpRequest }
  | { kind: 'malformed'; reason: string };

interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** One BER TLV at `at` inside `limit`, or null when cut short or oversized. */
export function readTlv(buf: Buffer, at: number, limit: number): Tlv | null {
  if (at + 2 > limit) return null;
  const tag = buf[at] ?? 0;
  const first = buf[at + 1] ?? 0;
  let length = first;
  let start = at + 2;
  if (first === 0x81 || first === 0x82) {
    const n = first & 0x7f;
    if (start + n > limit) return null;
    length = n === 1 ? buf[start] ?? 0 : buf.readUInt16BE(start);
    start += n;
  } else if (first > 0x7f) {
    return null;
  }
  return start + length > limit ? null : { tag, start, end: start + length };
}

function readOid(buf: Buffer, tlv: Tlv): string | null {
  if (tlv.end - tlv.start < 1 || tlv.end - tlv.start > MAX_OID_ARCS * 4) return null;
  const head = buf[tlv.start] ?? 0;
  const arcs = [Math.min(2, Math.floor(head / 40)), head - 40 * Math.min(2, Math.floor(head / 40))];
  let value = 0;
  for (let i = tlv.start + 1; i < tlv.end; i++) {
    const byte = buf[i] ?? 0;
    value = value * 128 + (byte & 0x7f);
    if (value > 0xffffffff) return null;
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  return arcs.length > MAX_OID_ARCS ? null : arcs.join('.');
}

function readInteger(buf: Buffer, tlv: Tlv | null): number | null {
  if (tlv === null || tlv.tag !== 0x02 || tlv.end - tlv.start < 1 || tlv.end - tlv.start > 4) {
    return null;
  }
  return buf.readIntBE(tlv.start, tlv.end - tlv.start);
}

function readVarbinds(buf: Buffer, list: Tlv): string[] | string {
  const oids: string[] = [];
  let at = list.start;
  while (at < list.end) {
    if (oids.length >= MAX_VARBINDS) return 'too_many_varbinds';
    const bind = readTlv(buf, at, list.end);
    if (bind === null || bind.tag !== 0x30) return 'bad_varbind';
    const oid = readTlv(buf, bind.start, bind.end);
    const text = oid !== null && oid.tag === 0x06 ? readOid(buf, oid) : null;
    if (text === null) return 'bad_oid';
    oids.push(text);
    at = bind.end;
  }
  return oids;
}

function malformed(reason: string): SnmpResult {
  return { kind: 'malformed', reason };
}

export function readRequest(buf: Buffer): SnmpResult {
  if (buf.length > MAX_MESSAGE_BYTES) return malformed('too_long');
  const outer = readTlv(buf, 0, buf.length);
  if (outer === null || outer.tag !== 0x30) return malformed('not_sequence');
  const versionTlv = readTlv(buf, outer.start, outer.end);
  const version = readInteger(buf, versionTlv);
  if (versionTlv === null || version === null) return malformed('bad_version');
  if (version !== 0 && version !== 1) return malformed('unsupported_version');
  const community = readTlv(buf, versionTlv.end, outer.end);
  if (community === null || community.tag !== 0x04) return malformed('bad_community');
  if (community.end - community.start > MAX_COMMUNITY_BYTES) return malformed('bad_community');
  const pdu = readTlv(buf, community.end, outer.end);
  if (pdu === null || PDU_NAMES[pdu.tag] === undefined) return malformed('bad_pdu');
  const id = readTlv(buf, pdu.start, pdu.end);
  const requestId = readInteger(buf, id);
  if (id === null || requestId === null) return malformed('bad_request_id');
  const second = readTlv(buf, id.end, pdu.end);
  const third = second === null ? null : readTlv(buf, second.end, pdu.end);
  const list = third === null ? null : readTlv(buf, third.end, pdu.end);
  if (list === null || list.tag !== 0x30) return malformed('bad_varbind_list');
  const oids = readVarbinds(buf, list);
  if (typeof oids === 'string') return malformed(oids);
  return { kind: 'message', request: {
    version, community: buf.toString('latin1', community.start, community.end), pduType: pdu.tag,
    requestId, requestIdBytes: buf.subarray(id.start - 2, id.end), oids,
  } };
}
