// Offline run of the sensor's own protocol parsers over stored bytes: identify, then the
// protocol's session (TCP) or answer (UDP), with replies discarded. What it returns is what the
// sensor would have recorded for those bytes. Never throws; never sends anything anywhere.

import type { Credential, Transport } from '../events/event.js';
import { greeterFor, identify } from './identify.js';
import { hostKeys } from './ssh/host-keys.js';
import { serverCertificate } from './tls/certificate.js';
import { PROBE_MAX_BYTES } from './types.js';
import type { ProtocolDescriptor, Session, SessionContext } from './types.js';

export interface Dissection {
  protocol: string;
  fields: Record<string, unknown>;
  commands: string[];
  credentials: Credential[];
  malformed: string | null;
}

export interface DissectWhere {
  transport: Transport;
  dstPort: number;
  srcIp?: string;
}

/** Bytes handed to a session per `data` call; the sensor stores at most 64 KiB by default. */
export const MAX_FEED_CHUNK_BYTES = 64 * 1024;
/** Macrotask turns an asynchronous session (ssh2, Node's TLS) is given after each chunk. */
export const SETTLE_TURNS = 32;

/**
 * Work that a sensor in steady state has done before a connection arrives (host keys, the
 * TLS certificate). Waiting for it makes a dissection the same on the first call as on the
 * next ones; the first SSH or TLS dissection of a process pays for generating the keys.
 */
const READY: Record<string, () => Promise<unknown>> = {
  ssh: hostKeys,
  tls: serverCertificate,
};

/**
 * Protocols whose bytes after the key exchange are encrypted with keys made for the live
 * connection. Offline the session makes new keys, so its crypto library rejects the recorded
 * rest (ssh2's `ssh_protocol_error`); a reason reported outside a `data` call is dropped for
 * these, while the cleartext parsers' reasons (`bad_identification`, `hello_*`) are kept.
 */
const ENCRYPTED_AFTER_HANDSHAKE = new Set(['ssh', 'tls']);

/** What the sensor would have recorded for `payload` sent to `where`. */
export function dissect(payload: Buffer, where: DissectWhere): Promise<Dissection> {
  if (payload.length === 0) return Promise.resolve(emptyDissection('none'));
  if (where.transport === 'udp') {
    return dissectAs(identify(payload, 'udp').protocol, payload, where);
  }
  return dissectAs(identify(payload.subarray(0, PROBE_MAX_BYTES), 'tcp').protocol, payload,
    where);
}

/**
 * Runs `protocol` (null: no match, `unknown`) over `payload` as the sensor would once it had
 * routed the bytes there: for a client the sensor greeted because it stayed silent, the
 * protocol is the port's greeter (`greeterFor`), whatever the bytes look like.
 */
export async function dissectAs(protocol: ProtocolDescriptor | null, payload: Buffer,
  where: DissectWhere): Promise<Dissection> {
  const out = emptyDissection(payload.length === 0 ? 'none' : protocol?.name ?? 'unknown');
  if (payload.length === 0 || protocol === null) return out;
  try {
    if (where.transport === 'udp') answerDatagram(protocol, payload, where.dstPort, out);
    else await runSession(protocol, payload, where, out);
  } catch {
    // A parser that throws is our bug, not the attacker's: the sensor's guard marks it the
    // same way and keeps what was recorded before the throw.
    out.malformed ??= 'internal_error';
  }
  // As Connection#finish and UdpCollector record it.
  if (out.malformed !== null) out.fields['malformed_reason'] ??= out.malformed;
  return out;
}

function emptyDissection(protocol: string): Dissection {
  return { protocol, fields: {}, commands: [], credentials: [], malformed: null };
}

/** Stored UDP payloads are datagrams joined together; without their sizes, one datagram. */
function answerDatagram(protocol: ProtocolDescriptor, payload: Buffer, port: number,
  out: Dissection): void {
  if (protocol.answer === undefined) return;
  try {
    protocol.answer(payload, port, out.fields);
  } finally {
    const reason = out.fields['malformed_reason'];
    if (typeof reason === 'string') out.malformed = reason;
  }
}

async function runSession(protocol: ProtocolDescriptor, payload: Buffer, where: DissectWhere,
  out: Dissection): Promise<void> {
  if (protocol.session === undefined) return;
  // A failure here is the session's to report (SSH records `host_keys_unavailable`).
  await READY[protocol.name]?.().catch(() => undefined);
  const run = new OfflineRun(protocol, where, out);
  try {
    await run.feed(payload);
  } finally {
    run.close();
  }
}

/** One session driven like the sensor's Connection drives it, with its replies dropped. */
class OfflineRun {
  readonly #session: Session;
  readonly #out: Dissection;
  readonly #keysDiffer: boolean;
  #ended = false;
  #feeding = false;

  constructor(protocol: ProtocolDescriptor, where: DissectWhere, out: Dissection) {
    this.#out = out;
    this.#keysDiffer = ENCRYPTED_AFTER_HANDSHAKE.has(protocol.name);
    this.#session = (protocol.session as (ctx: SessionContext) => Session)(
      this.#context(protocol, where));
  }

  async feed(payload: Buffer): Promise<void> {
    for (let at = 0; at < payload.length && !this.#ended; at += MAX_FEED_CHUNK_BYTES) {
      this.#feeding = true;
      try {
        this.#session.data(payload.subarray(at, at + MAX_FEED_CHUNK_BYTES));
      } finally {
        this.#feeding = false;
      }
      await settle(SETTLE_TURNS);
    }
  }

  close(): void {
    this.#session.close?.();
  }

  #context(protocol: ProtocolDescriptor, where: DissectWhere): SessionContext {
    const out = this.#out;
    return {
      transport: 'tcp',
      dstPort: where.dstPort,
      ...(where.srcIp === undefined ? {} : { srcIp: where.srcIp }),
      // The port's own server-first protocol: its banner may already have gone out. Only the
      // (discarded) replies depend on this, never what a session records.
      greeted: greeterFor(where.dstPort) === protocol,
      send: () => undefined,
      end: () => {
        this.#ended = true;
      },
      fields: out.fields,
      credentials: out.credentials,
      commands: out.commands,
      malformed: (reason) => {
        if (this.#keysDiffer && !this.#feeding) return;
        out.malformed ??= reason;
      },
    };
  }
}

/** Lets callbacks queued by streams and libraries run: `turns` rounds of the event loop. */
async function settle(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
