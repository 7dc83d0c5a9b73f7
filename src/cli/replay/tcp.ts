// Replays one record over TCP: connect, write the PROXY header and payload in one write, read
// the answer until the server closes or goes quiet, then close our side. Only the connection
// failing counts as a failure: a sensor resetting a hostile client is an answer, not an error.

import { connect, type Socket } from 'node:net';
import { errorCode, type Ending, type SendOutcome, type SendTiming } from './outcome.js';

/** After our FIN, how long to wait for the server's before dropping the socket. */
export const CLOSE_GRACE_MS = 500;

export interface TcpTarget {
  address: string;
  port: number;
}

export function sendTcp(
  target: TcpTarget,
  header: Buffer,
  payload: Buffer,
  timing: SendTiming,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    new TcpExchange(header, payload, timing, resolve).start(target);
  });
}

class TcpExchange {
  #socket: Socket | undefined;
  #timers: NodeJS.Timeout[] = [];
  #quietTimer: NodeJS.Timeout | undefined;
  #received = 0;
  #connected = false;
  #closing = false;
  #done = false;
  #ending: Ending = 'server-closed';
  #failure: string | undefined;

  constructor(
    readonly header: Buffer,
    readonly payload: Buffer,
    readonly timing: SendTiming,
    readonly resolve: (outcome: SendOutcome) => void,
  ) {}

  start(target: TcpTarget): void {
    const socket = connect({ host: target.address, port: target.port });
    this.#socket = socket;
    this.#timers.push(setTimeout(() => this.#onTimeLimit(), this.timing.timeoutMs));
    socket.on('connect', () => this.#onConnect(socket));
    socket.on('data', (chunk: Buffer) => {
      this.#received += chunk.length;
      this.#armQuiet();
    });
    socket.on('end', () => {
      this.#closing = true;
    });
    socket.on('error', (err) => this.#onError(err));
    socket.on('close', () => this.#finish());
  }

  #onConnect(socket: Socket): void {
    this.#connected = true;
    const bytes = Buffer.concat([this.header, this.payload]);
    if (bytes.length === 0) this.#armQuiet();
    else socket.write(bytes, () => this.#armQuiet());
  }

  #armQuiet(): void {
    if (this.#closing) return;
    clearTimeout(this.#quietTimer);
    this.#quietTimer = setTimeout(() => this.#closeQuietly(), this.timing.quietMs);
  }

  #closeQuietly(): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#ending = 'quiet';
    this.#socket?.end();
    this.#timers.push(setTimeout(() => this.#socket?.destroy(), CLOSE_GRACE_MS));
  }

  #onTimeLimit(): void {
    if (!this.#connected) this.#failure = 'ETIMEDOUT';
    if (!this.#closing) this.#ending = 'time-limit';
    this.#socket?.destroy();
  }

  #onError(err: Error): void {
    if (!this.#connected) this.#failure = errorCode(err);
    else if (!this.#closing) this.#ending = 'reset';
  }

  #finish(): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#quietTimer);
    this.#timers.forEach((timer) => clearTimeout(timer));
    const written = (this.#socket?.bytesWritten ?? 0) - this.header.length;
    this.resolve({
      sent: Math.min(Math.max(written, 0), this.payload.length),
      received: this.#received,
      ending: this.#failure === undefined ? this.#ending : 'time-limit',
      failure: this.#failure,
    });
  }
}
