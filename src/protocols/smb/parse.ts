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
