// One TCP connection from accept to its event: the optional PROXY header, routing by the
// first bytes, the protocol session, timers and caps, then exactly one recorded event.
// Attacker bytes only ever reach the payload buffer and the session; never a log line.

import type { Socket } from 'node:net';
import type { CloseReason, Credential } from '../events/event.js';
import type { EventName } from '../events/catalogue.js';
import { canonicalIp } from '../lib/address.js';
import { greeterFor, identify } from '../protocols/identify.js';
import { PROBE_MAX_BYTES, PROBE_SURE } from '../protocols/types.js';
import type { ProtocolDescriptor, Session, SessionContext } from '../protocols/types.js';
import { InnerStream } from './inner.js';
import { PayloadBuffer } from './payload.js';
import { parseProxyHeader, type ProxyHeader } from './proxy-protocol.js';
import { buildEvent, type Endpoints } from './record.js';
import type { SensorContext } from './context.js';

/** How long to wait for more bytes when the first ones fit no protocol for sure. */
export const PROBE_WAIT_MS = 300;
/** A client that reads nothing while we write is cut off past this much queued output. */
export const MAX_WRITE_BUFFER_BYTES = 256 * 1024;

type Phase = 'proxy' | 'first' | 'probing' | 'routed' | 'closed';

export class Connection {
  readonly #socket: Socket;
  readonly #sensor: SensorContext;
  readonly #endpoints: Endpoints;
  readonly #startMs = Date.now();
  readonly #payload: PayloadBuffer;
  readonly #fields: Record<string, unknown> = {};
  readonly #credentials: Credential[] = [];
  readonly #commands: string[] = [];
  #phase: Phase;
  #pending: Buffer | null = null;
  #protocol = 'none';
  #session: Session | null = null;
  #greeted = false;
  #malformed: string | null = null;
  #closeReason: CloseReason = 'client_closed';
  #sourceAdmitted = false;
  #refused = false;
  /** The client stayed silent through first_data_wait_ms; the next silence is idleness. */
  #waitedForFirst = false;

