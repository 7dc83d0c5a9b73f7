// What a ClientHello leaves in `fields.tls`: the offered lists as 4-digit hex (bounded), SNI,
// ALPN, versions and the JA3/JA4 fingerprints. Documented in docs/protocols.md (## tls).

import { ja3Hash, ja3String, ja4 } from './fingerprint.js';
import type { ClientHello } from './hello.js';

export const MAX_LIST_ITEMS = 128;
const MAX_NAME_CHARS = 255;
const MAX_ALPN_ITEMS = 16;
const MAX_ALPN_CHARS = 64;

const hex4 = (v: number) => v.toString(16).padStart(4, '0');

export function recordHello(hello: ClientHello): Record<string, unknown> {
  const lists = { ciphers: hello.ciphers, extensions: hello.extensions, groups: hello.groups,
    signature_algorithms: hello.signatureAlgorithms, supported_versions: hello.supportedVersions };
  const out: Record<string, unknown> = {
    format: 'tls',
    record_version: hex4(hello.recordVersion),
    version: hex4(hello.version),
    sni: hello.sni === null ? null : hello.sni.slice(0, MAX_NAME_CHARS),
    alpn: hello.alpn.slice(0, MAX_ALPN_ITEMS).map((a) => a.toString('latin1', 0, MAX_ALPN_CHARS)),
    point_formats: hello.pointFormats.slice(0, MAX_LIST_ITEMS),
    compression: hello.compression.slice(0, MAX_LIST_ITEMS),
  };
  for (const [key, values] of Object.entries(lists)) {
    out[key] = values.slice(0, MAX_LIST_ITEMS).map(hex4);
    if (values.length > MAX_LIST_ITEMS) out['lists_truncated'] = true;
  }
  // JA3 strings grow with the lists; a hello at MAX_HELLO_BYTES still gives under 50 KiB.
  out['ja3'] = ja3String(hello);
  out['ja3_hash'] = ja3Hash(hello);
  out['ja4'] = ja4(hello);
  return out;
}
