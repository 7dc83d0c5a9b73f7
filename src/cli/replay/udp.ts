// Replays one record over UDP: the payload as one datagram from a connected socket, then any
// answers until the server goes quiet. No PROXY header: replay sends v1/v2 over TCP only.
// A connected socket hears ICMP port-unreachable, which fails the record as a refused TCP would.

import { createSocket, type Socket } from 'node:dgram';
import { errorCode, type Ending, type SendOutcome, type SendTiming } from './outcome.js';

export interface UdpTarget {
  address: string;
  family: 4 | 6;
  port: number;
}

export function sendUdp(
  target: UdpTarget,
  payload: Buffer,
  timing: SendTiming,
): Promise<SendOutcome> {
  return new Promise((resolve) => {
    new UdpExchange(payload, timing, resolve).start(target);
  });
}

class UdpExchange {
  #socket: Socket | undefined;
  #quietTimer: NodeJS.Timeout | undefined;
  #timeLimit: NodeJS.Timeout | undefined;
  #handedOver = false;
  #received = 0;
  #done = false;
  #failure: string | undefined;

  constructor(
    readonly payload: Buffer,
    readonly timing: SendTiming,
    readonly resolve: (outcome: SendOutcome) => void,
  ) {}

  start(target: UdpTarget): void {
    const socket = createSocket(target.family === 6 ? 'udp6' : 'udp4');
    this.#socket = socket;
    this.#timeLimit = setTimeout(() => this.#finish('time-limit'), this.timing.timeoutMs);
    socket.on('message', (message) => {
      this.#received += message.length;
      this.#armQuiet();
    });
    socket.on('error', (err) => this.#fail(err));
    socket.connect(target.port, target.address, () => {
      socket.send(this.payload, (err) => {
        if (err) return this.#fail(err);
        this.#handedOver = true;
        this.#armQuiet();
      });
    });
  }

  #armQuiet(): void {
    clearTimeout(this.#quietTimer);
    this.#quietTimer = setTimeout(() => this.#finish('quiet'), this.timing.quietMs);
  }

  #fail(err: Error): void {
    this.#failure = errorCode(err);
    this.#finish('reset');
  }

  #finish(ending: Ending): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#quietTimer);
    clearTimeout(this.#timeLimit);
    try {
      this.#socket?.close();
    } catch {
      // Already closed by a failed connect: there is nothing left to release.
    }
    const failure = this.#failure ?? (this.#handedOver ? undefined : 'ETIMEDOUT');
    const sent = this.#handedOver ? this.payload.length : 0;
    this.resolve({ sent, received: this.#received, ending, failure });
  }
}
