// The snmp probe and answers on snmpget's own bytes: a GetResponse for "public" that never
// outgrows the request, tooBig when nothing fits, silence for other communities.

import { describe, expect, it } from 'vitest';

import { PROBE_SURE } from '../types.js';
import { snmp } from './index.js';
import { readRequest } from './parse.js';
import { encodeOid, tlv } from './reply.js';

/** A request as snmpget builds it: version, community, PDU with NULL-valued bindings. */
function request(version: number, community: string, pdu: number, oids: string[]): Buffer {
  const binds = oids.map((o) => tlv(0x30, Buffer.concat([encodeOid(o), Buffer.from([5, 0])])));
  const body = Buffer.concat([tlv(0x02, Buffer.from([0x12, 0x34, 0x56, 0x78])),
    tlv(0x02, Buffer.from([0])), tlv(0x02, Buffer.from([0])), tlv(0x30, Buffer.concat(binds))]);
  return tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([version])),
    tlv(0x04, Buffer.from(community)), tlv(pdu, body)]));
}

const SYS_DESCR = '1.3.6.1.2.1.1.1.0';

describe('snmp probe', () => {
  it('is sure of a v2c GetRequest and refuses a cut one', () => {
    const get = request(1, 'public', 0xa0, [SYS_DESCR]);
    expect(snmp.probe(get)).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(snmp.probe(get.subarray(0, 20))).toBe(0);
    expect(snmp.probe(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBe(0);
  });
});

describe('snmp answers', () => {
  it('reads community, PDU type and OIDs into fields', () => {
    const fields: Record<string, unknown> = {};
    snmp.answer?.(request(1, 'public', 0xa0, [SYS_DESCR, '1.3.6.1.2.1.1.5.0']), 161, fields);
    expect(fields).toMatchObject({ snmp_version: '2c', community: 'public', pdu: 'get',
      request_id: 0x12345678, oids: [SYS_DESCR, '1.3.6.1.2.1.1.5.0'] });
  });

  it('answers a GetResponse no longer than the request, strings cut to fit', () => {
    const get = request(1, 'public', 0xa0, [SYS_DESCR, '1.3.6.1.2.1.1.3.0']);
    const reply = snmp.answer?.(get, 161, {}) ?? Buffer.alloc(0);
    expect(reply.length).toBeLessThanOrEqual(get.length);
    const parsed = readRequest(reply);
    expect(parsed).toMatchObject({ kind: 'message', request: { pduType: 0xa2,
      requestId: 0x12345678, oids: [SYS_DESCR, '1.3.6.1.2.1.1.3.0'] } });
  });

  it('answers tooBig when even empty values would not fit (GetNext to a shorter OID)', () => {
    const next = request(1, 'public', 0xa1, ['1.3.6.1.2.1.1']);
    const reply = snmp.answer?.(next, 161, {});
    expect(reply?.length).toBeLessThanOrEqual(next.length);
    expect(reply?.includes(Buffer.from([0x02, 0x01, 0x01]))).toBe(true);
  });

  it('keeps silent for another community and for SNMPv3', () => {
    const fields: Record<string, unknown> = {};
    expect(snmp.answer?.(request(1, 'private', 0xa0, [SYS_DESCR]), 161, fields)).toBeUndefined();
    expect(fields['community']).toBe('private');
    expect(snmp.answer?.(request(3, 'public', 0xa0, [SYS_DESCR]), 161, {})).toBeUndefined();
  });
});
