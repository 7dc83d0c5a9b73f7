// Reads what the client sends before encryption starts (its identification line and KEXINIT)
// into `fields`: client version, HASSH and the algorithms it offers. Bounded: it stops
// looking after the first packet, or after MAX_CLEARTEXT_BYTES.

import { createHash } from 'node:crypto';
import { MAX_IDENT_BYTES, MAX_PACKET_BYTES, parseIdentification, parseKexInit,
  type KexInit } from './parse.js';

const MAX_CLEARTEXT_BYTES = MAX_IDENT_BYTES + 4 + MAX_PACKET_BYTES;
/** Names kept per algorithm list; real clients offer fewer than 40. */
const MAX_NAMES_KEPT = 64;
const MAX_NAME_CHARS = 64;
/** The HASSH input kept; real clients' lists join to under 2 KiB. */
const MAX_HASSH_INPUT_CHARS = 4096;

export type ScanResult =
  | { kind: 'more' }
  | { kind: 'done' }
  | { kind: 'malformed'; reason: string };

/**
 * HASSH (salesforce/hassh): MD5 of the client's kex, cipher, MAC and compression lists
 * (client to server), joined by ';', each list as sent.
 */
export function hassh(kex: KexInit): { hassh: string; algorithms: string } {
  const algorithms = [kex.kex, kex.cipherCs, kex.macCs, kex.compressionCs]
    .map((list) => list.join(',')).join(';');
  return { hassh: createHash('md5').update(algorithms, 'latin1').digest('hex'), algorithms };
}

function names(list: string[]): string[] {
  return list.slice(0, MAX_NAMES_KEPT).map((n) => n.slice(0, MAX_NAME_CHARS));
}

export class CleartextScanner {
  readonly #fields: Record<string, unknown>;
  #buffer = Buffer.alloc(0);
  #identSeen = false;
  #done = false;

  constructor(fields: Record<string, unknown>) {
    this.#fields = fields;
  }

  get done(): boolean {
    return this.#done;
  }

  feed(chunk: Buffer): ScanResult {
    if (this.#done) return { kind: 'done' };
    const room = MAX_CLEARTEXT_BYTES - this.#buffer.length;
    this.#buffer = Buffer.concat([this.#buffer, chunk.subarray(0, Math.max(0, room))]);
    const result = this.#identSeen ? this.#kexInit() : this.#identification();
    if (result.kind !== 'more') {
      this.#done = true;
      this.#buffer = Buffer.alloc(0);
    }
    return result;
  }

  #identification(): ScanResult {
    const parsed = parseIdentification(this.#buffer);
    if (parsed.kind === 'incomplete') return { kind: 'more' };
    if (parsed.kind === 'malformed') return parsed;
    this.#fields['client_version'] = parsed.message.line;
    this.#identSeen = true;
    this.#buffer = this.#buffer.subarray(parsed.message.length);
    return this.#kexInit();
  }

  #kexInit(): ScanResult {
    const parsed = parseKexInit(this.#buffer);
    if (parsed.kind === 'incomplete') return { kind: 'more' };
    if (parsed.kind === 'malformed') return parsed;
    const kex = parsed.message;
    const { hassh: hash, algorithms } = hassh(kex);
    Object.assign(this.#fields, {
      hassh: hash,
      hassh_algorithms: algorithms.slice(0, MAX_HASSH_INPUT_CHARS),
      client_algorithms: {
        kex: names(kex.kex), host_key: names(kex.hostKey), cipher: names(kex.cipherCs),
        mac: names(kex.macCs), compression: names(kex.compressionCs),
      },
    });
    return { kind: 'done' };
  }
}
