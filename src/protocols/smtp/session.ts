// One SMTP connection, answered as Postfix 3.6.4 on Ubuntu 22.04 LTS with SASL (Dovecot) on
// and TLS off: EHLO/HELO, AUTH PLAIN and LOGIN (credentials recorded, always refused),
// the envelope and DATA (accepted and counted, never delivered), RSET, NOOP, VRFY, QUIT.

import { randomBytes } from 'node:crypto';

import { SaslExchange, type SaslStep } from '../sasl.js';
import {
  clip, LineSession, recordCommand, recordCredential, splitCommand,
} from '../text-lines.js';
import type { SessionContext } from '../types.js';
import { readPath } from './parse.js';

/** Postfix's line_length_limit. */
export const MAX_LINE_BYTES = 2048;
/** Postfix's message_size_limit default; bigger messages are read and refused. */
const MAX_MESSAGE_BYTES = 10_240_000;
/** Postfix's smtpd_hard_error_limit default. */
const MAX_ERRORS = 20;
const MAX_RECIPIENTS = 16;
const MAX_HEADER_LINES = 64;

export const HOSTNAME = 'mail.localdomain';

// Postfix 3.6's EHLO list; STARTTLS and CHUNKING are left out as we offer neither TLS nor BDAT.
const EHLO_KEYWORDS = [
  'PIPELINING', 'SIZE 10240000', 'VRFY', 'ETRN', 'AUTH PLAIN LOGIN', 'ENHANCEDSTATUSCODES',
  '8BITMIME', 'DSN', 'SMTPUTF8',
];

type Handler = (session: SmtpSession, arg: string) => void;

const HANDLERS: Record<string, Handler> = {
  EHLO: (s, arg) => s.hello(arg, true),
  HELO: (s, arg) => s.hello(arg, false),
  MAIL: (s, arg) => s.mail(arg),
  RCPT: (s, arg) => s.rcpt(arg),
  DATA: (s) => s.data354(),
  AUTH: (s, arg) => s.auth(arg),
  RSET: (s) => s.reset(),
  NOOP: (s) => s.send('250 2.0.0 Ok'),
  VRFY: (s, arg) => s.send(arg === '' ? '501 5.5.4 Syntax: VRFY address'
    : `252 2.0.0 ${clip(arg, 256)}`),
  QUIT: (s) => s.quit('221 2.0.0 Bye'),
  STARTTLS: (s) => s.error('502 5.5.1 Error: command not implemented'),
  // Postfix's smtpd_forbidden_commands: a web client talking to port 25.
  GET: (s) => s.quit('221 2.7.0 Error: I can break rules, too. Goodbye.'),
  POST: (s) => s.quit('221 2.7.0 Error: I can break rules, too. Goodbye.'),
  CONNECT: (s) => s.quit('221 2.7.0 Error: I can break rules, too. Goodbye.'),
};

type Mode = 'command' | 'auth' | 'data';

export class SmtpSession extends LineSession {
  #mode: Mode = 'command';
  #helo = false;
  #mailFrom: string | null = null;
  #recipients: string[] = [];
  #sasl: SaslExchange | null = null;
  #errors = 0;
  #messageBytes = 0;
  #headerLines = 0;
  /** The last data line was cut at MAX_LINE_BYTES; the next piece continues it. */
  #midLine = false;

  constructor(ctx: SessionContext) {
    super(ctx, MAX_LINE_BYTES);
    if (ctx.greeted !== true) this.reply(`220 ${HOSTNAME} ESMTP Postfix (Ubuntu)`);
  }

