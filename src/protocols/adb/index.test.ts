// The adb probe and header reader on the CNXN messages bots send to port 5555.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { adb } from './index.js';
import { readMessageHead } from './parse.js';

describe('adb probe', () => {
  it('is sure of a CNXN message with a matching magic', () => {
    for (const id of ['adb-cnxn-host-handshake', 'seed-5555-adb-shell-dropper']) {
      expect(adb.probe(corpusBytes(id)), id).toBeGreaterThanOrEqual(PROBE_SURE);
    }
  });

  it('waits for the whole 24-byte header', () => {
    expect(adb.probe(corpusBytes('adb-cnxn-host-handshake').subarray(0, 10))).toBe(PROBE_PARTIAL);
  });

  it('refuses a CNXN whose magic is wrong', () => {
    const bytes = Buffer.from(corpusBytes('adb-cnxn-host-handshake'));
    bytes[20] = 0;
    expect(adb.probe(bytes)).toBe(0);
  });
});

describe('adb message head', () => {
  it('reads the version, maximum data and payload length', () => {
    const result = readMessageHead(corpusBytes('adb-cnxn-host-handshake'));
    expect(result).toEqual({
      kind: 'message', head: { command: 'CNXN', arg0: 0x01000000, arg1: 4096, dataLength: 7 },
    });
  });

  it('refuses a declared payload above the maximum before reading it', () => {
    const bytes = Buffer.from(corpusBytes('adb-cnxn-host-handshake'));
    bytes.writeUInt32LE(0x7fffffff, 12);
    expect(readMessageHead(bytes)).toEqual({ kind: 'malformed', reason: 'payload_too_large' });
  });
});
