// The server's host keys: generated once per process, at the first SSH connection, the three
// types a stock Ubuntu 22.04 sshd has (RSA 3072, ECDSA P-256, Ed25519).
// TODO(ssh): keys are not kept across restarts, so a client that connected before a restart
// sees "REMOTE HOST IDENTIFICATION HAS CHANGED"; a state directory would let them persist.

import ssh2, { type ParsedKey } from 'ssh2';

const RSA_BITS = 3072;

/** Parsed private keys, in the order sshd offers them; parsed once, shared by sessions. */
export type HostKeys = readonly ParsedKey[];

let pending: Promise<HostKeys> | undefined;

function generate(type: 'rsa' | 'ecdsa' | 'ed25519', bits: number): Promise<ParsedKey> {
  return new Promise((resolve, reject) => {
    ssh2.utils.generateKeyPair(type, { bits }, (err, keys) => {
      const parsed = err ? err : ssh2.utils.parseKey(keys.private);
      if (parsed instanceof Error) reject(parsed);
      else resolve(Array.isArray(parsed) ? parsed[0] as ParsedKey : parsed);
    });
  });
}

/** The process's host keys; the first call starts generating them (RSA takes a moment). */
export function hostKeys(): Promise<HostKeys> {
  pending ??= Promise.all([generate('rsa', RSA_BITS), generate('ecdsa', 256),
    generate('ed25519', 256)]);
  return pending;
}
