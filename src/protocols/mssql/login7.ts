// A pure, bounded reader of the LOGIN7 message (MS-TDS 2.2.6.4): the fixed part, then UTF-16LE
// strings at offsets the client declares, each checked against the message and MAX_* limits.

/** SQL Server caps each name at 128 characters (MS-TDS 2.2.6.4, "cchHostName" and others). */
export const MAX_NAME_CHARS = 128;
/** TDS 7.2+ fixed part: lengths, flags and the offset/length table up to cbSSPILong. */
const FIXED_BYTES = 94;
/** TDS 7.0 and 7.1 clients send a shorter table, ending before ibChangePassword. */
const FIXED_BYTES_TDS70 = 86;
const TDS_72 = 0x72000000;
/** The password is obfuscated, not encrypted: each byte had its nibbles swapped, then ^ 0xA5. */
const PASSWORD_XOR = 0xa5;

export interface Login7 {
  /** TDS version the client asks for, such as 0x74000004 for TDS 7.4. */
  tdsVersion: number;
  packetSize: number;
  clientPid: number;
  hostname: string;
  username: string;
  password: string;
  appName: string;
  serverName: string;
  library: string;
  language: string;
  database: string;
  /** Bytes of SSPI (integrated Windows authentication) data, instead of a password. */
  sspiBytes: number;
}

export type Login7Result =
  | { kind: 'message'; login: Login7 }
  | { kind: 'malformed'; reason: string };

/** Reverses the LOGIN7 password obfuscation: XOR with 0xA5, then swap the nibbles back. */
export function deobfuscate(bytes: Buffer): Buffer {
  const plain = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const byte = (bytes[i] ?? 0) ^ PASSWORD_XOR;
    plain[i] = ((byte & 0x0f) << 4) | (byte >> 4);
  }
  return plain;
}

/** The UTF-16LE field whose offset/length pair sits at `at`; null when it lies outside. */
function field(payload: Buffer, at: number): Buffer | null {
  const offset = payload.readUInt16LE(at);
  const chars = payload.readUInt16LE(at + 2);
  if (chars > MAX_NAME_CHARS || offset + chars * 2 > payload.length) return null;
  return payload.subarray(offset, offset + chars * 2);
}

const NAMES = [
  ['hostname', 36], ['username', 40], ['password', 44], ['appName', 48], ['serverName', 52],
  ['library', 60], ['language', 64], ['database', 68],
] as const;

export function readLogin7(payload: Buffer): Login7Result {
  if (payload.length < FIXED_BYTES_TDS70) return { kind: 'malformed', reason: 'short_login' };
  const tdsVersion = payload.readUInt32LE(4);
  if (tdsVersion >= TDS_72 && payload.length < FIXED_BYTES) {
    return { kind: 'malformed', reason: 'short_login' };
  }
  if (payload.readUInt32LE(0) > payload.length) return { kind: 'malformed', reason: 'bad_length' };
  const strings: Record<string, string> = {};
  for (const [name, at] of NAMES) {
    const bytes = field(payload, at);
    if (bytes === null) return { kind: 'malformed', reason: 'bad_login_offset' };
    strings[name] = (name === 'password' ? deobfuscate(bytes) : bytes).toString('utf16le');
  }
  const login = {
    tdsVersion, packetSize: payload.readUInt32LE(8), clientPid: payload.readUInt32LE(16),
    sspiBytes: payload.readUInt16LE(80),
    ...(strings as Omit<Login7, 'tdsVersion' | 'packetSize' | 'clientPid' | 'sspiBytes'>),
  };
  return { kind: 'message', login };
}
