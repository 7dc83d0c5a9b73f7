// Test support: a SessionContext that keeps what a session sends and records, so sessions
// can be driven without a socket. Used by tests only; never by the sensor.

import type { Transport } from '../events/event.js';
import type { Credential } from '../events/event.js';
import type { ProtocolDescriptor, Session, SessionContext } from './types.js';

export interface FakeContext extends SessionContext {
  readonly sent: Buffer[];
  readonly reasons: string[];
  ended: boolean;
  /** Everything sent so far, as latin1 text. */
  text(): string;
  /** Forgets what was sent so far. */
  clear(): void;
}

export function fakeContext(options: { greeted?: boolean; transport?: Transport;
  dstPort?: number } = {}): FakeContext {
  const sent: Buffer[] = [];
  const ctx: FakeContext = {
    transport: options.transport ?? 'tcp',
    dstPort: options.dstPort ?? 0,
    greeted: options.greeted ?? true,
    sent,
    reasons: [],
    ended: false,
    fields: {},
    credentials: [] as Credential[],
    commands: [],
    send: (bytes) => { sent.push(Buffer.from(bytes)); },
    end: () => { ctx.ended = true; },
    malformed: (reason) => { ctx.reasons.push(reason); },
    text: () => Buffer.concat(sent).toString('latin1'),
    clear: () => { sent.length = 0; },
  };
  return ctx;
}

/** Starts `protocol`'s session on a fake context; throws when the protocol has none. */
export function startSession(protocol: ProtocolDescriptor, options: { greeted?: boolean;
  dstPort?: number } = {}): { ctx: FakeContext; session: Session } {
  const ctx = fakeContext(options);
  if (protocol.session === undefined) throw new Error(`${protocol.name} has no session`);
  return { ctx, session: protocol.session(ctx) };
}

/** Sends text lines (each ended with CRLF) to a session. */
export function sendLines(session: Session, ...lines: string[]): void {
  session.data(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
}
