// One ADB stream opened by the client: a shell running a command, or an interactive shell,
// in the legacy form ("shell:") or the shell v2 form ("shell,v2,pty:"). Output goes out one
// WRTE at a time, each waiting for the client's OKAY, as adbd's local sockets do.

import { encodeShellPacket, readShellPacket, SHELL_ID } from './parse.js';
import { PROMPT, replyToLine, shellOutput, TypedLines } from './shell.js';

/** Bytes of unread shell v2 input one stream holds before it is cut off. */
export const MAX_STREAM_INPUT_BYTES = 64 * 1024;

export interface ShellService {
  command: string;
  v2: boolean;
  /** No command: the shell reads its commands from the stream. */
  interactive: boolean;
  /** A terminal: typing is echoed and a prompt shown (a raw shell does neither). */
  pty: boolean;
}

/** "shell:cmd", "shell,v2,TERM=xterm,raw:cmd", "exec:cmd"; null for other services. */
export function shellService(service: string): ShellService | null {
  const match = /^(shell|exec)((?:,[^:]*)?):(.*)$/s.exec(service);
  if (match === null) return null;
  const options = (match[2] ?? '').split(',');
  const command = match[3] ?? '';
  const interactive = command === '' && match[1] === 'shell';
  const pty = interactive && !options.includes('raw');
  return { command, v2: options.includes('v2'), interactive, pty };
}

export interface StreamIo {
  /** Sends one WRTE with these bytes. */
  write(data: Buffer): void;
  /** Sends CLSE and forgets the stream. */
  close(): void;
  /** Records a command typed or requested. */
  record(command: string): void;
}

export class ShellStream {
  readonly #io: StreamIo;
  readonly #service: ShellService;
  readonly #maxData: number;
  readonly #typed = new TypedLines();
  readonly #queue: Buffer[] = [];
  #input: Buffer = Buffer.alloc(0);
  #awaitingAck = false;
  #closing = false;

  constructor(io: StreamIo, service: ShellService, maxData: number) {
    this.#io = io;
    this.#service = service;
    this.#maxData = maxData;
  }

  /** Called once adbd has answered OKAY to the OPEN. */
  start(): void {
    if (this.#service.pty) return this.#output(PROMPT);
    if (this.#service.interactive) return;
    this.#io.record(this.#service.command);
    this.#output(shellOutput(this.#service.command));
    this.#finish();
  }

  /** The client's OKAY: its window is free for the next WRTE. */
  acked(): void {
    this.#awaitingAck = false;
    this.#pump();
  }

  /** Bytes the client wrote to the shell's input. */
  input(data: Buffer): void {
    if (this.#closing || !this.#service.interactive) return;
    if (!this.#service.v2) return this.#typedInput(data);
    this.#input = Buffer.concat([this.#input, data]);
    for (;;) {
      const packet = readShellPacket(this.#input);
      if (packet.kind === 'incomplete') break;
      if (packet.kind === 'malformed') return this.#finish();
      this.#input = this.#input.subarray(packet.length);
      if (packet.id === SHELL_ID.stdin) this.#typedInput(packet.data);
      if (packet.id === SHELL_ID.closeStdin) return this.#finish();
    }
    if (this.#input.length > MAX_STREAM_INPUT_BYTES) this.#finish();
  }

  #typedInput(data: Buffer): void {
    const { echo, lines } = this.#typed.feed(data);
    const pty = this.#service.pty;
    let reply = pty ? echo.toString('latin1') : '';
    for (const line of lines) {
      if (line.trim() !== '') this.#io.record(line);
      if (/^\s*exit\s*$/.test(line)) {
        this.#output(reply);
        return this.#finish();
      }
      reply += pty ? replyToLine(line).toString('latin1') : shellOutput(line);
    }
    this.#output(reply);
  }

  #output(text: string): void {
    if (text === '') return;
    const bytes = Buffer.from(text, 'latin1');
    this.#enqueue(this.#service.v2 ? encodeShellPacket(SHELL_ID.stdout, bytes) : bytes);
  }

  #enqueue(bytes: Buffer): void {
    for (let at = 0; at < bytes.length; at += this.#maxData) {
      this.#queue.push(bytes.subarray(at, at + this.#maxData));
    }
    this.#pump();
  }

  /** The command ended: shell v2 reports exit status 0, then the stream closes. */
  #finish(): void {
    if (this.#closing) return;
    if (this.#service.v2) this.#enqueue(encodeShellPacket(SHELL_ID.exit, Buffer.from([0])));
    this.#closing = true;
    this.#pump();
  }

  #pump(): void {
    if (this.#awaitingAck) return;
    const next = this.#queue.shift();
    if (next !== undefined) {
      this.#awaitingAck = true;
      return this.#io.write(next);
    }
    if (this.#closing) this.#io.close();
  }
}
