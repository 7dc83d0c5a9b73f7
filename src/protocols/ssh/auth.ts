// User authentication like Ubuntu 22.04's sshd: publickey and password offered, every
// password and key recorded, MaxAuthTries 6. A few weak pairs bots try first are accepted so
// that they go on to their commands, as Cowrie's default user database does.

import { createHash } from 'node:crypto';
import type { AuthContext } from 'ssh2';
import type { SessionContext } from '../types.js';
import { AUTH_METHODS, MAX_AUTH_TRIES } from './openssh.js';
import { storable } from '../../lib/text.js';

const MAX_CREDENTIAL_CHARS = 256;
const MAX_PUBLIC_KEYS = 16;
/** Pairs kept per connection; sshd cuts a client off after MAX_AUTH_TRIES anyway. */
const MAX_CREDENTIALS = 32;

// The pairs brute-forcers try first (Mirai and Cowrie's lists); any other pair is refused.
const ACCEPTED = new Set([
  'root:root', 'root:123456', 'root:password', 'root:admin', 'root:toor', 'root:1234',
  'root:12345678', 'admin:admin', 'admin:123456', 'admin:password', 'ubuntu:ubuntu',
  'pi:raspberry', 'test:test', 'user:user', 'oracle:oracle',
]);

export interface Login {
  username: string;
}

/** OpenSSH prints keys as SHA256:<unpadded base64 of the key blob's digest>. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export class Authenticator {
  readonly #ctx: SessionContext;
  readonly #keys: { username: string; algorithm: string; fingerprint: string }[] = [];
  #failures = 0;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  /** Decides one request; returns the login when it succeeded, 'give_up' past MaxAuthTries. */
  decide(auth: AuthContext): Login | 'give_up' | undefined {
    const username = storable(auth.username, MAX_CREDENTIAL_CHARS);
    if (auth.method === 'password') {
      this.#record(username, storable(auth.password, MAX_CREDENTIAL_CHARS));
      if (ACCEPTED.has(`${auth.username}:${auth.password}`)) {
        auth.accept();
        this.#ctx.fields['login'] = username;
        return { username: auth.username };
      }
    } else if (auth.method === 'publickey') {
      this.#publicKey(username, auth.key.algo, auth.key.data);
    }
    // sshd does not count the "none" probe clients open with (auth2.c).
    if (auth.method !== 'none') this.#failures++;
    this.#ctx.fields['auth_failures'] = this.#failures;
    // sshd disconnects on the failure that reaches MaxAuthTries instead of answering it
    // (auth_maxtries_exceeded), so no further attempt can slip in.
    if (this.#failures >= MAX_AUTH_TRIES) return 'give_up';
    auth.reject([...AUTH_METHODS]);
    return undefined;
  }

  #record(username: string, password: string): void {
    if (this.#ctx.credentials.length >= MAX_CREDENTIALS) return;
    this.#ctx.credentials.push({ username, password });
  }

  #publicKey(username: string, algo: string, blob: Buffer): void {
    const print = fingerprint(blob);
    if (this.#keys.length >= MAX_PUBLIC_KEYS || this.#keys.some((k) => k.fingerprint === print)) {
      return;
    }
    this.#keys.push({ username, algorithm: storable(algo, 64), fingerprint: print });
    this.#ctx.fields['public_keys'] = this.#keys;
  }
}
