// The SASL PLAIN (RFC 4616) and LOGIN exchanges that SMTP, POP3 and IMAP servers run, as a
// small state machine over base64 lines: it yields the challenges to send and, at the end,
// the username and password the client offered. Pure; never throws.

import { decodeBase64, saslPlain } from './text-lines.js';

export type SaslStep =
  | { kind: 'challenge'; base64: string }
  | { kind: 'done'; username: string; password: string }
  | { kind: 'failed'; reason: 'cancelled' | 'bad_base64' | 'bad_plain' };

export const SASL_MECHANISMS = ['PLAIN', 'LOGIN'] as const;

// The LOGIN mechanism's customary prompts, "Username:" and "Password:".
const USERNAME_PROMPT = Buffer.from('Username:').toString('base64');
const PASSWORD_PROMPT = Buffer.from('Password:').toString('base64');

export class SaslExchange {
  readonly #mechanism: 'PLAIN' | 'LOGIN';
  #username: string | null = null;

  private constructor(mechanism: 'PLAIN' | 'LOGIN') {
    this.#mechanism = mechanism;
  }

  /** An exchange for a mechanism named by the client, or null when it is not offered. */
  static start(mechanism: string): SaslExchange | null {
    const upper = mechanism.toUpperCase();
    return upper === 'PLAIN' || upper === 'LOGIN' ? new SaslExchange(upper) : null;
  }

  /** The first step: a challenge, or the result of an initial response ("=" is empty). */
  begin(initial?: string): SaslStep {
    if (initial === undefined || initial === '') {
      return { kind: 'challenge', base64: this.#mechanism === 'PLAIN' ? '' : USERNAME_PROMPT };
    }
    return this.respond(initial === '=' ? '' : initial);
  }

  /** One client line: "*" cancels (RFC 4954 4), anything else must be base64. */
  respond(line: string): SaslStep {
    if (line.trim() === '*') return { kind: 'failed', reason: 'cancelled' };
    const decoded = decodeBase64(line);
    if (decoded === null) return { kind: 'failed', reason: 'bad_base64' };
    if (this.#mechanism === 'PLAIN') {
      const plain = saslPlain(decoded);
      return plain === null ? { kind: 'failed', reason: 'bad_plain' } : { kind: 'done', ...plain };
    }
    if (this.#username === null) {
      this.#username = decoded.toString('utf8');
      return { kind: 'challenge', base64: PASSWORD_PROMPT };
    }
    return { kind: 'done', username: this.#username, password: decoded.toString('utf8') };
  }
}
