// The SSH cleartext reader on real client bytes (OpenSSH 9.2 and hydra's libssh 0.10.6,
// captured from the Debian 12 clients), on broken input, and under a property-based fuzz run.

import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { CleartextScanner } from './cleartext.js';
import { MAX_PACKET_BYTES, parseIdentification, parseKexInit } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));
const OPENSSH = fixture('openssh-client-first.bin');
const LIBSSH = fixture('hydra-libssh-first.bin');

function scan(bytes: Buffer): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  new CleartextScanner(fields).feed(bytes);
  return fields;
}

describe('ssh identification', () => {
  it('reads the version line of a libssh2 scanner from the corpus', () => {
    const parsed = parseIdentification(corpusBytes('seed-22-ssh-libssh2-banner'));
    expect(parsed).toMatchObject({ kind: 'message', message: { line: 'SSH-2.0-libssh2_1.4.3',
      protoVersion: '2.0', software: 'libssh2_1.4.3', length: 23 } });
  });

  it('waits for the line end, and refuses other protocols and SSH-1', () => {
    expect(parseIdentification(Buffer.from('SSH-2.0-Op')).kind).toBe('incomplete');
    expect(parseIdentification(Buffer.from('GET / HTTP/1.1\r\n'))).toEqual({ kind: 'malformed',
      reason: 'bad_identification' });
    expect(parseIdentification(Buffer.from('SSH-1.5-old\r\n'))).toEqual({ kind: 'malformed',
      reason: 'unsupported_version' });
  });

  it('refuses a line longer than the 255 bytes RFC 4253 allows', () => {
    const long = Buffer.from(`SSH-2.0-${'a'.repeat(300)}`);
    expect(parseIdentification(long)).toEqual({ kind: 'malformed', reason: 'ident_too_long' });
  });
});

describe('ssh kexinit and HASSH', () => {
  it('gives the HASSH of OpenSSH 9.2 that the reference Python code computes', () => {
    const fields = scan(OPENSSH);
    expect(fields['client_version']).toBe('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u6');
    expect(fields['hassh']).toBe('472b5de333ad665af5cbf10ff892c4df');
    expect((fields['client_algorithms'] as { kex: string[] }).kex[0])
      .toBe('sntrup761x25519-sha512');
  });

  it("gives the HASSH of hydra's libssh, fed one byte at a time", () => {
    const fields: Record<string, unknown> = {};
    const scanner = new CleartextScanner(fields);
    for (const byte of LIBSSH) scanner.feed(Buffer.from([byte]));
    expect(scanner.done).toBe(true);
    expect(fields['hassh']).toBe('be31134219a24899a8a0c29c7797ba94');
  });

  it('refuses a packet length above the RFC 4253 minimum maximum', () => {
    const header = Buffer.alloc(5);
    header.writeUInt32BE(MAX_PACKET_BYTES + 1, 0);
    expect(parseKexInit(header)).toEqual({ kind: 'malformed', reason: 'bad_packet_length' });
  });

  it('refuses a first packet that is not a KEXINIT', () => {
    const packet = Buffer.from([0, 0, 0, 12, 10, 21, ...new Array(10).fill(0)]);
    expect(parseKexInit(packet)).toEqual({ kind: 'malformed', reason: 'not_kexinit' });
  });
});

describe('ssh cleartext fuzz', () => {
  const mutated = (base: Buffer) => fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer(
    { min: 0, max: 255 })), { maxLength: 16 }).map((edits) => {
    const copy = Buffer.from(base);
    for (const [at, byte] of edits) copy[at] = byte;
    return copy;
  });
  const inputs = fc.oneof(fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
    mutated(OPENSSH), mutated(LIBSSH));

  it('never throws and keeps its fields small on random and mutated bytes', () => {
    fc.assert(fc.property(inputs, fc.integer({ min: 1, max: 64 }), (bytes, step) => {
      const fields: Record<string, unknown> = {};
      const scanner = new CleartextScanner(fields);
      for (let at = 0; at < bytes.length && !scanner.done; at += step) {
        scanner.feed(bytes.subarray(at, at + step));
      }
      expect(JSON.stringify(fields).length).toBeLessThan(64 * 1024);
    }), { numRuns: 500 });
  });
});
