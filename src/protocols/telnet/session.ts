// One Telnet connection as BusyBox 1.19.4 telnetd and login on an ARM IP camera answer it:
// option negotiation, "login:" / "Password:" prompts, then the pretend ash in busybox.ts.
// Credentials and every typed line are recorded, escaped; nothing is executed.

import { escapeBytes } from '../../lib/text.js';
import { FrameBuffer } from '../framing.js';
import type { Session, SessionContext } from '../types.js';
import { answerAsh, BUSYBOX_BANNER } from './busybox.js';
import { DO, DONT, IAC, parseItem, WILL, WONT, type TelnetItem } from './parse.js';

/** Longer lines are cut here (BusyBox's line editor stops at its buffer too). */
export const MAX_LINE_BYTES = 4096;
const MAX_COMMANDS = 256;
const MAX_CREDENTIALS = 32;
const MAX_CREDENTIAL_BYTES = 256;
const MAX_OPTIONS_RECORDED = 32;
/** BusyBox login gives up after three wrong passwords (loginutils/login.c). */
const MAX_LOGIN_TRIES = 3;

const ECHO = 0x01;
const SGA = 0x03;
const NAWS = 0x1f;
const LINEMODE = 0x22;
/**
 * Options BusyBox telnetd asked for or offered (answers to them are acks), and LINEMODE, which
 * it leaves unanswered: hydra, refused LINEMODE, types one byte at a time and loses its place.
 */
const UNANSWERED = new Set([ECHO, SGA, NAWS, LINEMODE]);

// Mirai's built-in credential list (scanner.c) and a few more: any of these logs in.
const ACCEPTED = new Set([
  'root:xc3511', 'root:vizxv', 'root:admin', 'admin:admin', 'root:888888', 'root:xmhdipc',
  'root:default', 'root:juantech', 'root:123456', 'root:54321', 'support:support', 'root:',
  'admin:password', 'root:root', 'root:12345', 'user:user', 'admin:', 'root:pass',
  'admin:admin1234', 'root:1111', 'admin:smcadmin', 'admin:1111', 'root:666666',
  'root:password', 'root:1234', 'root:klv123', 'Administrator:admin', 'service:service',
  'supervisor:supervisor', 'guest:guest', 'guest:12345', 'admin1:password', 'ubnt:ubnt',
  'root:klv1234', 'root:Zte521', 'root:hi3518', 'root:jvbzd', 'root:anko', 'root:zlxx.',
  'root:7ujMko0vizxv', 'root:7ujMko0admin', 'root:system', 'root:ikwb', 'root:dreambox',
  'root:user', 'root:realtek', 'root:00000000', 'admin:1234', 'admin:12345', 'admin:123456',
  'admin:54321', 'admin:7ujMko0admin', 'admin:pass', 'admin:meinsm', 'tech:tech',
]);

const LOGIN_PROMPT = '(none) login: ';
const PROMPT = '# ';

type State = 'login' | 'password' | 'shell' | 'closed';

export class TelnetSession implements Session {
  readonly #ctx: SessionContext;
  #state: State = 'login';
  readonly #frames = new FrameBuffer();
  #line: number[] = [];
  #cutLine = false;
  #lastCr = false;
  #user = '';
  #tries = 0;
  #options: string[] = [];

  constructor(ctx: SessionContext, greeting: Buffer) {
    this.#ctx = ctx;
    if (ctx.greeted !== true) ctx.send(greeting);
  }

