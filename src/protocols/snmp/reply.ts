// GetResponse PDUs as Net-SNMP 5.9.3's snmpd on Ubuntu 22.04 LTS answers for the read-only
// community "public": a few system-group objects, noSuchObject/endOfMibView (v2c) or
// noSuchName (v1) for the rest. Strings are shortened until the reply fits its budget.

import type { SnmpRequest } from './parse.js';

const SYS_DESCR = 'Linux gw 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64';
const SYSTEM: readonly [oid: string, tag: number, value: string][] = [
  ['1.3.6.1.2.1.1.1.0', 0x04, SYS_DESCR],
  ['1.3.6.1.2.1.1.4.0', 0x04, 'Me <me@example.org>'],
  ['1.3.6.1.2.1.1.5.0', 0x04, 'gw'],
  ['1.3.6.1.2.1.1.6.0', 0x04, 'Sitting on the Dock of the Bay'],
];
const NO_SUCH_OBJECT = 0x80;
const END_OF_MIB_VIEW = 0x82;
const TOO_BIG = 1;
const NO_SUCH_NAME = 2;
const NULL = 0x05;
const GET = 0xa0;

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  return n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

export function tlv(tag: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

export function encodeOid(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const bytes = [(arcs[0] ?? 0) * 40 + (arcs[1] ?? 0)];
  for (const arc of arcs.slice(2)) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) {
      groups.unshift((v & 0x7f) | 0x80);
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function compareOids(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

interface Binding {
  oid: string;
  tag: number;
  value: string;
}

/** What the agent holds for each requested OID (GET) or the next one after it. */
function bindings(request: SnmpRequest): { binds: Binding[]; missing: number } {
  let missing = 0;
  const binds = request.oids.map((oid, i) => {
    const found = request.pduType === GET ? SYSTEM.find(([o]) => o === oid)
      : SYSTEM.find(([o]) => compareOids(o, oid) > 0);
    if (found !== undefined) return { oid: found[0], tag: found[1], value: found[2] };
    if (missing === 0) missing = i + 1;
    return { oid, tag: request.pduType === GET ? NO_SUCH_OBJECT : END_OF_MIB_VIEW, value: '' };
  });
  return { binds, missing };
}

function encode(request: SnmpRequest, binds: Binding[], missing: number, room: number,
  error = 0): Buffer {
  let left = room;
  const encoded = binds.map((b) => {
    const text = b.value.slice(0, Math.max(0, left));
    left -= text.length;
    const value = b.tag === 0x04 ? tlv(0x04, Buffer.from(text, 'latin1'))
      : Buffer.from([b.tag, 0]);
    return tlv(0x30, Buffer.concat([encodeOid(b.oid), value]));
  });
  // SNMPv1 has no exception values: the whole PDU fails with noSuchName (RFC 1157 4.1.2).
  const v1Error = request.version === 0 && missing > 0 ? NO_SUCH_NAME : 0;
  const status = error !== 0 ? error : v1Error;
  const pdu = tlv(0xa2, Buffer.concat([request.requestIdBytes,
    tlv(0x02, Buffer.from([status])), tlv(0x02, Buffer.from([status === v1Error ? missing : 0])),
    tlv(0x30, Buffer.concat(encoded))]));
  return tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([request.version])),
    tlv(0x04, Buffer.from(request.community, 'latin1')), pdu]));
}

/**
 * The tooBig answer an agent gives when its response would pass a size limit: SNMPv1 echoes
 * the bindings (RFC 1157 4.1.2), v2c sends none (RFC 3416 4.2.1). Ours is the request's size.
 */
function tooBig(request: SnmpRequest): Buffer {
  const binds = request.version === 0
    ? request.oids.map((oid) => ({ oid, tag: NULL, value: '' })) : [];
  return encode(request, binds, 0, 0, TOO_BIG);
}

/** The GetResponse, its strings cut so that it is at most `budget` bytes, else tooBig. */
export function getResponse(request: SnmpRequest, budget: number): Buffer | undefined {
  const { binds, missing } = bindings(request);
  const bare = encode(request, binds, missing, 0);
  if (bare.length > budget) {
    const small = tooBig(request);
    return small.length <= budget ? small : undefined;
  }
  let room = budget - bare.length;
  for (let tries = 0; tries < 4; tries++) {
    const reply = encode(request, binds, missing, room);
    if (reply.length <= budget) return reply;
    room -= reply.length - budget;
  }
  return bare;
}
