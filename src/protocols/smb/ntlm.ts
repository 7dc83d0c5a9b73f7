// NTLMSSP inside SPNEGO, as far as a refused login needs (MS-NLMP 2.2.1, RFC 4178): the
// server's negTokenInit and CHALLENGE, and a bounded reader of the client's AUTHENTICATE.

import { randomBytes } from 'node:crypto';

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');
const NTLMSSP_OID = Buffer.from('2b0601040182370202' + '0a', 'hex');
const SPNEGO_OID = Buffer.from('2b0601050502', 'hex');
/** UNICODE, REQUEST_TARGET, SIGN, NTLM, ALWAYS_SIGN, TARGET_TYPE_SERVER, EXTENDED_SESSION-
 * SECURITY, TARGET_INFO, VERSION, 128, KEY_EXCH, 56: what a stand-alone Windows server sets. */
const CHALLENGE_FLAGS = 0xe28a8215;
/** Windows Server 2016 (10.0 build 14393), NTLM revision 15. */
const VERSION = Buffer.from('0a0039380000000f', 'hex');
const NEGOTIATE_UNICODE = 0x1;
const AUTHENTICATE = 3;
const AUTHENTICATE_FIXED_BYTES = 64;
/** User, domain and workstation names are at most 256 UTF-16 characters (MS-NLMP 2.2.1.3). */
export const MAX_NAME_BYTES = 512;

function der(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  const n = body.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), body]);
}

/** The SPNEGO negTokenInit a server puts in its negotiate response, offering NTLMSSP. */
export function negTokenInit(): Buffer {
  const mechs = der(0xa0, der(0x30, der(0x06, NTLMSSP_OID)));
  return der(0x60, der(0x06, SPNEGO_OID), der(0xa0, der(0x30, mechs)));
}

/** negTokenResp (accept-incomplete, NTLMSSP) carrying the server's CHALLENGE. */
export function challengeToken(serverName: string): Buffer {
  return der(0xa1, der(0x30,
    der(0xa0, der(0x0a, Buffer.from([1]))),
    der(0xa1, der(0x06, NTLMSSP_OID)),
    der(0xa2, der(0x04, challenge(serverName)))));
}

function avPair(id: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);
  return Buffer.concat([head, value]);
}

function timestamp(): Buffer {
  const filetime = Buffer.alloc(8);
  filetime.writeBigUInt64LE(BigInt(Date.now()) * 10_000n + 116_444_736_000_000_000n);
  return filetime;
}

/** CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) of a stand-alone server named `serverName`. */
function challenge(serverName: string): Buffer {
  const name = Buffer.from(serverName, 'utf16le');
  const info = Buffer.concat([avPair(2, name), avPair(1, name), avPair(4, name), avPair(3, name),
    avPair(7, timestamp()), avPair(0, Buffer.alloc(0))]);
  const fixed = Buffer.alloc(56);
  SIGNATURE.copy(fixed, 0);
  fixed.writeUInt32LE(2, 8);
  fixed.writeUInt16LE(name.length, 12);
  fixed.writeUInt16LE(name.length, 14);
  fixed.writeUInt32LE(56, 16);
  fixed.writeUInt32LE(CHALLENGE_FLAGS, 20);
  randomBytes(8).copy(fixed, 24);
  fixed.writeUInt16LE(info.length, 40);
  fixed.writeUInt16LE(info.length, 42);
  fixed.writeUInt32LE(56 + name.length, 44);
  VERSION.copy(fixed, 48);
  return Buffer.concat([fixed, name, info]);
}

export interface Authenticate {
  user: string;
  domain: string;
  workstation: string;
}

/** One security buffer (length, max length, offset) of the message starting at `msg`. */
function field(msg: Buffer, at: number, unicode: boolean): string | null {
  const length = msg.readUInt16LE(at);
  const offset = msg.readUInt32LE(at + 4);
  if (length > MAX_NAME_BYTES || offset + length > msg.length) return null;
  return msg.toString(unicode ? 'utf16le' : 'latin1', offset, offset + length);
}

/**
 * Finds an NTLMSSP AUTHENTICATE_MESSAGE in a security blob (bare or inside SPNEGO: the
 * signature is searched for rather than the DER walked) and reads its names.
 */
export function readAuthenticate(blob: Buffer): Authenticate | null {
  const at = blob.indexOf(SIGNATURE);
  if (at === -1) return null;
  const msg = blob.subarray(at);
  if (msg.length < AUTHENTICATE_FIXED_BYTES || msg.readUInt32LE(8) !== AUTHENTICATE) return null;
  const unicode = (msg.readUInt32LE(60) & NEGOTIATE_UNICODE) !== 0;
  const domain = field(msg, 28, unicode);
  const user = field(msg, 36, unicode);
  const workstation = field(msg, 44, unicode);
  if (domain === null || user === null || workstation === null) return null;
  return { user, domain, workstation };
}
