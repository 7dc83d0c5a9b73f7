// The MySQL greeting read back field by field, and the probe on a client's first packet.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { mysql } from './index.js';
import { AUTH_PLUGIN, SERVER_VERSION } from './handshake.js';

/** Reads back the fields of a HandshakeV10 packet, in the order MySQL's docs list them. */
function readHandshake(packet: Buffer) {
  const payload = packet.subarray(4);
  const versionEnd = payload.indexOf(0, 1);
  const at = versionEnd + 1;
  const pluginStart = at + 4 + 8 + 1 + 2 + 1 + 2 + 2 + 1 + 10 + 13;
  return {
    length: packet.readUIntLE(0, 3),
    sequence: packet[3],
    protocol: payload[0],
    version: payload.toString('latin1', 1, versionEnd),
    connectionId: payload.readUInt32LE(at),
    salt: Buffer.concat([payload.subarray(at + 4, at + 12), payload.subarray(at + 31, at + 43)]),
    saltEnds: [payload[at + 12], payload[at + 43]],
    capabilities: payload.readUInt16LE(at + 13) | (payload.readUInt16LE(at + 18) << 16),
    saltLength: payload[at + 20],
    plugin: payload.toString('latin1', pluginStart, payload.length - 1),
    last: payload[payload.length - 1],
  };
}

function greet(): ReturnType<typeof readHandshake> {
  return readHandshake(mysql.greeting?.(3306) ?? Buffer.alloc(0));
}

/** A HandshakeResponse41 for root, as the mysql 8.0 command-line client sends it. */
function handshakeResponse(): Buffer {
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(0x01ffa68d, 0);
  fixed.writeUInt32LE(16 * 1024 * 1024, 4);
  fixed[8] = 255;
  const payload = Buffer.concat([fixed, Buffer.from('root\0\0', 'latin1')]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = 1;
  return Buffer.concat([header, payload]);
}

describe('mysql greeting', () => {
  it('is a well-formed HandshakeV10 packet of MySQL 8.0', () => {
    const packet = mysql.greeting?.(3306) ?? Buffer.alloc(0);
    const hello = readHandshake(packet);
    expect(hello.length).toBe(packet.length - 4);
    expect(hello.sequence).toBe(0);
    expect(hello.protocol).toBe(10);
    expect(hello.version).toBe(SERVER_VERSION);
    expect(hello.saltLength).toBe(21);
    expect(hello.saltEnds).toEqual([0, 0]);
    expect(hello.plugin).toBe(AUTH_PLUGIN);
    expect(hello.last).toBe(0);
    expect(hello.capabilities & 0x0200).not.toBe(0);
    expect(hello.capabilities & 0x0800).toBe(0);
  });

  it('draws a fresh 7-bit salt without NUL or "$" for every connection', () => {
    const salts = Array.from({ length: 50 }, () => greet().salt);
    for (const salt of salts) {
      expect(salt.length).toBe(20);
      expect(salt.every((b) => b > 0 && b < 0x80 && b !== 0x24)).toBe(true);
    }
    expect(new Set(salts.map((s) => s.toString('hex'))).size).toBe(salts.length);
  });

  it('numbers connections one after another, as a real server does', () => {
    const first = greet().connectionId;
    expect(greet().connectionId).toBe(first + 1);
  });
});

describe('mysql probe', () => {
  it('takes a client that answers a greeting it expects', () => {
    expect(mysql.probe(handshakeResponse())).toBeGreaterThanOrEqual(PROBE_MIN);
  });

  it('refuses its own greeting, a cut packet and text', () => {
    expect(mysql.probe(mysql.greeting?.(3306) ?? Buffer.alloc(0))).toBe(0);
    expect(mysql.probe(handshakeResponse().subarray(0, 20))).toBe(0);
    expect(mysql.probe(Buffer.from('GET / HTTP/1.1\r\n\r\n'))).toBe(0);
  });
});
