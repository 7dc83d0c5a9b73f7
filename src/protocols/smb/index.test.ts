// The smb probe and head reader on SMB1 negotiates from the corpus, SMB2 and NetBIOS.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_MIN } from '../identify.js';
import { PROBE_SURE } from '../types.js';
import { smb } from './index.js';
import { readSmbHead } from './parse.js';

/** NetBIOS header then the first 20 bytes of an SMB2 header: NEGOTIATE (command 0). */
function smb2Negotiate(): Buffer {
  const header = Buffer.alloc(4 + 64);
  header.writeUIntBE(64 + 36, 1, 3);
  header.write('\xfeSMB', 4, 'latin1');
  header.writeUInt16LE(64, 8);
  return header;
}

/** NetBIOS session request: called "*SMBSERVER" and calling names, half-ASCII encoded. */
function sessionRequest(): Buffer {
  const name = Buffer.concat([Buffer.from([0x20]), Buffer.alloc(32, 0x43), Buffer.from([0])]);
  return Buffer.concat([Buffer.from([0x81, 0, 0, 68]), name, name]);
}

describe('smb probe', () => {
  it('is sure of SMB1 negotiates on any port', () => {
    for (const id of ['seed-443-smb-negotiate', 'smb1-negotiate-ms17-010-scanner']) {
      expect(smb.probe(corpusBytes(id)), id).toBeGreaterThanOrEqual(PROBE_SURE);
    }
  });

  it('is sure of SMB2 and takes a NetBIOS session request', () => {
    expect(smb.probe(smb2Negotiate())).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(smb.probe(sessionRequest())).toBeGreaterThanOrEqual(PROBE_MIN);
  });

  it('waits on the NetBIOS header alone and refuses other protocol ids', () => {
    expect(smb.probe(Buffer.from([0, 0, 0, 0x54, 0xff]))).toBe(PROBE_PARTIAL);
    expect(smb.probe(Buffer.from('\x00\x00\x00\x54\xffSMX', 'latin1'))).toBe(0);
  });
});

describe('smb head', () => {
  it('reads the dialect, command and NetBIOS length', () => {
    const result = readSmbHead(corpusBytes('smb1-negotiate-ms17-010-scanner'));
    const head = { dialect: 'smb1', command: 0x72, length: 84 };
    expect(result).toEqual({ kind: 'message', head });
  });
});