  constructor(socket: Socket, sensor: SensorContext, endpoints: Endpoints) {
    this.#socket = socket;
    this.#sensor = sensor;
    this.#endpoints = endpoints;
    this.#payload = new PayloadBuffer(sensor.config.connection.max_payload_bytes);
    this.#phase = sensor.config.proxy_protocol === 'off' ? 'first' : 'proxy';
    if (this.#phase === 'first') this.#sourceAdmitted = true;
    socket.setTimeout(sensor.config.connection.first_data_wait_ms);
    socket.on('data', (chunk: Buffer) => this.#guard(() => this.#onData(chunk)));
    socket.on('timeout', () => this.#guard(() => this.#onTimeout()));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#onError(err));
    socket.on('close', () => this.#finish());
  }

  get startMs(): number {
    return this.#startMs;
  }

  /** Ends the connection from outside (session time limit, shutdown). */
  stop(reason: CloseReason): void {
    // The first reason wins: a shutdown landing between destroy() and 'close' must not
    // rename a connection that an idle timeout or limit already ended.
    if (this.#phase === 'closed' || this.#socket.destroyed) return;
    this.#closeReason = reason;
    this.#socket.destroy();
  }

  /** Any throw while handling attacker bytes stays inside this connection. */
  #guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.#sensor.failure('session', err);
      this.#markMalformed('internal_error');
      this.stop('error');
    }
  }

  #onData(chunk: Buffer): void {
    if (this.#phase === 'closed') return;
    if (this.#phase === 'proxy') return this.#onProxyBytes(chunk);
    this.#onPayload(chunk);
  }

  #onProxyBytes(chunk: Buffer): void {
    const buf = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    const result = parseProxyHeader(buf);
    if (result.kind === 'incomplete') {
      this.#pending = buf;
      return;
    }
    this.#pending = null;
    let rest = buf;
    if (result.kind === 'header') {
      rest = buf.subarray(result.length);
      this.#applyProxy(result.header);
    } else if (result.kind === 'malformed' || this.#sensor.config.proxy_protocol === 'on') {
      if (result.kind === 'malformed') this.#fields['proxy_error'] = result.reason;
      this.#markMalformed(result.kind === 'malformed' ? 'proxy_malformed' : 'proxy_missing');
    }
    if (!this.#admitSource()) return;
    this.#phase = 'first';
    if (this.#malformed !== null) {
      this.#payload.add(rest);
      return this.stop('protocol_close');
    }
    if (rest.length > 0) this.#onPayload(rest);
  }

  #applyProxy(header: ProxyHeader): void {
    if (header.command !== 'proxy') return;
    this.#fields['proxy'] = {
      version: header.version,
      peer_ip: this.#endpoints.srcIp,
      peer_port: this.#endpoints.srcPort,
    };
    this.#endpoints.srcIp = canonicalIp(header.srcIp);
    this.#endpoints.srcPort = header.srcPort;
    this.#endpoints.dstIp = canonicalIp(header.dstIp);
    this.#endpoints.dstPort = header.dstPort;
  }

  /** With PROXY on, the per-source limit applies to the source the header names. */
  #admitSource(): boolean {
    if (this.#sensor.admission.enterSource(this.#endpoints.srcIp)) {
      this.#sourceAdmitted = true;
      return true;
    }
    this.#closeReason = 'limit';
    this.#refused = true;
    this.#socket.destroy();
    return false;
  }

  #onPayload(chunk: Buffer): void {
    this.#payload.add(chunk);
    if (this.#phase === 'routed') {
      this.#session?.data(chunk);
      return this.#checkBackpressure();
    }
    const seen = this.#pending === null ? chunk : Buffer.concat([this.#pending, chunk]);
    this.#pending = seen.length > PROBE_MAX_BYTES ? seen.subarray(0, PROBE_MAX_BYTES) : seen;
    const found = identify(this.#pending, 'tcp');
    if (found.score >= PROBE_SURE || seen.length >= PROBE_MAX_BYTES) {
      return this.#route(found.protocol, seen);
    }
    this.#pending = seen;
    this.#phase = 'probing';
    this.#socket.setTimeout(PROBE_WAIT_MS);
  }

  #route(protocol: ProtocolDescriptor | null, seen: Buffer): void {
    this.#pending = null;
    this.#phase = 'routed';
    this.#socket.setTimeout(this.#sensor.config.connection.idle_timeout_ms);
    this.#protocol = protocol?.name ?? 'unknown';
    this.#session = protocol?.session?.(this.#sessionContext()) ?? null;
    if (this.#session === null) this.#greet(protocol ?? greeterFor(this.#endpoints.dstPort));
    this.#session?.data(seen);
    this.#checkBackpressure();
  }

  #onTimeout(): void {
    if (this.#phase === 'proxy') {
      if (this.#sensor.config.proxy_protocol === 'on') this.#markMalformed('proxy_timeout');
      if (this.#malformed !== null || !this.#admitSource()) return this.stop('protocol_close');
      this.#phase = 'first';
    }
    if (this.#phase === 'first' && !this.#waitedForFirst) {
      this.#waitedForFirst = true;
      this.#socket.setTimeout(this.#sensor.config.connection.idle_timeout_ms);
      return this.#greetSilent();
    }
    if (this.#phase === 'probing') {
      const seen = this.#pending ?? Buffer.alloc(0);
      return this.#route(identify(seen, 'tcp').protocol, seen);
    }
    this.stop('idle_timeout');
  }

  /** A silent client gets the greeting of the port's usual server-first protocol. */
  #greetSilent(): void {
    const greeter = greeterFor(this.#endpoints.dstPort);
    if (greeter === undefined) return;
    this.#fields['greeting'] = greeter.name;
    this.#greet(greeter);
    if (greeter.session === undefined) return;
    this.#session = greeter.session(this.#sessionContext());
    this.#protocol = greeter.name;
    this.#phase = 'routed';
  }

  #greet(protocol: ProtocolDescriptor | undefined): void {
    if (this.#greeted || protocol?.greeting === undefined) return;
    this.#greeted = true;
    this.#write(protocol.greeting(this.#endpoints.dstPort));
  }

  #write(bytes: Uint8Array): void {
    if (this.#phase === 'closed' || this.#socket.destroyed) return;
    this.#socket.write(bytes);
  }

  #checkBackpressure(): void {
    if (this.#socket.writableLength > MAX_WRITE_BUFFER_BYTES) this.stop('limit');
  }

  #sessionContext(): SessionContext {
    return {
      transport: 'tcp',
      dstPort: this.#endpoints.dstPort,
      srcIp: this.#endpoints.srcIp,
      greeted: this.#greeted,
      send: (bytes) => this.#write(bytes),
      end: () => {
        this.#closeReason = 'protocol_close';
        this.#socket.end();
      },
      fields: this.#fields,
      credentials: this.#credentials,
      commands: this.#commands,
      malformed: (reason) => this.#markMalformed(reason),
      inner: (io) => new InnerStream(io, { dstPort: this.#endpoints.dstPort, fields: this.#fields,
        credentials: this.#credentials, commands: this.#commands,
        malformed: (reason) => this.#markMalformed(reason) }),
    };
  }

  #markMalformed(reason: string): void {
    this.#malformed ??= reason;
  }

  #onError(err: NodeJS.ErrnoException): void {
    const reset = err.code === 'ECONNRESET' || err.code === 'EPIPE';
    if (!reset && this.#closeReason === 'client_closed') this.#closeReason = 'error';
    if (!reset) this.#sensor.failure('socket', err);
  }

  #eventName(): EventName {
    if (this.#refused) return 'connection.refused_limit';
    return this.#malformed === null ? 'connection.closed' : 'protocol.malformed';
  }

  #finish(): void {
    if (this.#phase === 'closed') return;
    // A client that closed while its first bytes were still being probed is named by them.
    if (this.#phase === 'probing' && this.#pending !== null) {
      this.#protocol = identify(this.#pending, 'tcp').protocol?.name ?? 'unknown';
    }
    this.#phase = 'closed';
    this.#guard(() => this.#session?.close?.());
    if (this.#malformed !== null) this.#fields['malformed_reason'] = this.#malformed;
    if (this.#payload.total === 0) this.#protocol = 'none';
    else if (this.#protocol === 'none') this.#protocol = 'unknown';
    this.#sensor.record(buildEvent({
      event: this.#eventName(),
      sensor: this.#sensor.config.sensor.name,
      transport: 'tcp',
      endpoints: this.#endpoints,
      startMs: this.#startMs,
      endMs: Date.now(),
      closeReason: this.#closeReason,
      bytesIn: this.#socket.bytesRead,
      bytesOut: this.#socket.bytesWritten,
      payload: this.#payload,
      protocol: this.#protocol,
      fields: this.#fields,
      credentials: this.#credentials,
      commands: this.#commands,
    }));
    if (this.#sourceAdmitted) this.#sensor.admission.leaveSource(this.#endpoints.srcIp);
    this.#sensor.closed(this);
  }
}
