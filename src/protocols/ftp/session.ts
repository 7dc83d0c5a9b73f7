// One FTP control connection before login, answered as vsftpd 3.0.5 (Ubuntu 22.04 LTS,
// anonymous_enable=NO) does in prelogin.c: every USER/PASS pair is recorded and refused with
// 530, and the connection is dropped after max_login_fails (3) like vsftpd's default.

import {
  clip, LineSession, recordCommand, recordCredential, splitCommand,
} from '../text-lines.js';
import type { SessionContext } from '../types.js';

/** vsftpd reads a command line into a buffer of VSFTP_MAX_COMMAND_LINE bytes. */
export const MAX_LINE_BYTES = 4096;
/** vsftpd's max_login_fails default. */
const MAX_LOGIN_FAILS = 3;

export const BANNER = '220 (vsFTPd 3.0.5)';

// vsftpd 3.0.5's FEAT list with ssl_enable=NO and utf8_filesystem=NO (features.c).
const FEATURES = [
  '211-Features:', ' EPRT', ' EPSV', ' MDTM', ' PASV', ' REST STREAM', ' SIZE', ' TVFS',
  '211 End',
];

type Handler = (session: FtpSession, arg: string) => void;

const HANDLERS: Record<string, Handler> = {
  USER: (s, arg) => s.user(arg),
  PASS: (s, arg) => s.pass(arg),
  QUIT: (s) => s.quit(),
  FEAT: (s) => s.send(...FEATURES),
  OPTS: (s, arg) => s.send(/^UTF8 ON$/i.test(arg) ? '200 Always in UTF8 mode.'
    : '501 Option not understood.'),
};

export class FtpSession extends LineSession {
  #user: string | null = null;
  #fails = 0;

  constructor(ctx: SessionContext) {
    super(ctx, MAX_LINE_BYTES);
    if (ctx.greeted !== true) this.reply(BANNER);
  }

  protected line(text: string): void {
    // vsftpd ignores an empty line before login ("to avoid NAT device bugs").
    if (text === '') return;
    recordCommand(this.ctx, text);
    const { verb, arg } = splitCommand(text);
    const handler = HANDLERS[verb];
    if (handler === undefined) this.reply('530 Please login with USER and PASS.');
    else handler(this, arg);
  }

  protected tooLong(): void {
    this.reply('500 OOPS: command line too long');
  }

  send(...lines: string[]): void {
    this.reply(...lines);
  }

  user(name: string): void {
    this.#user = name;
    this.ctx.fields['username'] = clip(name);
    this.reply('331 Please specify the password.');
  }

  pass(password: string): void {
    if (this.#user === null) return this.reply('503 Login with USER first.');
    recordCredential(this.ctx, this.#user, password);
    this.#user = null;
    this.#fails++;
    this.ctx.fields['login_attempts'] = this.#fails;
    this.reply('530 Login incorrect.');
    if (this.#fails >= MAX_LOGIN_FAILS) this.hangUp();
  }

  quit(): void {
    this.reply('221 Goodbye.');
    this.hangUp();
  }
}
