// Shared framing for the line-based protocols (FTP, SMTP, POP3, IMAP): a bounded buffer that
// yields CRLF- or LF-ended lines, a session base that feeds them, and bounded recording of
// commands and credentials. Never throws on attacker bytes; nothing received is executed.

import type { Session, SessionContext } from './types.js';

/** Commands kept per connection; later ones are counted in `fields.commands_dropped`. */
export const MAX_COMMANDS = 256;
/** One recorded command or field string, in characters; longer ones are cut. */
export const MAX_TEXT_CHARS = 1024;
/** Username/password pairs kept per connection. */
export const MAX_CREDENTIALS = 64;
const MAX_CREDENTIAL_CHARS = 256;

export type LineResult =
  | { kind: 'incomplete' }
  | { kind: 'message'; line: string; complete: boolean }
  | { kind: 'malformed'; reason: 'line_too_long' };

/** Accumulates stream bytes and hands out whole lines of at most `maxBytes`. */
export class LineBuffer {
  readonly #maxBytes: number;
  #buffer: Buffer = Buffer.alloc(0);

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  push(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
  }

  /**
   * The next line without its end. Past `maxBytes` without an end the line is malformed,
   * unless `long` is set: then its first `maxBytes` come out with `complete: false`.
   */
  next(long = false): LineResult {
    const lf = this.#buffer.subarray(0, this.#maxBytes + 2).indexOf(0x0a);
    if (lf === -1 || lf > this.#maxBytes + 1) {
      if (this.#buffer.length <= this.#maxBytes) return { kind: 'incomplete' };
      if (!long) return { kind: 'malformed', reason: 'line_too_long' };
      const line = this.#buffer.toString('latin1', 0, this.#maxBytes);
      this.#buffer = this.#buffer.subarray(this.#maxBytes);
      return { kind: 'message', line, complete: false };
    }
    const end = lf > 0 && this.#buffer[lf - 1] === 0x0d ? lf - 1 : lf;
    const line = this.#buffer.toString('latin1', 0, end);
    this.#buffer = this.#buffer.subarray(lf + 1);
    return { kind: 'message', line, complete: true };
  }
}

export function clip(text: string, maxChars = MAX_TEXT_CHARS): string {
  return text.length > maxChars ? text.slice(0, maxChars) : text;
}

/** Appends one command line to `commands`, bounded in count and length. */
export function recordCommand(ctx: SessionContext, line: string): void {
  if (ctx.commands.length < MAX_COMMANDS) {
    ctx.commands.push(clip(line));
    return;
  }
  const dropped = ctx.fields['commands_dropped'];
  ctx.fields['commands_dropped'] = (typeof dropped === 'number' ? dropped : 0) + 1;
}

export function recordCredential(ctx: SessionContext, username: string, password: string): void {
  if (ctx.credentials.length >= MAX_CREDENTIALS) return;
  ctx.credentials.push({
    username: clip(username, MAX_CREDENTIAL_CHARS),
    password: clip(password, MAX_CREDENTIAL_CHARS),
  });
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict base64 (as SASL responses must be, RFC 4422 3.3), or null. */
export function decodeBase64(text: string): Buffer | null {
  const trimmed = text.trim();
  return BASE64.test(trimmed) ? Buffer.from(trimmed, 'base64') : null;
}

/** A SASL PLAIN message, `authzid NUL authcid NUL passwd` (RFC 4616 2), or null. */
export function saslPlain(message: Buffer): { username: string; password: string } | null {
  const parts = message.toString('utf8').split('\0');
  if (parts.length !== 3) return null;
  return { username: parts[1] ?? '', password: parts[2] ?? '' };
}

/** A session fed whole lines; subclasses answer each line and say what a too-long one gets. */
export abstract class LineSession implements Session {
  protected readonly ctx: SessionContext;
  readonly #lines: LineBuffer;
  #closed = false;

  constructor(ctx: SessionContext, maxLineBytes: number) {
    this.ctx = ctx;
    this.#lines = new LineBuffer(maxLineBytes);
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#lines.push(chunk);
    while (!this.#closed) {
      const result = this.#lines.next(this.acceptsLongLines());
      if (result.kind === 'incomplete') return;
      if (result.kind === 'malformed') {
        this.ctx.malformed(result.reason);
        this.tooLong();
        this.hangUp();
        return;
      }
      this.line(result.line, result.complete);
    }
  }

  /** Sends lines, each ended with CRLF. */
  protected reply(...lines: string[]): void {
    this.ctx.send(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
  }

  protected hangUp(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.ctx.end();
  }

  /** Whether a line past the limit is cut into pieces (message bodies) instead of refused. */
  protected acceptsLongLines(): boolean {
    return false;
  }

  protected abstract line(text: string, complete: boolean): void;
  /** What the imitated server sends before closing on a line past its limit. */
  protected abstract tooLong(): void;
}

/** A command line's verb (upper-cased) and the rest after one space (RFC 959, 1939, 5321). */
export function splitCommand(line: string): { verb: string; arg: string } {
  const space = line.indexOf(' ');
  if (space === -1) return { verb: line.toUpperCase(), arg: '' };
  return { verb: line.slice(0, space).toUpperCase(), arg: line.slice(space + 1) };
}
