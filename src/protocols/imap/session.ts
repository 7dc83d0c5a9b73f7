// One IMAP connection before login, answered as Dovecot 2.3.16's imap-login (Ubuntu 22.04
// LTS, plaintext logins allowed, TLS off): CAPABILITY, LOGIN (with literals), AUTHENTICATE
// PLAIN and LOGIN, ID, NOOP, LOGOUT, tags echoed. Logins are recorded and always refused.

import { SaslExchange, type SaslStep } from '../sasl.js';
import { clip, LineSession, recordCommand, recordCredential } from '../text-lines.js';
import type { SessionContext } from '../types.js';
import { tokenize, type TokenResult } from './parse.js';

/** imap-login's input buffer; Dovecot says "Input buffer full" past it. */
export const MAX_LINE_BYTES = 8192;
/** Dovecot's CLIENT_MAX_BAD_COMMANDS in login-common. */
const MAX_BAD_COMMANDS = 3;
const MAX_TAG_CHARS = 64;

export const CAPABILITIES = [
  'IMAP4rev1', 'SASL-IR', 'LOGIN-REFERRALS', 'ID', 'ENABLE', 'IDLE', 'LITERAL+', 'AUTH=PLAIN',
  'AUTH=LOGIN',
].join(' ');
export const BANNER = `* OK [CAPABILITY ${CAPABILITIES}] Dovecot ready.`;

const BAD = 'BAD Error in IMAP command received by server.';
const FAILED = 'NO [AUTHENTICATIONFAILED] Authentication failed.';

type Handler = (session: ImapSession, tag: string, args: string[]) => void;

const HANDLERS: Record<string, Handler> = {
  CAPABILITY: (s, tag) => s.send(`* CAPABILITY ${CAPABILITIES}`,
    `${tag} OK Pre-login capabilities listed, post-login capabilities have more.`),
  LOGIN: (s, tag, args) => s.login(tag, args),
  AUTHENTICATE: (s, tag, args) => s.authenticate(tag, args),
  ID: (s, tag) => s.send('* ID ("name" "Dovecot")', `${tag} OK ID completed.`),
  NOOP: (s, tag) => s.send(`${tag} OK NOOP completed.`),
  STARTTLS: (s, tag) => s.send(`${tag} BAD TLS support isn't enabled.`),
  LOGOUT: (s, tag) => s.logout(tag),
};

interface PendingLiteral {
  tokens: string[];
  need: number;
  value: string;
}

export class ImapSession extends LineSession {
  #pending: PendingLiteral | null = null;
  #sasl: { exchange: SaslExchange; tag: string } | null = null;
  #bad = 0;

  constructor(ctx: SessionContext) {
    super(ctx, MAX_LINE_BYTES);
    if (ctx.greeted !== true) this.reply(BANNER);
  }

  protected line(text: string): void {
    recordCommand(this.ctx, text);
    if (this.#sasl !== null) return this.#saslStep(this.#sasl.exchange.respond(text));
    if (this.#pending !== null) return this.#literalLine(text);
    this.#collect(tokenize(text), []);
  }

  protected tooLong(): void {
    this.reply('* BYE Input buffer full, aborting');
  }

  send(...lines: string[]): void {
    this.reply(...lines);
  }

  bad(tag: string): void {
    if (++this.#bad < MAX_BAD_COMMANDS) return this.reply(`${tag} ${BAD}`);
    this.reply('* BYE Too many invalid IMAP commands.');
    this.hangUp();
  }

  logout(tag: string): void {
    this.reply('* BYE Logging out', `${tag} OK Logout completed.`);
    this.hangUp();
  }

  login(tag: string, args: string[]): void {
    const [user, password] = args;
    if (user === undefined || password === undefined) return this.bad(tag);
    recordCredential(this.ctx, user, password);
    this.ctx.fields['username'] = clip(user);
    this.reply(`${tag} ${FAILED}`);
  }

  authenticate(tag: string, args: string[]): void {
    const [mechanism, initial] = args;
    if (mechanism === undefined) return this.bad(tag);
    this.ctx.fields['auth_mechanism'] = clip(mechanism, 32);
    const exchange = SaslExchange.start(mechanism);
    if (exchange === null) return this.reply(`${tag} NO Unsupported authentication mechanism.`);
    this.#sasl = { exchange, tag };
    this.#saslStep(exchange.begin(initial));
  }

  #saslStep(step: SaslStep): void {
    if (step.kind === 'challenge') return this.reply(`+ ${step.base64}`);
    const tag = this.#sasl?.tag ?? '*';
    this.#sasl = null;
    if (step.kind === 'done') {
      recordCredential(this.ctx, step.username, step.password);
      return this.reply(`${tag} ${FAILED}`);
    }
    if (step.reason === 'cancelled') return this.reply(`${tag} BAD Authentication aborted.`);
    this.ctx.malformed(`sasl_${step.reason}`);
    this.reply(`${tag} BAD Invalid base64 data in continued response`);
  }

  /** A literal's bytes arrive as lines; its end may fall inside one (RFC 3501 4.3). */
  #literalLine(text: string): void {
    const pending = this.#pending;
    if (pending === null) return;
    const withEnd = `${text}\r\n`;
    if (withEnd.length < pending.need) {
      pending.value += withEnd;
      pending.need -= withEnd.length;
      return;
    }
    this.#pending = null;
    const tokens = [...pending.tokens, pending.value + withEnd.slice(0, pending.need)];
    this.#collect(tokenize(text.slice(Math.min(pending.need, text.length))), tokens);
  }

  #collect(result: TokenResult, before: string[]): void {
    if (result.kind === 'malformed') {
      this.ctx.malformed(result.reason);
      return this.bad(clip(before[0] ?? '*', MAX_TAG_CHARS));
    }
    const tokens = [...before, ...result.tokens];
    if (result.literal === null) return this.#command(tokens);
    this.#pending = { tokens, need: result.literal.bytes, value: '' };
    if (result.literal.sync) this.reply('+ OK');
  }

  #command(tokens: string[]): void {
    const [tag, command, ...args] = tokens;
    const safeTag = clip(tag ?? '*', MAX_TAG_CHARS);
    const handler = HANDLERS[command?.toUpperCase() ?? ''];
    if (tag === undefined || handler === undefined) return this.bad(safeTag);
    handler(this, safeTag, args);
  }
}
