// The SMB session against smbclient 4.17's captured negotiates and the corpus's SMB1 hellos:
// the dialect Windows Server 2016 picks, and the NTLMSSP user of a refused session setup.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { startSession } from '../test-session.js';
import { smb } from './index.js';
import { readAuthenticate } from './ntlm.js';
import { readSmb1Negotiate, readSmb2Negotiate } from './parse.js';

function fixture(name: string): Buffer {
  return readFileSync(new URL(`fixtures/${name}`, import.meta.url));
}

/** The dialect word of an SMB2 NEGOTIATE response, after NetBIOS (4) and SMB2 (64) headers. */
function smb2Dialect(reply: Buffer): number {
  return reply.readUInt16LE(4 + 64 + 4);
}

/** An SMB1 NEGOTIATE offering `dialects`, on smbclient's header. */
function smb1Hello(dialects: string[]): Buffer {
  const head = fixture('smbclient-nt1-negotiate.bin').subarray(4, 4 + 32);
  const names = Buffer.from(dialects.map((d) => `\x02${d}\0`).join(''), 'latin1');
  const count = Buffer.from([0, names.length & 0xff, names.length >> 8]);
  const header = Buffer.alloc(4);
  header.writeUIntBE(32 + 3 + names.length, 1, 3);
  return Buffer.concat([header, head, count, names]);
}

/** An NTLMSSP AUTHENTICATE with Unicode names, as a bare security blob. */
function authenticate(user: string, domain: string, workstation: string): Buffer {
  const names = [domain, user, workstation].map((n) => Buffer.from(n, 'utf16le'));
  const fixed = Buffer.alloc(64);
  fixed.write('NTLMSSP\0', 0, 'latin1');
  fixed.writeUInt32LE(3, 8);
  let offset = 64;
  names.forEach((name, i) => {
    fixed.writeUInt16LE(name.length, 28 + i * 8);
    fixed.writeUInt16LE(name.length, 30 + i * 8);
    fixed.writeUInt32LE(offset, 32 + i * 8);
    offset += name.length;
  });
  fixed.writeUInt32LE(1, 60);
  return Buffer.concat([fixed, ...names]);
}

/** An SMB2 SESSION_SETUP request carrying `blob`, in a NetBIOS message. */
function sessionSetup(blob: Buffer): Buffer {
  const smb2 = Buffer.alloc(64 + 24);
  smb2.write('\xfeSMB', 0, 'latin1');
  smb2.writeUInt16LE(64, 4);
  smb2.writeUInt16LE(1, 12);
  smb2.writeBigUInt64LE(2n, 24);
  smb2.writeUInt16LE(25, 64);
  smb2.writeUInt16LE(88, 64 + 12);
  smb2.writeUInt16LE(blob.length, 64 + 14);
  const header = Buffer.alloc(4);
  header.writeUIntBE(smb2.length + blob.length, 1, 3);
  return Buffer.concat([header, smb2, blob]);
}

describe('smb negotiate readers', () => {
  it('read the SMB1 dialect strings of an EternalBlue scanner', () => {
    const result = readSmb1Negotiate(corpusBytes('smb1-negotiate-ms17-010-scanner'));
    expect(result).toMatchObject({ message: { dialects: ['LANMAN1.0', 'LM1.2X002',
      'NT LANMAN 1.0', 'NT LM 0.12'] } });
  });

  it('read smbclient\'s SMB2 dialects and client GUID', () => {
    const result = readSmb2Negotiate(fixture('smbclient-smb2-negotiate.bin'));
    expect(result).toMatchObject({ message: { dialects: [0x0202, 0x0210, 0x0300, 0x0302,
      0x0311], clientGuid: '2bb42a40-adf6-8046-8053-0f6c413c1abd' } });
  });

  it('find the names of an NTLMSSP AUTHENTICATE and refuse one pointing outside', () => {
    const blob = authenticate('alice', 'CORP', 'KALI');
    expect(readAuthenticate(blob)).toEqual({ user: 'alice', domain: 'CORP', workstation: 'KALI' });
    blob.writeUInt32LE(0xffff, 40);
    expect(readAuthenticate(blob)).toBeNull();
  });
});

