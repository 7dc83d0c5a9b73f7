// One POP3 connection before login, answered as Dovecot 2.3.16's pop3-login (Ubuntu 22.04
// LTS, plaintext logins allowed, TLS off): CAPA, USER/PASS, AUTH PLAIN and LOGIN, APOP,
// QUIT. Every login is recorded and refused; three bad commands end the connection.

import { SaslExchange, type SaslStep } from '../sasl.js';
import {
  clip, LineSession, recordCommand, recordCredential, splitCommand,
} from '../text-lines.js';
import type { SessionContext } from '../types.js';

/** pop3-login's input buffer. */
export const MAX_LINE_BYTES = 1024;
/** Dovecot's CLIENT_MAX_BAD_COMMANDS in login-common. */
const MAX_BAD_COMMANDS = 3;

export const BANNER = '+OK Dovecot ready.';

const CAPABILITIES = [
  '+OK', 'CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'USER',
  'SASL PLAIN LOGIN', '.',
];
const AUTH_FAILED = '-ERR [AUTH] Authentication failed.';

type Handler = (session: Pop3Session, arg: string) => void;

const HANDLERS: Record<string, Handler> = {
  CAPA: (s) => s.send(...CAPABILITIES),
  USER: (s, arg) => s.user(arg),
  PASS: (s, arg) => s.pass(arg),
  APOP: (s, arg) => s.apop(arg),
  AUTH: (s, arg) => s.auth(arg),
  STLS: (s) => s.send("-ERR TLS support isn't enabled."),
  NOOP: (s) => s.send('+OK'),
  QUIT: (s) => s.quit(),
};

export class Pop3Session extends LineSession {
  #user: string | null = null;
  #sasl: SaslExchange | null = null;
  #bad = 0;

  constructor(ctx: SessionContext) {
    super(ctx, MAX_LINE_BYTES);
    if (ctx.greeted !== true) this.reply(BANNER);
  }

  protected line(text: string): void {
    recordCommand(this.ctx, text);
    if (this.#sasl !== null) return this.#saslStep(this.#sasl.respond(text));
    const { verb, arg } = splitCommand(text);
    const handler = HANDLERS[verb];
    if (handler === undefined) this.bad('-ERR Unknown command.');
    else handler(this, arg);
  }

  protected tooLong(): void {
    this.reply('-ERR Input buffer full, aborting');
  }

  send(...lines: string[]): void {
    this.reply(...lines);
  }

  bad(text: string): void {
    if (++this.#bad < MAX_BAD_COMMANDS) return this.reply(text);
    this.reply('-ERR Too many invalid commands.');
    this.hangUp();
  }

  quit(): void {
    this.reply('+OK Logging out');
    this.hangUp();
  }

  user(name: string): void {
    if (name === '') return this.bad('-ERR No username given.');
    this.#user = name;
    this.ctx.fields['username'] = clip(name);
    this.reply('+OK');
  }

  pass(password: string): void {
    if (this.#user === null) return this.bad('-ERR No username given.');
    recordCredential(this.ctx, this.#user, password);
    this.#user = null;
    this.reply(AUTH_FAILED);
  }

  /** Without a timestamp in the greeting Dovecot cannot check APOP (RFC 1939 7). */
  apop(arg: string): void {
    const [name = '', digest = ''] = arg.split(' ');
    this.ctx.fields['apop'] = { username: clip(name, 256), digest: clip(digest, 64) };
    this.bad('-ERR APOP not enabled.');
  }

  auth(arg: string): void {
    const [mechanism = '', initial] = arg.split(' ');
    if (mechanism === '') return this.send('+OK', 'PLAIN', 'LOGIN', '.');
    this.ctx.fields['auth_mechanism'] = clip(mechanism, 32);
    this.#sasl = SaslExchange.start(mechanism);
    if (this.#sasl === null) return this.reply('-ERR Unsupported authentication mechanism.');
    this.#saslStep(this.#sasl.begin(initial));
  }

  #saslStep(step: SaslStep): void {
    if (step.kind === 'challenge') return this.reply(`+ ${step.base64}`);
    this.#sasl = null;
    if (step.kind === 'done') {
      recordCredential(this.ctx, step.username, step.password);
      return this.reply(AUTH_FAILED);
    }
    if (step.reason === 'cancelled') return this.reply('-ERR Authentication aborted by client.');
    this.ctx.malformed(`sasl_${step.reason}`);
    this.reply('-ERR Invalid base64 data in continued response');
  }
}
