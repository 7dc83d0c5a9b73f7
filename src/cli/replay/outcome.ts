// What happened to one replayed record, as the TCP and UDP senders report it.

/** How an exchange ended: the server closed, it went quiet, the time bound hit, or a reset. */
export type Ending = 'server-closed' | 'quiet' | 'time-limit' | 'reset';

export interface SendOutcome {
  /** Payload bytes handed to the network (the PROXY header not counted). */
  sent: number;
  received: number;
  ending: Ending;
  /** Set when the record could not be delivered: the system error code (`ECONNREFUSED`). */
  failure: string | undefined;
}

export interface SendTiming {
  /** End the exchange once nothing has arrived for this long after the last byte. */
  quietMs: number;
  /** Bound on the whole exchange, connection included. */
  timeoutMs: number;
}

/** The system error code of a socket error, or a fixed word when there is none. */
export function errorCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'ERROR';
}
