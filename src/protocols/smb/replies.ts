// The server's side of negotiation and a refused session setup, laid out as Windows Server
// 2016 (10.0.14393) sends them: SMB2 headers and responses (MS-SMB2 2.2.1, 2.2.4, 2.2.6) and
// the SMB1 NT LM 0.12 negotiate response (MS-SMB 2.2.4.5.2).

import { randomBytes } from 'node:crypto';

import { negTokenInit } from './ntlm.js';

export const STATUS_SUCCESS = 0;
export const STATUS_MORE_PROCESSING_REQUIRED = 0xc0000016;
export const STATUS_LOGON_FAILURE = 0xc000006d;
const SMB2_NEGOTIATE = 0;
const SMB2_FLAGS_SERVER_TO_REDIR = 0x1;
/** Windows' 8 MiB transact, read and write sizes with large MTU. */
const MAX_IO_BYTES = 8 * 1024 * 1024;
const SIGNING_ENABLED = 0x1;
/** The same server GUID for the life of the process, as a real server keeps it. */
const SERVER_GUID = randomBytes(16);

function filetime(ms: number): bigint {
  return BigInt(ms) * 10_000n + 116_444_736_000_000_000n;
}

/** Prefixes the NetBIOS session message header (RFC 1002 4.3.1). */
export function netbios(smb: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUIntBE(smb.length, 1, 3);
  return Buffer.concat([header, smb]);
}

export interface Smb2Reply {
  command: number;
  status: number;
  messageId: bigint;
  sessionId?: bigint;
}

function smb2Header(reply: Smb2Reply): Buffer {
  const header = Buffer.alloc(64);
  header.write('\xfeSMB', 0, 'latin1');
  header.writeUInt16LE(64, 4);
  header.writeUInt32LE(reply.status, 8);
  header.writeUInt16LE(reply.command, 12);
  header.writeUInt16LE(1, 14);
  header.writeUInt32LE(SMB2_FLAGS_SERVER_TO_REDIR, 16);
  header.writeBigUInt64LE(reply.messageId, 24);
  header.writeBigUInt64LE(reply.sessionId ?? 0n, 40);
  return header;
}

/** Capabilities Windows Server 2016 announces per dialect family (MS-SMB2 2.2.4). */
function capabilities(dialect: number): number {
  if (dialect >= 0x0300) return 0x2f;
  return dialect === 0x0202 ? 0x01 : 0x07;
}

/** SMB2 NEGOTIATE response choosing `dialect`; 0x02FF answers an SMB1 multi-protocol hello. */
export function smb2NegotiateResponse(dialect: number, messageId: bigint): Buffer {
  const blob = negTokenInit();
  const body = Buffer.alloc(64);
  body.writeUInt16LE(65, 0);
  body.writeUInt16LE(SIGNING_ENABLED, 2);
  body.writeUInt16LE(dialect, 4);
  SERVER_GUID.copy(body, 8);
  body.writeUInt32LE(capabilities(dialect), 24);
  for (const at of [28, 32, 36]) body.writeUInt32LE(MAX_IO_BYTES, at);
  body.writeBigUInt64LE(filetime(Date.now()), 40);
  body.writeUInt16LE(128, 56);
  body.writeUInt16LE(blob.length, 58);
  const header = smb2Header({ command: SMB2_NEGOTIATE, status: STATUS_SUCCESS, messageId });
  return netbios(Buffer.concat([header, body, blob]));
}

/** SMB2 SESSION_SETUP response with a security blob (empty on failure, as Windows sends). */
export function smb2SessionSetupResponse(reply: Smb2Reply, blob: Buffer): Buffer {
  const body = Buffer.alloc(8);
  body.writeUInt16LE(9, 0);
  body.writeUInt16LE(64 + 8, 4);
  body.writeUInt16LE(blob.length, 6);
  return netbios(Buffer.concat([smb2Header(reply), body, blob]));
}

/** SMB1 header for a reply: flags REPLY | CASE_INSENSITIVE, the request's ids echoed. */
function smb1Header(flags2: number, ids: Buffer): Buffer {
  const header = Buffer.alloc(32);
  header.write('\xffSMB', 0, 'latin1');
  header[4] = 0x72;
  header[9] = 0x88;
  // NT_STATUS and LONG_NAMES always; UNICODE and EXTENDED_SECURITY when the client set them.
  header.writeUInt16LE(0x4001 | (flags2 & 0x8800), 10);
  ids.copy(header, 12);
  return header;
}

/** SMB1 NEGOTIATE response naming no dialect: none of the client's is spoken here. */
export function smb1NoDialect(flags2: number, ids: Buffer): Buffer {
  return netbios(Buffer.concat([smb1Header(flags2, ids), Buffer.from([1, 0xff, 0xff, 0, 0])]));
}

/**
 * SMB1 NT LM 0.12 response (17 words): extended security (server GUID and SPNEGO blob) when
 * the client asked, else an 8-byte challenge, workgroup and server name, as nmap probes it.
 */
export function smb1NtLmResponse(negotiate: { flags2: number; ids: Buffer }, index: number,
  names: { workgroup: string; server: string }): Buffer {
  const extended = (negotiate.flags2 & 0x0800) !== 0;
  const words = Buffer.alloc(35);
  words[0] = 17;
  words.writeUInt16LE(index, 1);
  words[3] = 0x03;
  words.writeUInt16LE(50, 4);
  words.writeUInt16LE(1, 6);
  words.writeUInt32LE(4356, 8);
  words.writeUInt32LE(65536, 12);
  words.writeUInt32LE((0x0001e3fc | (extended ? 0x80000000 : 0)) >>> 0, 20);
  words.writeBigUInt64LE(filetime(Date.now()), 24);
  words[34] = extended ? 0 : 8;
  const unicode = (negotiate.flags2 & 0x8000) !== 0 ? 'utf16le' : 'latin1';
  const bytes = extended ? Buffer.concat([SERVER_GUID, negTokenInit()])
    : Buffer.concat([randomBytes(8), Buffer.from(`${names.workgroup}\0${names.server}\0`,
      unicode)]);
  const count = Buffer.alloc(2);
  count.writeUInt16LE(bytes.length);
  return netbios(Buffer.concat([smb1Header(negotiate.flags2, negotiate.ids), words, count, bytes]));
}
