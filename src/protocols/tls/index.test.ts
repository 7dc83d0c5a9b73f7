// The tls probe and hello reader on nmap's SSLv3 hello, an SSLv2-compatible hello and junk.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { tls } from './index.js';
import { readSsl2Hello, readTlsHello } from './parse.js';

/** An SSLv2-compatible CLIENT-HELLO offering TLS 1.0: 3 cipher specs, no session, 16 bytes. */
function ssl2Hello(): Buffer {
  const body = Buffer.from([0x01, 0x03, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, 0x10]);
  const specs = Buffer.from([0x00, 0x00, 0x04, 0x00, 0x00, 0x05, 0x00, 0x00, 0x0a]);
  const challenge = Buffer.alloc(16, 0x5a);
  const length = body.length + specs.length + challenge.length;
  const header = Buffer.from([0x80 | (length >> 8), length & 0xff]);
  return Buffer.concat([header, body, specs, challenge]);
}

describe('tls probe', () => {
  it('is sure of a ClientHello record', () => {
    expect(tls.probe(corpusBytes('tls-sslv3-clienthello-nmap'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('is sure of an SSLv2-compatible hello', () => {
    expect(tls.probe(ssl2Hello())).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits while only the record header has arrived', () => {
    expect(tls.probe(Buffer.from([0x16, 0x03, 0x01]))).toBe(PROBE_PARTIAL);
  });

  it('refuses a handshake record that is not a ClientHello, and random bytes', () => {
    const serverHello = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x30, 0x02, 0x00, 0x00, 0x2c, 0x03]);
    expect(tls.probe(serverHello)).toBe(0);
    expect(tls.probe(corpusBytes('adv-binary-garbage-256'))).toBe(0);
  });
});

describe('tls hello readers', () => {
  it('read the version and declared length', () => {
    const result = readTlsHello(corpusBytes('tls-sslv3-clienthello-nmap'));
    const hello = { format: 'tls', version: 0x0300, length: 83 };
    expect(result).toEqual({ kind: 'message', hello });
    const ssl2 = { kind: 'message', hello: { format: 'sslv2', version: 0x0301 } };
    expect(readSsl2Hello(ssl2Hello())).toMatchObject(ssl2);
  });

  it('say why an SSLv2 hello with a wrong total length is malformed', () => {
    const hello = ssl2Hello();
    hello[1] = (hello[1] ?? 0) + 1;
    expect(readSsl2Hello(hello)).toEqual({ kind: 'malformed', reason: 'bad_length' });
  });
});
