// A pure, bounded reader of the first SMB packet over TCP 445 or NetBIOS 139: a NetBIOS
// session header (RFC 1002 4.3.1) before an SMB1 "\xffSMB" or SMB2/3 "\xfeSMB" header.

const SESSION_MESSAGE = 0x00;
const SESSION_REQUEST = 0x81;
const HEADER_BYTES = 4;
const SMB1_HEADER_BYTES = 32;
const SMB2_HEADER_BYTES = 64;
/** A NetBIOS session request carries two encoded names of 34 bytes each (RFC 1002 4.3.2). */
const SESSION_REQUEST_BYTES = 68;

export interface SmbHead {
  dialect: 'smb1' | 'smb2' | 'netbios';
  /** SMB1 command byte or SMB2 command word; 0 for a NetBIOS session request. */
  command: number;
  length: number;
}

export type SmbResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; head: SmbHead }
  | { kind: 'malformed'; reason: string };

function malformed(reason: string): SmbResult {
  return { kind: 'malformed', reason };
}

function readSmbHeader(buf: Buffer, length: number): SmbResult {
  const protocol = buf.readUInt32BE(HEADER_BYTES);
  if (protocol === 0xff534d42 && length >= SMB1_HEADER_BYTES) {
    return { kind: 'message', head: { dialect: 'smb1', command: buf[8] ?? 0, length } };
  }
  if (protocol === 0xfe534d42 && length >= SMB2_HEADER_BYTES) {
    const command = buf.length >= 18 ? buf.readUInt16LE(16) : 0;
    return { kind: 'message', head: { dialect: 'smb2', command, length } };
  }
  return malformed('not_smb');
}

/** A session request's called name starts with its length byte 0x20 (RFC 1001 14.1). */
function readSessionRequest(buf: Buffer, length: number): SmbResult {
  if (length !== SESSION_REQUEST_BYTES || buf[4] !== 0x20) return malformed('bad_session_request');
  return { kind: 'message', head: { dialect: 'netbios', command: 0, length } };
}

export function readSmbHead(buf: Buffer): SmbResult {
  const type = buf[0];
  if (type !== undefined && type !== SESSION_MESSAGE && type !== SESSION_REQUEST) {
    return malformed('not_netbios_session');
  }
  if (buf.length < HEADER_BYTES + 4) return { kind: 'incomplete' };
  const length = buf.readUIntBE(1, 3);
  if (type === SESSION_REQUEST) return readSessionRequest(buf, length);
  return readSmbHeader(buf, length);
}

/** A client offering more dialects than this is not one Windows would talk to either. */
export const MAX_DIALECTS = 64;
/** SMB1 dialect strings are short ASCII names, "NT LM 0.12" and the like. */
const MAX_DIALECT_NAME_BYTES = 64;
/** A whole message, NetBIOS header included; Windows allows 8 MiB writes, Samba less. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface Smb1Negotiate {
  flags2: number;
  /** PID high, TID, PID low, UID and MID, echoed in the reply (MS-CIFS 2.2.3.1). */
  ids: Buffer;
  dialects: string[];
}

export interface Smb2Negotiate {
  messageId: bigint;
  securityMode: number;
  capabilities: number;
  clientGuid: string;
  dialects: number[];
}

export type Parsed<T> = { kind: 'message'; message: T } | { kind: 'malformed'; reason: string };

/** The whole NetBIOS message at the start of `buf`, or null until all of it has arrived. */
export function readMessage(buf: Buffer): Buffer | null | 'too_large' {
  if (buf.length < HEADER_BYTES) return null;
  const length = buf.readUIntBE(1, 3);
  if (length > MAX_MESSAGE_BYTES) return 'too_large';
  return buf.length < HEADER_BYTES + length ? null : buf.subarray(0, HEADER_BYTES + length);
}

/** SMB_COM_NEGOTIATE (MS-CIFS 2.2.4.52.1): WordCount 0, then 0x02-prefixed dialect names. */
export function readSmb1Negotiate(message: Buffer): Parsed<Smb1Negotiate> {
  const smb = message.subarray(HEADER_BYTES);
  if (smb.length < SMB1_HEADER_BYTES + 3 || smb[SMB1_HEADER_BYTES] !== 0) {
    return { kind: 'malformed', reason: 'bad_smb1_negotiate' };
  }
  const count = smb.readUInt16LE(SMB1_HEADER_BYTES + 1);
  const bytes = smb.subarray(SMB1_HEADER_BYTES + 3, SMB1_HEADER_BYTES + 3 + count);
  const dialects: string[] = [];
  for (let at = 0; at < bytes.length && dialects.length < MAX_DIALECTS;) {
    const end = bytes.indexOf(0, at);
    if (bytes[at] !== 0x02 || end === -1 || end - at > MAX_DIALECT_NAME_BYTES) {
      return { kind: 'malformed', reason: 'bad_dialect_string' };
    }
    dialects.push(bytes.toString('latin1', at + 1, end));
    at = end + 1;
  }
  const negotiate = { flags2: smb.readUInt16LE(10), ids: smb.subarray(12, 32), dialects };
  return { kind: 'message', message: negotiate };
}

function guidText(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20),
    hex.slice(20)].join('-');
}

/** SMB2 NEGOTIATE request (MS-SMB2 2.2.3): StructureSize 36, then the dialect list. */
export function readSmb2Negotiate(message: Buffer): Parsed<Smb2Negotiate> {
  const body = message.subarray(HEADER_BYTES + SMB2_HEADER_BYTES);
  if (body.length < 36 || body.readUInt16LE(0) !== 36) {
    return { kind: 'malformed', reason: 'bad_smb2_negotiate' };
  }
  const count = body.readUInt16LE(2);
  if (count === 0 || count > MAX_DIALECTS || body.length < 36 + count * 2) {
    return { kind: 'malformed', reason: 'bad_dialect_count' };
  }
  const dialects = Array.from({ length: count }, (_, i) => body.readUInt16LE(36 + i * 2));
  return { kind: 'message', message: {
    messageId: message.readBigUInt64LE(HEADER_BYTES + 24), securityMode: body.readUInt16LE(4),
    capabilities: body.readUInt32LE(8), clientGuid: guidText(body.subarray(12, 28)), dialects,
  } };
}

/** SMB2 SESSION_SETUP request (MS-SMB2 2.2.5): the security buffer, bounds checked. */
export function readSmb2SessionSetup(message: Buffer): Parsed<Buffer> {
  const smb = message.subarray(HEADER_BYTES);
  const body = smb.subarray(SMB2_HEADER_BYTES);
  if (body.length < 24 || body.readUInt16LE(0) !== 25) {
    return { kind: 'malformed', reason: 'bad_session_setup' };
  }
  const offset = body.readUInt16LE(12);
  const length = body.readUInt16LE(14);
  if (offset + length > smb.length) return { kind: 'malformed', reason: 'bad_security_buffer' };
  return { kind: 'message', message: smb.subarray(offset, offset + length) };
}
