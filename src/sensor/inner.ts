// A stream carried inside another protocol (the decrypted side of TLS): routed by its first
// bytes like a connection, its session's replies going back through the outer protocol.
// What the inner session records lands under `fields.inner`; credentials and commands are shared.

import type { Credential } from '../events/event.js';
import { identify } from '../protocols/identify.js';
import { PROBE_MAX_BYTES, PROBE_SURE } from '../protocols/types.js';
import type { InnerIo, ProtocolDescriptor, Session, SessionContext } from '../protocols/types.js';

export interface InnerOwner {
  readonly dstPort: number;
  readonly fields: Record<string, unknown>;
  readonly credentials: Credential[];
  readonly commands: string[];
  malformed(reason: string): void;
}

export class InnerStream implements Session {
  readonly #io: InnerIo;
  readonly #owner: InnerOwner;
  readonly #fields: Record<string, unknown> = {};
  #pending: Buffer | null = null;
  #session: Session | null = null;
  #routed = false;

  constructor(io: InnerIo, owner: InnerOwner) {
    this.#io = io;
    this.#owner = owner;
  }

  data(chunk: Buffer): void {
    if (this.#routed) return this.#session?.data(chunk);
    const seen = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    const found = identify(seen, 'tcp');
    if (found.score >= PROBE_SURE || seen.length >= PROBE_MAX_BYTES) {
      return this.#route(found.protocol, seen);
    }
    this.#pending = seen;
  }

  /** Bytes still waiting for a sure match are named by the best probe at close. */
  close(): void {
    if (!this.#routed && this.#pending !== null) {
      this.#route(identify(this.#pending, 'tcp').protocol, null);
    }
    this.#session?.close?.();
  }

  #route(protocol: ProtocolDescriptor | null, seen: Buffer | null): void {
    this.#routed = true;
    this.#pending = null;
    this.#owner.fields['inner'] = { protocol: protocol?.name ?? 'unknown', fields: this.#fields };
    if (seen === null) return;
    this.#session = protocol?.session?.(this.#context()) ?? null;
    this.#session?.data(seen);
  }

  #context(): SessionContext {
    return {
      transport: 'tcp',
      dstPort: this.#owner.dstPort,
      greeted: true,
      send: (bytes) => this.#io.send(bytes),
      end: () => this.#io.end(),
      fields: this.#fields,
      credentials: this.#owner.credentials,
      commands: this.#owner.commands,
      malformed: (reason) => this.#owner.malformed(reason),
    };
  }
}