  protected line(text: string, complete: boolean): void {
    if (this.#mode === 'data') return this.#dataLine(text, complete);
    if (this.#mode === 'auth') return this.#authLine(text);
    recordCommand(this.ctx, text);
    const { verb, arg } = splitCommand(text.trim());
    const handler = HANDLERS[verb];
    if (handler === undefined) this.error('502 5.5.2 Error: command not recognized');
    else handler(this, arg.trim());
  }

  protected override acceptsLongLines(): boolean {
    return this.#mode === 'data';
  }

  protected tooLong(): void {
    this.reply('500 5.5.0 Error: line too long');
  }

  send(...lines: string[]): void {
    this.reply(...lines);
  }

  /** An error reply; past Postfix's hard limit the connection is dropped. */
  error(text: string): void {
    this.reply(text);
    if (++this.#errors < MAX_ERRORS) return;
    this.reply(`421 4.7.0 ${HOSTNAME} Error: too many errors`);
    this.hangUp();
  }

  quit(text: string): void {
    this.reply(text);
    this.hangUp();
  }

  hello(domain: string, extended: boolean): void {
    if (domain === '') return this.error(`501 Syntax: ${extended ? 'EHLO' : 'HELO'} hostname`);
    this.#helo = true;
    this.ctx.fields['helo'] = clip(domain, 256);
    this.reset(false);
    if (!extended) return this.reply(`250 ${HOSTNAME}`);
    const last = EHLO_KEYWORDS.length - 1;
    const keywords = EHLO_KEYWORDS.map((k, i) => `250${i === last ? ' ' : '-'}${k}`);
    this.reply(`250-${HOSTNAME}`, ...keywords);
  }

  mail(arg: string): void {
    if (!this.#helo) return this.error('503 5.5.1 Error: send HELO/EHLO first');
    if (this.#mailFrom !== null) return this.error('503 5.5.1 Error: nested MAIL command');
    const path = readPath(arg, 'FROM');
    if (path.kind === 'malformed') return this.error('501 5.5.4 Syntax: MAIL FROM:<address>');
    this.#mailFrom = path.address;
    this.ctx.fields['mail_from'] = path.address;
    this.reply('250 2.1.0 Ok');
  }

  rcpt(arg: string): void {
    if (this.#mailFrom === null) return this.error('503 5.5.1 Error: need MAIL command');
    const path = readPath(arg, 'TO');
    if (path.kind === 'malformed') return this.error('501 5.5.4 Syntax: RCPT TO:<address>');
    if (this.#recipients.length >= MAX_RECIPIENTS) {
      return this.error('452 4.5.3 Error: too many recipients');
    }
    this.#recipients.push(path.address);
    this.ctx.fields['rcpt_to'] = [...this.#recipients];
    this.reply('250 2.1.5 Ok');
  }

  data354(): void {
    if (this.#mailFrom === null) return this.error('503 5.5.1 Error: need MAIL command');
    if (this.#recipients.length === 0) return this.error('503 5.5.1 Error: need RCPT command');
    this.#mode = 'data';
    this.#messageBytes = 0;
    this.#headerLines = 0;
    this.reply('354 End data with <CR><LF>.<CR><LF>');
  }

  reset(answer = true): void {
    this.#mailFrom = null;
    this.#recipients = [];
    if (answer) this.reply('250 2.0.0 Ok');
  }

  auth(arg: string): void {
    if (!this.#helo) return this.error('503 5.5.1 Error: send HELO/EHLO first');
    const [mechanism = '', initial] = arg.split(/\s+/);
    if (mechanism === '') return this.error('501 5.5.4 Syntax: AUTH mechanism');
    this.ctx.fields['auth_mechanism'] = clip(mechanism, 32);
    this.#sasl = SaslExchange.start(mechanism);
    if (this.#sasl === null) {
      return this.error('535 5.7.8 Error: authentication failed: Invalid authentication mechanism');
    }
    this.#saslStep(this.#sasl.begin(initial));
  }

  #authLine(text: string): void {
    recordCommand(this.ctx, text);
    if (this.#sasl !== null) this.#saslStep(this.#sasl.respond(text));
  }

  #saslStep(step: SaslStep): void {
    this.#mode = step.kind === 'challenge' ? 'auth' : 'command';
    if (step.kind === 'challenge') return this.reply(`334 ${step.base64}`);
    this.#sasl = null;
    if (step.kind === 'done') {
      recordCredential(this.ctx, step.username, step.password);
      return this.error('535 5.7.8 Error: authentication failed: authentication failure');
    }
    if (step.reason === 'cancelled') return this.error('501 5.7.0 Authentication aborted');
    this.ctx.malformed(`sasl_${step.reason}`);
    this.error('501 5.5.2 Cannot decode response');
  }

  // RFC 5321 4.5.2: a line of one "." ends the message; a leading dot is doubled inside.
  #dataLine(text: string, complete: boolean): void {
    const whole = complete && !this.#midLine;
    this.#midLine = !complete;
    if (whole && text === '.') return this.#endMessage();
    this.#messageBytes += text.length + (complete ? 2 : 0);
    if (whole && this.#headerLines < MAX_HEADER_LINES) this.#headerLine(text);
  }

  #headerLine(text: string): void {
    this.#headerLines = text === '' ? MAX_HEADER_LINES : this.#headerLines + 1;
    const subject = /^Subject:\s*(.*)$/i.exec(text);
    if (subject !== null) this.ctx.fields['subject'] = clip(subject[1] ?? '', 256);
  }

  #endMessage(): void {
    this.#mode = 'command';
    const messages = this.ctx.fields['messages'];
    this.ctx.fields['messages'] = (typeof messages === 'number' ? messages : 0) + 1;
    this.ctx.fields['data_bytes'] = this.#messageBytes;
    this.reset(false);
    if (this.#messageBytes > MAX_MESSAGE_BYTES) {
      return this.reply('552 5.3.4 Error: message file too big');
    }
    this.reply(`250 2.0.0 Ok: queued as ${randomBytes(5).toString('hex').toUpperCase()}`);
  }
}