  data(chunk: Buffer): void {
    if (!this.#open()) return;
    this.#frames.push(chunk);
    const bad = this.#frames.drain(parseItem, (result) => {
      this.#item(result.item);
      return this.#open();
    });
    if (bad !== undefined) this.#malformed(bad.reason);
  }

  #open(): boolean {
    return this.#state !== 'closed';
  }

  /** A line typed without its end before the client hung up still counts. */
  close(): void {
    if (this.#line.length > 0 && this.#state === 'shell') this.#record(Buffer.from(this.#line));
    this.#state = 'closed';
  }

  #malformed(reason: string): void {
    this.#ctx.malformed(reason);
    this.#close();
  }

  #close(): void {
    this.#state = 'closed';
    this.#ctx.end();
  }

  #item(item: TelnetItem): void {
    if (item.type === 'data') return this.#bytes(item.bytes);
    if (item.type === 'option') return this.#option(item.command, item.option);
    if (item.type === 'sub' && item.option === NAWS && item.data.length === 4) {
      this.#ctx.fields['window'] = { cols: item.data.readUInt16BE(0),
        rows: item.data.readUInt16BE(2) };
    }
  }

  /** RFC 854: refuse what we do not do, and never answer an answer (no negotiation loops). */
  #option(command: number, option: number): void {
    const names: Record<number, string> = { [WILL]: 'WILL', [WONT]: 'WONT', [DO]: 'DO',
      [DONT]: 'DONT' };
    if (this.#options.length < MAX_OPTIONS_RECORDED) {
      this.#options.push(`${names[command] ?? '?'} ${option}`);
      this.#ctx.fields['options'] = this.#options;
    }
    if (UNANSWERED.has(option)) return;
    if (command === WILL) this.#ctx.send(Buffer.from([IAC, DONT, option]));
    if (command === DO) this.#ctx.send(Buffer.from([IAC, WONT, option]));
  }

  /** Lines end in CR LF, CR NUL or a bare LF (RFC 854); the NUL or LF after CR is dropped. */
  #bytes(bytes: Buffer): void {
    for (const byte of bytes) {
      if (!this.#open()) return;
      const afterCr = this.#lastCr && (byte === 0x0a || byte === 0x00);
      this.#lastCr = byte === 0x0d;
      if (afterCr) continue;
      if (byte === 0x0d || byte === 0x0a) this.#endLine();
      else if (this.#line.length < MAX_LINE_BYTES) this.#line.push(byte);
      else this.#cutLine = true;
    }
  }

  #endLine(): void {
    const line = Buffer.from(this.#line);
    this.#line = [];
    if (this.#cutLine) this.#ctx.fields['lines_cut'] = true;
    this.#cutLine = false;
    if (this.#state === 'login') return this.#onUser(line);
    if (this.#state === 'password') return this.#onPassword(line);
    this.#onCommand(line);
  }

  #onUser(line: Buffer): void {
    // BusyBox login (loginutils/login.c) asks again on an empty name; so does this one.
    if (line.toString('latin1').trim() === '') {
      return void this.#ctx.send(Buffer.from(`\r\n${LOGIN_PROMPT}`, 'latin1'));
    }
    this.#user = line.toString('latin1');
    this.#ctx.send(Buffer.from(`${escapeEcho(line)}\r\nPassword: `, 'latin1'));
    this.#state = 'password';
  }

  #onPassword(line: Buffer): void {
    const password = line.toString('latin1');
    if (this.#ctx.credentials.length < MAX_CREDENTIALS) {
      this.#ctx.credentials.push({ username: escapeBytes(Buffer.from(this.#user, 'latin1')
        .subarray(0, MAX_CREDENTIAL_BYTES)), password: escapeBytes(line
        .subarray(0, MAX_CREDENTIAL_BYTES)) });
    }
    if (ACCEPTED.has(`${this.#user}:${password}`)) {
      this.#ctx.fields['login'] = escapeBytes(Buffer.from(this.#user, 'latin1').subarray(0, 64));
      this.#state = 'shell';
      return void this.#ctx.send(Buffer.from(`\r\n${BUSYBOX_BANNER}${PROMPT}`, 'latin1'));
    }
    this.#ctx.fields['login_failures'] = ++this.#tries;
    this.#ctx.send(Buffer.from('\r\nLogin incorrect\r\n', 'latin1'));
    if (this.#tries >= MAX_LOGIN_TRIES) return this.#close();
    this.#ctx.send(Buffer.from(LOGIN_PROMPT, 'latin1'));
    this.#state = 'login';
  }

  #onCommand(line: Buffer): void {
    const text = line.toString('latin1');
    if (text.trim() !== '') this.#record(line);
    const answer = answerAsh(text);
    this.#ctx.send(Buffer.from(`${escapeEcho(line)}\r\n${answer.output}`, 'latin1'));
    if (answer.exit) return this.#close();
    this.#ctx.send(Buffer.from(PROMPT, 'latin1'));
  }

  #record(line: Buffer): void {
    if (this.#ctx.commands.length < MAX_COMMANDS) this.#ctx.commands.push(escapeBytes(line));
    else this.#ctx.fields['commands_dropped'] = Number(this.#ctx.fields['commands_dropped']
      ?? 0) + 1;
  }
}

/** The server echoes what was typed (it said WILL ECHO); control bytes are not echoed. */
function escapeEcho(line: Buffer): string {
  return line.toString('latin1').replace(/[^\x20-\x7e]/g, '');
}

