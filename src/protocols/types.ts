// The seam every protocol plugs into: a descriptor with a probe over the first bytes, the
// ports where it usually lives, an optional server-first greeting and a session.
// Protocol modules never import each other; the registry lists them.

import type { Credential, Transport } from '../events/event.js';

/** How many leading bytes a probe is shown at most. */
export const PROBE_MAX_BYTES = 4096;

/** A probe score: 0 means "not mine", 1 means "certainly mine". */
export type ProbeScore = number;

/** A score at or above this hands the connection to the protocol without waiting. */
export const PROBE_SURE = 0.9;

/** What a session may do to its connection and record about it. */
export interface SessionContext {
  readonly transport: Transport;
  readonly dstPort: number;
  /** The client's address as the event's `src_ip` records it; servers echo it in errors. */
  readonly srcIp?: string;
  /** True when the port's greeting already went out (a silent client); a server-first
   * session sends its banner itself when this is not set. */
  readonly greeted?: boolean;
  /** Queues bytes to the client; counted in `bytes_out`. */
  send(bytes: Uint8Array): void;
  /** Closes after queued bytes are flushed, as the imitated server would. */
  end(): void;
  /** Protocol-specific details for the event's `fields` (JSON data only). */
  readonly fields: Record<string, unknown>;
  readonly credentials: Credential[];
  readonly commands: string[];
  /** Marks the connection malformed with a reason (a constant, never attacker bytes). */
  malformed(reason: string): void;
  /**
   * Routes a stream carried inside this one (the decrypted side of TLS) by its first bytes;
   * the inner session writes through `io` and records under `fields.inner`.
   */
  inner?(io: InnerIo): Session;
}

/** Where an inner stream's session writes: back through the protocol that carries it. */
export interface InnerIo {
  send(bytes: Uint8Array): void;
  end(): void;
}

/** One connection's protocol state; fed every chunk the client sends after routing. */
export interface Session {
  data(chunk: Buffer): void;
  /** Called once when the connection has closed, before its event is recorded: the session
   * frees its timers and may still fill `fields`, `credentials` and `commands`. */
  close?(): void;
}

export interface ProtocolDescriptor {
  /** Lowercase wire protocol name, as stored in the event's `protocol`. */
  readonly name: string;
  readonly transports: readonly Transport[];
  /** Ports where this protocol usually lives; server-first ones greet silent clients there. */
  readonly ports: readonly number[];
  /** Scores the first bytes (at most PROBE_MAX_BYTES); never throws, allocates little. */
  probe(first: Buffer): ProbeScore;
  /** The greeting a server-first protocol sends when the client stays silent. */
  greeting?(port: number): Buffer;
  /** Starts the protocol's session for one connection. */
  session?(ctx: SessionContext): Session;
  /**
   * Answers one UDP datagram like the imitated server, or undefined for silence. The sensor
   * never sends more bytes than the datagram carried (no amplification): longer replies are cut.
   * `fields` is the exchange's event `fields`: what was parsed goes there (JSON data, bounded).
   */
  answer?(datagram: Buffer, port: number, fields: Record<string, unknown>): Buffer | undefined;
}
