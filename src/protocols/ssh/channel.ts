// One session channel after login: an interactive shell (with or without a terminal) or an
// exec request, answered by the pretend bash in shell.ts. Every line is recorded in
// `commands`; nothing is executed.

import type { ServerChannel } from 'ssh2';
import type { SessionContext } from '../types.js';
import { LineEditor } from './line-editor.js';
import { HOSTNAME, UNAME } from './shell-data.js';
import { answerLine, type ShellUser } from './shell.js';
import { storable } from '../../lib/text.js';

/** Lines recorded per connection; later ones are counted in `commands_dropped`. */
export const MAX_COMMANDS = 256;
const MAX_COMMAND_CHARS = 4096;

// pam_motd on Ubuntu 22.04, shortened to its first paragraph.
const MOTD = `Welcome to Ubuntu 22.04.4 LTS (GNU/Linux ${UNAME.release} x86_64)\n\n` +
  ' * Documentation:  https://help.ubuntu.com\n' +
  ' * Management:     https://landscape.canonical.com\n' +
  ' * Support:        https://ubuntu.com/pro\n\n';

export function shellUser(name: string): ShellUser {
  if (name === 'root') return { name, uid: 0, home: '/root' };
  const safe = /^[a-z_][a-z0-9_-]{0,31}$/.test(name) ? name : 'user';
  return { name: safe, uid: 1000, home: `/home/${safe}` };
}

/** Records one typed line, escaped and bounded. */
export function recordCommand(ctx: SessionContext, line: string): void {
  if (ctx.commands.length >= MAX_COMMANDS) {
    ctx.fields['commands_dropped'] = Number(ctx.fields['commands_dropped'] ?? 0) + 1;
    return;
  }
  ctx.commands.push(storable(line, MAX_COMMAND_CHARS));
}

/** Answers an exec request ("ssh host 'uname -a'") and closes the channel like sshd does. */
export function runExec(ctx: SessionContext, stream: ServerChannel, command: string,
  user: ShellUser): void {
  recordCommand(ctx, command);
  const answer = answerLine(command, user, false);
  const [out, err] = splitErrors(answer.output);
  if (out !== '') stream.write(out);
  if (err !== '') stream.stderr.write(err);
  stream.exit(answer.exitCode);
  stream.end();
}

/** bash writes its own complaints to stderr; they are told apart by their prefix. */
function splitErrors(output: string): [string, string] {
  const lines = output.split(/(?<=\n)/);
  const isError = (l: string) => /^(-?bash|bash: line 1|cat|curl): /.test(l);
  return [lines.filter((l) => !isError(l)).join(''), lines.filter(isError).join('')];
}

export class ShellChannel {
  readonly #ctx: SessionContext;
  readonly #stream: ServerChannel;
  readonly #user: ShellUser;
  readonly #editor: LineEditor;
  readonly #tty: boolean;
  #exited = false;

  constructor(ctx: SessionContext, stream: ServerChannel, user: ShellUser, tty: boolean) {
    this.#ctx = ctx;
    this.#stream = stream;
    this.#user = user;
    this.#tty = tty;
    this.#editor = new LineEditor(tty, {
      echo: (text) => this.#write(text),
      line: (line) => this.#onLine(line),
      interrupt: () => this.#write(`^C\n${this.#prompt()}`),
      eof: () => this.#exit(0, 'logout\n'),
    });
    this.#write(MOTD + this.#prompt());
    stream.on('data', (chunk: Buffer) => this.#editor.feed(chunk));
    stream.on('end', () => this.#hangUp());
  }

  /** The client closed its side: bash reads EOF, runs what was typed, then exits. */
  #hangUp(): void {
    const rest = this.#editor.pending();
    if (rest.trim() !== '') recordCommand(this.#ctx, rest);
    this.#exit(0, '');
  }

  #prompt(): string {
    if (!this.#tty) return '';
    const sign = this.#user.uid === 0 ? '#' : '$';
    return `${this.#user.name}@${HOSTNAME}:~${sign} `;
  }

  #onLine(line: string): void {
    if (this.#exited) return;
    if (line.trim() !== '') recordCommand(this.#ctx, line);
    const answer = answerLine(line, this.#user, true);
    if (answer.exit) return this.#exit(answer.exitCode, this.#tty ? 'logout\n' : '');
    this.#write(answer.output + this.#prompt());
  }

  #write(text: string): void {
    if (!this.#stream.writable) return;
    this.#stream.write(this.#tty ? text.replace(/\r?\n/g, '\r\n') : text);
  }

  #exit(code: number, farewell: string): void {
    if (this.#exited) return;
    this.#exited = true;
    this.#write(farewell);
    this.#stream.exit(code);
    this.#stream.end();
  }
}
