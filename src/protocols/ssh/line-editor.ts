// Turns keystrokes into lines the way a terminal in canonical mode with bash's readline
// would: echo, backspace, Ctrl-C, Ctrl-D; ANSI escape sequences (arrow keys) are dropped.
// Without a terminal the input is plain lines, not echoed. Bounded per line.

/** bash takes longer lines, but bots' lines are under 1 KiB; longer ones are cut. */
export const MAX_LINE_BYTES = 4096;

export interface LineEvents {
  echo(text: string): void;
  line(line: string): void;
  interrupt(): void;
  eof(): void;
}

const ESC = 0x1b;

export class LineEditor {
  readonly #tty: boolean;
  readonly #events: LineEvents;
  #bytes: number[] = [];
  #escape = 0;
  #lastCr = false;

  constructor(tty: boolean, events: LineEvents) {
    this.#tty = tty;
    this.#events = events;
  }

  feed(chunk: Buffer): void {
    for (const byte of chunk) this.#byte(byte);
  }

  #byte(byte: number): void {
    if (this.#escape > 0) return this.#inEscape(byte);
    const lf = byte === 0x0a && this.#lastCr;
    this.#lastCr = byte === 0x0d;
    if (lf) return;
    if (byte === 0x0d || byte === 0x0a) return this.#endLine();
    if (!this.#tty) return this.#add(byte);
    if (byte === 0x03) return this.#interrupt();
    if (byte === 0x04 && this.#bytes.length === 0) return this.#events.eof();
    if (byte === 0x7f || byte === 0x08) return this.#erase();
    if (byte === 0x15) return this.#kill();
    if (byte === ESC) {
      this.#escape = 1;
      return;
    }
    if (byte >= 0x20) this.#add(byte);
  }

  /** ESC [ parameters final-byte (ECMA-48 CSI), or ESC and one byte. */
  #inEscape(byte: number): void {
    if (this.#escape === 1 && (byte === 0x5b || byte === 0x4f)) {
      this.#escape = 2;
      return;
    }
    if (this.#escape === 2 && byte >= 0x20 && byte < 0x40) return;
    this.#escape = 0;
  }

  #add(byte: number): void {
    if (this.#bytes.length >= MAX_LINE_BYTES) return;
    this.#bytes.push(byte);
    if (this.#tty && byte < 0x80) this.#events.echo(String.fromCharCode(byte));
  }

  #erase(): void {
    if (this.#bytes.length === 0) return;
    this.#bytes.pop();
    this.#events.echo('\b \b');
  }

  #kill(): void {
    this.#events.echo('\b \b'.repeat(this.#bytes.length));
    this.#bytes = [];
  }

  #interrupt(): void {
    this.#bytes = [];
    this.#events.interrupt();
  }

  #endLine(): void {
    if (this.#tty) this.#events.echo('\n');
    const line = Buffer.from(this.#bytes).toString('utf8');
    this.#bytes = [];
    this.#events.line(line);
  }

  /** What was typed without a line end (a client that hung up mid-line). */
  pending(): string {
    return Buffer.from(this.#bytes).toString('utf8');
  }
}
