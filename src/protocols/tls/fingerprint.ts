// Client fingerprints of a ClientHello: JA3 (Salesforce, 2017) and JA4 (FoxIO, JA4.md in
// github.com/FoxIO-LLC/ja4, technical_details). GREASE values are left out of both.

import { createHash } from 'node:crypto';

import { EXT_ALPN, EXT_SERVER_NAME, isGrease, type ClientHello } from './hello.js';

const noGrease = (values: number[]) => values.filter((v) => !isGrease(v));
const hex4 = (v: number) => v.toString(16).padStart(4, '0');

/** `version,ciphers,extensions,groups,point formats`, decimal and dash-joined. */
export function ja3String(hello: ClientHello): string {
  return [
    String(hello.version),
    noGrease(hello.ciphers).join('-'),
    noGrease(hello.extensions).join('-'),
    noGrease(hello.groups).join('-'),
    hello.pointFormats.join('-'),
  ].join(',');
}

export function ja3Hash(hello: ClientHello): string {
  return createHash('md5').update(ja3String(hello)).digest('hex');
}

const JA4_VERSIONS: Readonly<Record<number, string>> = {
  0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0002: 's2',
  0xfeff: 'd1', 0xfefd: 'd2', 0xfefc: 'd3',
};

/** The highest supported_versions entry, else the hello's own version. */
function ja4Version(hello: ClientHello): string {
  const offered = noGrease(hello.supportedVersions);
  // DTLS numbers count down, but a TCP hello never carries them; plain max is enough here.
  const version = offered.length > 0 ? Math.max(...offered) : hello.version;
  return JA4_VERSIONS[version] ?? '00';
}

const alnum = (byte: number | undefined) => byte !== undefined &&
  ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a));

/** First and last character of the first ALPN value; hex digits when either is not alnum. */
function ja4Alpn(hello: ClientHello): string {
  const first = hello.alpn[0];
  if (first === undefined || first.length === 0) return '00';
  const a = first[0];
  const b = first[first.length - 1];
  if (alnum(a) && alnum(b)) return String.fromCharCode(a ?? 0, b ?? 0);
  const text = first.toString('hex');
  return `${text[0] ?? '0'}${text[text.length - 1] ?? '0'}`;
}

const two = (n: number) => String(Math.min(n, 99)).padStart(2, '0');

/** First 12 hex digits of SHA-256, or twelve zeros for an empty list (JA4.md). */
export function ja4Digest(text: string): string {
  return text === '' ? '000000000000'
    : createHash('sha256').update(text).digest('hex').slice(0, 12);
}

export function ja4CipherText(hello: ClientHello): string {
  return noGrease(hello.ciphers).map(hex4).sort().join(',');
}

export function ja4ExtensionText(hello: ClientHello): string {
  const exts = noGrease(hello.extensions).filter((e) => e !== EXT_SERVER_NAME && e !== EXT_ALPN)
    .map(hex4).sort().join(',');
  if (exts === '') return '';
  const algs = noGrease(hello.signatureAlgorithms).map(hex4).join(',');
  return algs === '' ? exts : `${exts}_${algs}`;
}

export function ja4(hello: ClientHello, transport: 't' | 'q' = 't'): string {
  const sni = hello.extensions.includes(EXT_SERVER_NAME) ? 'd' : 'i';
  const head = `${transport}${ja4Version(hello)}${sni}${two(noGrease(hello.ciphers).length)}` +
    `${two(noGrease(hello.extensions).length)}${ja4Alpn(hello)}`;
  return `${head}_${ja4Digest(ja4CipherText(hello))}_${ja4Digest(ja4ExtensionText(hello))}`;
}