describe('smb session', () => {
  it('answers smbclient\'s SMB2 negotiate with 3.0.2 and records every dialect offered', () => {
    const { ctx, session } = startSession(smb);
    session.data(fixture('smbclient-smb2-negotiate.bin'));
    expect(smb2Dialect(Buffer.concat(ctx.sent))).toBe(0x0302);
    expect(ctx.fields).toMatchObject({ smb2_dialects: ['2.0.2', '2.1', '3.0', '3.0.2', '3.1.1'],
      dialect: '3.0.2' });
  });

  it('upgrades an SMB1 hello that offers SMB 2.??? to SMB2, as Windows does', () => {
    const { ctx, session } = startSession(smb);
    session.data(smb1Hello(['NT LM 0.12', 'SMB 2.002', 'SMB 2.???']));
    expect(ctx.fields['smb1_dialects']).toContain('SMB 2.???');
    expect(smb2Dialect(Buffer.concat(ctx.sent))).toBe(0x02ff);
  });

  it('answers the seed SMB1 hello on 443 with NT LM 0.12, the only dialect it shares', () => {
    const { ctx, session } = startSession(smb);
    session.data(corpusBytes('seed-443-smb-negotiate'));
    expect(ctx.fields['dialect']).toBe('NT LM 0.12');
    expect(Buffer.concat(ctx.sent).readUInt16LE(4 + 33)).toBe(5);
  });

  it('answers NT LM 0.12 with an extended-security SMB1 response', () => {
    const { ctx, session } = startSession(smb);
    session.data(corpusBytes('smb1-negotiate-ms17-010-scanner'));
    const reply = Buffer.concat(ctx.sent);
    expect(reply.subarray(4, 9).toString('latin1')).toBe('\xffSMBr');
    expect(reply[36]).toBe(17);
    expect(reply.readUInt16LE(37)).toBe(3);
    expect(ctx.fields['dialect']).toBe('NT LM 0.12');
    expect(ctx.ended).toBe(false);
  });

  it('says no dialect to a client offering only old ones, and hangs up', () => {
    const { ctx, session } = startSession(smb);
    session.data(smb1Hello(['PC NETWORK PROGRAM 1.0', 'LANMAN1.0']));
    expect(Buffer.concat(ctx.sent).readUInt16LE(4 + 33)).toBe(0xffff);
    expect(ctx.ended).toBe(true);
  });

  it('sends an NTLMSSP challenge, then records the user and refuses the logon', () => {
    const { ctx, session } = startSession(smb);
    session.data(fixture('smbclient-smb2-negotiate.bin'));
    ctx.clear();
    session.data(sessionSetup(Buffer.from('NTLMSSP\0\x01\0\0\0', 'latin1')));
    const challenge = Buffer.concat(ctx.sent);
    expect(challenge.readUInt32LE(4 + 8)).toBe(0xc0000016);
    expect(challenge.includes(Buffer.from('NTLMSSP\0\x02', 'latin1'))).toBe(true);
    ctx.clear();
    session.data(sessionSetup(authenticate('alice', 'CORP', 'KALI')));
    expect(Buffer.concat(ctx.sent).readUInt32LE(4 + 8)).toBe(0xc000006d);
    expect(ctx.credentials).toEqual([{ username: 'alice', password: '' }]);
    expect(ctx.fields).toMatchObject({ ntlm_user: 'alice', ntlm_domain: 'CORP',
      ntlm_workstation: 'KALI' });
  });

  it('drops a message it cannot read without a reply', () => {
    const { ctx, session } = startSession(smb);
    const bytes = Buffer.from(fixture('smbclient-smb2-negotiate.bin'));
    bytes.writeUInt16LE(0, 4 + 64 + 2);
    session.data(bytes);
    expect(ctx.reasons).toEqual(['bad_dialect_count']);
    expect(ctx.sent).toEqual([]);
    expect(ctx.ended).toBe(true);
  });
});
