// A pure, bounded parser of a whole TLS ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2):
// handshake bytes gathered from one or more records, then the fields that JA3 and JA4 read.
// Bytes in, a tagged result out; never throws, every length checked before use.

import { MAX_RECORD_BYTES } from './parse.js';

/** A ClientHello body larger than this is refused (real ones stay under 2 KiB). */
export const MAX_HELLO_BYTES = 16 * 1024;
const RECORD_HEADER_BYTES = 5;
const HANDSHAKE_HEADER_BYTES = 4;

export const EXT_SERVER_NAME = 0x0000;
export const EXT_GROUPS = 0x000a;
export const EXT_POINT_FORMATS = 0x000b;
export const EXT_SIGNATURE_ALGORITHMS = 0x000d;
export const EXT_ALPN = 0x0010;
export const EXT_SUPPORTED_VERSIONS = 0x002b;

export interface ClientHello {
  /** The legacy client_version (0x0303 for TLS 1.2 and 1.3). */
  version: number;
  /** The version of the first record. */
  recordVersion: number;
  sessionIdLength: number;
  ciphers: number[];
  compression: number[];
  /** Extension types in wire order. */
  extensions: number[];
  sni: string | null;
  alpn: Buffer[];
  supportedVersions: number[];
  groups: number[];
  pointFormats: number[];
  signatureAlgorithms: number[];
}

export type ClientHelloResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; hello: ClientHello; length: number }
  | { kind: 'malformed'; reason: string };

const INCOMPLETE = { kind: 'incomplete' } as const;
const malformed = (reason: string) => ({ kind: 'malformed', reason }) as const;

/** RFC 8701: 0x0a0a, 0x1a1a ... 0xfafa. */
export function isGrease(value: number): boolean {
  return (value & 0x0f0f) === 0x0a0a && value >> 8 === (value & 0xff);
}

/** A bounds-checked cursor; `ok` turns false on the first read past the end. */
class Reader {
  ok = true;
  constructor(readonly buf: Buffer, public at = 0, readonly end = buf.length) {}

  u8(): number {
    if (this.at + 1 > this.end) return this.fail();
    return this.buf[this.at++] ?? 0;
  }

  u24(): number {
    return this.u8() * 0x10000 + this.u16();
  }

  u16(): number {
    if (this.at + 2 > this.end) return this.fail();
    const v = this.buf.readUInt16BE(this.at);
    this.at += 2;
    return v;
  }

  bytes(n: number): Buffer {
    if (this.at + n > this.end) {
      this.fail();
      return Buffer.alloc(0);
    }
    this.at += n;
    return this.buf.subarray(this.at - n, this.at);
  }

  /** A sub-reader over `n` bytes, which this reader skips. */
  sub(n: number): Reader {
    const start = this.at;
    this.bytes(n);
    return new Reader(this.buf, start, this.ok ? start + n : start);
  }

  get left(): number {
    return this.end - this.at;
  }

  fail(): number {
    this.ok = false;
    this.at = this.end;
    return 0;
  }
}

function u16List(r: Reader): number[] {
  const out: number[] = [];
  while (r.ok && r.left >= 2) out.push(r.u16());
  if (r.left !== 0) r.fail();
  return out;
}

/** Concatenates the handshake bytes of consecutive handshake records, bounded. */
function gather(buf: Buffer): { hs: Buffer; used: number } | 'incomplete' | string {
  const parts: Buffer[] = [];
  let at = 0;
  let total = 0;
  for (;;) {
    if (total >= HANDSHAKE_HEADER_BYTES) {
      const need = HANDSHAKE_HEADER_BYTES + Buffer.concat(parts).readUIntBE(1, 3);
      if (need > MAX_HELLO_BYTES + HANDSHAKE_HEADER_BYTES) return 'too_large';
      if (total >= need) return { hs: Buffer.concat(parts).subarray(0, need), used: at };
    }
    if (buf.length < at + RECORD_HEADER_BYTES) return 'incomplete';
    if (buf[at] !== 0x16) return 'not_handshake';
    const length = buf.readUInt16BE(at + 3);
    if (length === 0 || length > MAX_RECORD_BYTES) return 'bad_record_length';
    if (buf.length < at + RECORD_HEADER_BYTES + length) return 'incomplete';
    parts.push(buf.subarray(at + RECORD_HEADER_BYTES, at + RECORD_HEADER_BYTES + length));
    total += length;
    at += RECORD_HEADER_BYTES + length;
  }
}

export function parseClientHello(buf: Buffer): ClientHelloResult {
  const gathered = gather(buf);
  if (gathered === 'incomplete') return INCOMPLETE;
  if (typeof gathered === 'string') return malformed(gathered);
  const r = new Reader(gathered.hs);
  if (r.u8() !== 0x01) return malformed('not_client_hello');
  const body = r.sub(r.u24());
  const hello = readBody(body, buf.readUInt16BE(1));
  return typeof hello === 'string' ? malformed(hello)
    : { kind: 'message', hello, length: gathered.used };
}

function readBody(r: Reader, recordVersion: number): ClientHello | string {
  const version = r.u16();
  r.bytes(32);
  const sessionIdLength = r.u8();
  if (sessionIdLength > 32) return 'bad_session_id';
  r.bytes(sessionIdLength);
  const ciphers = u16List(r.sub(r.u16()));
  const compression = [...r.bytes(r.u8())];
  if (!r.ok) return 'truncated_hello';
  const hello: ClientHello = { version, recordVersion, sessionIdLength, ciphers, compression,
    extensions: [], sni: null, alpn: [], supportedVersions: [], groups: [], pointFormats: [],
    signatureAlgorithms: [] };
  if (r.left === 0) return hello;
  const exts = r.sub(r.u16());
  while (exts.ok && exts.left > 0) {
    const type = exts.u16();
    const data = exts.sub(exts.u16());
    if (!exts.ok) return 'bad_extension';
    hello.extensions.push(type);
    if (!readExtension(type, data, hello)) return 'bad_extension';
  }
  return exts.ok ? hello : 'bad_extension';
}

const EXTENSION_READERS: Readonly<Record<number, (r: Reader, h: ClientHello) => void>> = {
  [EXT_SERVER_NAME]: (r, h) => {
    const list = r.sub(r.u16());
    while (list.ok && list.left > 0) {
      const type = list.u8();
      const name = list.bytes(list.u16());
      if (type === 0 && h.sni === null) h.sni = name.toString('latin1');
    }
    if (!list.ok) r.fail();
  },
  [EXT_ALPN]: (r, h) => {
    const list = r.sub(r.u16());
    while (list.ok && list.left > 0) h.alpn.push(list.bytes(list.u8()));
    if (!list.ok) r.fail();
  },
  [EXT_SUPPORTED_VERSIONS]: (r, h) => {
    h.supportedVersions = u16List(r.sub(r.u8()));
  },
  [EXT_GROUPS]: (r, h) => {
    h.groups = u16List(r.sub(r.u16()));
  },
  [EXT_POINT_FORMATS]: (r, h) => {
    h.pointFormats = [...r.bytes(r.u8())];
  },
  [EXT_SIGNATURE_ALGORITHMS]: (r, h) => {
    h.signatureAlgorithms = u16List(r.sub(r.u16()));
  },
};

/** Reads the extensions JA3/JA4 need; false when one's inner lengths do not fit. */
function readExtension(type: number, data: Reader, hello: ClientHello): boolean {
  const read = EXTENSION_READERS[type];
  if (read === undefined) return true;
  read(data, hello);
  return data.ok;
}
