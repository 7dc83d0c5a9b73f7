// One ADB transport answered like adbd on Android 7.1.2 with authentication off: CNXN is
// answered at once with the device banner, OPEN "shell:" streams get OKAY, WRTE and CLSE,
// and every shell command lands in `commands`. Other services are refused with CLSE.

import { FrameSession } from '../framing.js';
import type { SessionContext } from '../types.js';
import { encodeMessage, type MessageHead, type MessageReadResult, readMessage } from './parse.js';
import { DEVICE_BANNER } from './shell.js';
import { ShellStream, shellService } from './stream.js';

/** adbd's A_VERSION before Android 9 (no checksum skipping) and its MAX_PAYLOAD (256 KiB). */
const DEVICE_VERSION = 0x01000000;
const DEVICE_MAX_DATA = 256 * 1024;
/** A client maxdata below this is raised to it, so output is never cut into tiny pieces. */
const MIN_MAX_DATA = 1024;
export const MAX_STREAMS = 16;
export const MAX_RECORDED_COMMANDS = 256;
export const MAX_RECORDED_CHARS = 2048;
const MAX_RECORDED_SERVICES = 32;
const MAX_BANNER_CHARS = 512;

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** The text of a service name or banner: up to the first NUL. */
function cString(data: Buffer): string {
  const nul = data.indexOf(0);
  return data.toString('latin1', 0, nul === -1 ? data.length : nul);
}

/** adbd drops a transport whose header fails check_header, without a word. */
export class AdbSession extends FrameSession<MessageReadResult> {
  readonly #streams = new Map<number, { remote: number; stream: ShellStream }>();
  #online = false;
  #maxData = DEVICE_MAX_DATA;
  #nextId = 1;

  constructor(ctx: SessionContext) {
    super(ctx, readMessage);
  }

  protected message({ head, data }: { head: MessageHead; data: Buffer }): void {
    if (head.command === 'CNXN') return this.#connect(head, data);
    if (!this.#online) return;
    if (data.length > this.#maxData) return this.fail('payload_over_maxdata');
    const entry = this.#streams.get(head.arg1);
    if (head.command === 'OPEN') return this.#open(head.arg0, cString(data));
    if (entry === undefined || entry.remote !== head.arg0) return;
    if (head.command === 'OKAY') entry.stream.acked();
    if (head.command === 'WRTE') {
      this.#send('OKAY', head.arg1, head.arg0);
      entry.stream.input(data);
    }
    if (head.command === 'CLSE') this.#streams.delete(head.arg1);
  }

  #connect(head: MessageHead, data: Buffer): void {
    this.#online = true;
    this.#maxData = Math.max(MIN_MAX_DATA, Math.min(head.arg1, DEVICE_MAX_DATA));
    Object.assign(this.ctx.fields, {
      client_banner: clip(cString(data), MAX_BANNER_CHARS),
      version: head.arg0,
      max_data: head.arg1,
    });
    const version = Math.min(head.arg0, DEVICE_VERSION);
    // Since Android 7 the banner goes without a trailing NUL (send_connect in adb.cpp).
    this.#send('CNXN', version, this.#maxData, Buffer.from(DEVICE_BANNER, 'latin1'));
  }

  #open(remote: number, service: string): void {
    this.#noteService(service);
    const shell = shellService(service);
    if (shell === null || remote === 0 || this.#streams.size >= MAX_STREAMS) {
      return this.#send('CLSE', 0, remote);
    }
    const local = this.#nextId++;
    const stream = new ShellStream({
      write: (bytes) => this.#send('WRTE', local, remote, bytes),
      close: () => {
        this.#streams.delete(local);
        this.#send('CLSE', local, remote);
      },
      record: (command) => this.#record(command),
    }, shell, this.#maxData);
    this.#streams.set(local, { remote, stream });
    this.#send('OKAY', local, remote);
    stream.start();
  }

  #noteService(service: string): void {
    const services = (this.ctx.fields['services'] ??= []) as string[];
    if (services.length < MAX_RECORDED_SERVICES) services.push(clip(service, MAX_BANNER_CHARS));
  }

  #record(command: string): void {
    if (this.ctx.commands.length >= MAX_RECORDED_COMMANDS) return;
    this.ctx.commands.push(clip(command, MAX_RECORDED_CHARS));
  }

  #send(command: string, arg0: number, arg1: number, data?: Buffer): void {
    if (!this.closed) this.ctx.send(encodeMessage(command, arg0, arg1, data));
  }
}
