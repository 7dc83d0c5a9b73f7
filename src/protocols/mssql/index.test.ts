// The mssql probe and TDS readers on nmap's PRELOGIN packet and its broken variants.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { mssql } from './index.js';
import { isPreloginOptionList, readTdsHead } from './parse.js';

const PRELOGIN = 'mssql-tds-prelogin-nmap';

describe('mssql probe', () => {
  it('is sure of a PRELOGIN whose length matches what was sent', () => {
    expect(mssql.probe(corpusBytes(PRELOGIN))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits for a packet that has not all arrived', () => {
    expect(mssql.probe(corpusBytes(PRELOGIN).subarray(0, 20))).toBe(PROBE_PARTIAL);
  });

  it('refuses an option whose data lies past the packet', () => {
    const bytes = Buffer.from(corpusBytes(PRELOGIN));
    bytes.writeUInt16BE(0x0100, 9);
    expect(mssql.probe(bytes)).toBe(0);
  });
});

describe('tds readers', () => {
  it('read the packet type, status and length', () => {
    const result = readTdsHead(corpusBytes(PRELOGIN));
    expect(result).toEqual({ kind: 'message', head: { type: 0x12, status: 1, length: 52 } });
  });

  it('want a terminator after at least one option', () => {
    expect(isPreloginOptionList(Buffer.from([0xff]))).toBe(false);
    expect(isPreloginOptionList(Buffer.from([0, 0, 6, 0, 0, 0xff]))).toBe(true);
  });
});
