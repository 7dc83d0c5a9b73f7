// A pure, bounded reader of what an SSH client sends in the clear before keys are exchanged:
// its identification line (RFC 4253 4.2) and its first binary packet, KEXINIT (RFC 4253 7.1).
// Bytes in, tagged result out; never throws. The encrypted rest is left to the ssh2 library.

/** RFC 4253 4.2: the identification line is at most 255 bytes, CR LF included. */
export const MAX_IDENT_BYTES = 255;
/** RFC 4253 6.1: implementations must take packets of 35000 bytes; OpenSSH caps at 256 KiB. */
export const MAX_PACKET_BYTES = 35_000;
/** OpenSSH's kex.c refuses name-lists above 64 KiB; real clients send under 2 KiB. */
export const MAX_NAME_LIST_BYTES = 8 * 1024;

const SSH_MSG_KEXINIT = 20;
const COOKIE_BYTES = 16;
const NAME_LISTS = 10;

export interface Identification {
  /** The line without CR LF. */
  line: string;
  protoVersion: string;
  software: string;
  comments: string;
  /** Bytes the line took, its line end included. */
  length: number;
}

/** The ten name-lists of a KEXINIT, in wire order. */
export interface KexInit {
  kex: string[];
  hostKey: string[];
  cipherCs: string[];
  cipherSc: string[];
  macCs: string[];
  macSc: string[];
  compressionCs: string[];
  compressionSc: string[];
  languageCs: string[];
  languageSc: string[];
  firstKexPacketFollows: boolean;
  /** Bytes the whole packet took. */
  length: number;
}

export type Parsed<T> =
  | { kind: 'incomplete' }
  | { kind: 'message'; message: T }
  | { kind: 'malformed'; reason: string };

// RFC 4253 forbids '-' in the software version, but OpenSSH takes "SSH-2.0-JSCH-0.1.54" too.
const IDENT = /^SSH-([0-9.]{1,8})-([\x21-\x7e]{1,240})(?: ([\x20-\x7e]*))?$/;

/** The client's identification line; OpenSSH's sshd takes no other line before it. */
export function parseIdentification(buf: Buffer): Parsed<Identification> {
  const lf = buf.indexOf(0x0a);
  if (lf >= MAX_IDENT_BYTES || (lf === -1 && buf.length >= MAX_IDENT_BYTES)) {
    return { kind: 'malformed', reason: 'ident_too_long' };
  }
  if (lf === -1) return { kind: 'incomplete' };
  const end = lf > 0 && buf[lf - 1] === 0x0d ? lf - 1 : lf;
  const line = buf.toString('latin1', 0, end);
  const match = IDENT.exec(line);
  if (match === null) return { kind: 'malformed', reason: 'bad_identification' };
  const [, protoVersion = '', software = '', comments = ''] = match;
  if (protoVersion !== '2.0' && protoVersion !== '1.99') {
    return { kind: 'malformed', reason: 'unsupported_version' };
  }
  return { kind: 'message', message: { line, protoVersion, software, comments, length: lf + 1 } };
}

/** A reader over one packet payload; every read is checked against the payload's end. */
class Reader {
  #at: number;
  constructor(readonly buf: Buffer, start: number, readonly end: number) {
    this.#at = start;
  }

  byte(): number | undefined {
    return this.#at < this.end ? this.buf[this.#at++] : undefined;
  }

  uint32(): number | undefined {
    if (this.end - this.#at < 4) return undefined;
    const value = this.buf.readUInt32BE(this.#at);
    this.#at += 4;
    return value;
  }

  skip(n: number): boolean {
    if (this.end - this.#at < n) return false;
    this.#at += n;
    return true;
  }

  nameList(): string[] | undefined {
    const length = this.uint32();
    if (length === undefined || length > MAX_NAME_LIST_BYTES || this.end - this.#at < length) {
      return undefined;
    }
    const text = this.buf.toString('latin1', this.#at, this.#at + length);
    this.#at += length;
    return text === '' ? [] : text.split(',');
  }
}

/** The client's first binary packet, which RFC 4253 7.1 requires to be its KEXINIT. */
export function parseKexInit(buf: Buffer): Parsed<KexInit> {
  if (buf.length < 5) return { kind: 'incomplete' };
  const packetLength = buf.readUInt32BE(0);
  if (packetLength < 12 || packetLength > MAX_PACKET_BYTES) {
    return { kind: 'malformed', reason: 'bad_packet_length' };
  }
  if (buf.length < 4 + packetLength) return { kind: 'incomplete' };
  const padding = buf[4] ?? 0;
  if (padding < 4 || padding > packetLength - 2) {
    return { kind: 'malformed', reason: 'bad_padding' };
  }
  const reader = new Reader(buf, 5, 4 + packetLength - padding);
  if (reader.byte() !== SSH_MSG_KEXINIT) return { kind: 'malformed', reason: 'not_kexinit' };
  if (!reader.skip(COOKIE_BYTES)) return { kind: 'malformed', reason: 'short_kexinit' };
  const lists: string[][] = [];
  for (let i = 0; i < NAME_LISTS; i++) {
    const list = reader.nameList();
    if (list === undefined) return { kind: 'malformed', reason: 'bad_name_list' };
    lists.push(list);
  }
  const follows = reader.byte();
  if (follows === undefined || reader.uint32() === undefined) {
    return { kind: 'malformed', reason: 'short_kexinit' };
  }
  return { kind: 'message', message: kexInit(lists, follows !== 0, 4 + packetLength) };
}

function kexInit(lists: string[][], follows: boolean, length: number): KexInit {
  const [kex = [], hostKey = [], cipherCs = [], cipherSc = [], macCs = [], macSc = [],
    compressionCs = [], compressionSc = [], languageCs = [], languageSc = []] = lists;
  return { kex, hostKey, cipherCs, cipherSc, macCs, macSc, compressionCs, compressionSc,
    languageCs, languageSc, firstKexPacketFollows: follows, length };
}
