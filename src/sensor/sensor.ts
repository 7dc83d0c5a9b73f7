// The sensor: opens the listeners of the configured mode, admits connections within the
// limits, hands every finished event to the sink, and on stop records what is still open.

import type { Socket as UdpSocket } from 'node:dgram';
import type { Server, Socket } from 'node:net';
import type { Config } from '../config/schema.js';
import type { PortSet } from '../config/profiles.js';
import type { MitsuEvent } from '../events/event.js';
import type { EventSink } from '../events/store.js';
import { canonicalIp } from '../lib/address.js';
import type { Logger } from '../lib/log.js';
import { Admission } from './admission.js';
import { Connection } from './connection.js';
import type { OpenConnection, SensorContext } from './context.js';
import { planListeners, type ListenPlan } from './plan.js';
import { listenTcp, listenUdp, newTally, openAll, type BindTally } from './listeners.js';
import { loadOriginalDstAddon, originalDst } from './original-dst.js';
import { buildEvent, type Endpoints } from './record.js';
import { UdpCollector } from './udp.js';

const TICK_MS = 100;
const TICKS_PER_SECOND = 1000 / TICK_MS;
/** How long stop() waits for open connections to record their events. */
const STOP_WAIT_MS = 5_000;

export interface SensorSummary {
  mode: Config['mode'];
  tcp: BindTally;
  udp: BindTally;
  plan: ListenPlan;
}

export class Sensor implements SensorContext {
  readonly config: Config;
  readonly admission: Admission;
  readonly #sink: EventSink;
  readonly #log: Logger;
  readonly #open = new Set<OpenConnection>();
  readonly #servers: Server[] = [];
  readonly #udpSockets: UdpSocket[] = [];
  readonly #udp: UdpCollector;
  readonly #failures = new Map<string, number>();
  #ticker: NodeJS.Timeout | undefined;
  #ticks = 0;
  #recorded = 0;
  #whenEmpty: (() => void) | undefined;

  constructor(config: Config, sink: EventSink, log: Logger) {
    this.config = config;
    this.#sink = sink;
    this.#log = log;
    this.admission = new Admission(config.connection.max_connections,
      config.connection.max_connections_per_source);
    this.#udp = new UdpCollector(this);
  }

  get openConnections(): number {
    return this.#open.size;
  }

  get recorded(): number {
    return this.#recorded;
  }

  /** Opens the listeners; never throws for a port that cannot be had, only tallies it. */
  async start(ports: PortSet): Promise<SensorSummary> {
    if (this.config.mode === 'redirect') loadOriginalDstAddon();
    const plan = await planListeners(this.config, ports);
    this.admission.cap(plan.maxConnections);
    const tcp = newTally();
    const udp = newTally();
    tcp.skipped.fd_limit += plan.droppedTcp;
    udp.skipped.fd_limit += plan.droppedUdp;
    tcp.skipped.privileged += plan.privilegedTcp;
    udp.skipped.privileged += plan.privilegedUdp;
    const onTcp = this.config.mode === 'redirect'
      ? (socket: Socket) => this.#acceptRedirected(socket)
      : (socket: Socket) => this.#accept(socket, undefined);
    this.#servers.push(...await openAll(plan.tcp, tcp, (t) => listenTcp(t, onTcp)));
    for (const server of this.#servers) server.on('error', (err) => this.failure('accept', err));
    this.#udpSockets.push(...await openAll(plan.udp, udp, (t) => listenUdp(t,
      (socket, msg, rinfo) => this.#udp.receive(msg, rinfo, socket.address(), socket))));
    for (const socket of this.#udpSockets) socket.on('error', (err) => this.failure('udp', err));
    this.#ticker = setInterval(() => this.#tick(), TICK_MS);
    return { mode: this.config.mode, tcp, udp, plan };
  }

  #acceptRedirected(socket: Socket): void {
    let dst;
    try {
      dst = originalDst(socket);
    } catch (err) {
      this.failure('original_dst', err);
    }
    this.#accept(socket, dst ?? undefined);
  }

  #accept(socket: Socket, dst: { address: string; port: number } | undefined): void {
    if (socket.remoteAddress === undefined) {
      socket.destroy();
      return;
    }
    const endpoints: Endpoints = {
      srcIp: canonicalIp(socket.remoteAddress),
      srcPort: socket.remotePort ?? 0,
      dstIp: canonicalIp(dst?.address ?? socket.localAddress),
      dstPort: dst?.port ?? socket.localPort ?? 0,
    };
    if (!this.admission.enter()) return this.#refuse(socket, endpoints);
    const perSourceNow = this.config.proxy_protocol === 'off';
    if (perSourceNow && !this.admission.enterSource(endpoints.srcIp)) {
      this.admission.leave();
      return this.#refuse(socket, endpoints);
    }
    this.#open.add(new Connection(socket, this, endpoints));
  }

  #refuse(socket: Socket, endpoints: Endpoints): void {
    const now = Date.now();
    socket.on('error', () => { /* the socket is being destroyed; nothing to do */ });
    socket.destroy();
    this.record(buildEvent({
      event: 'connection.refused_limit', sensor: this.config.sensor.name, transport: 'tcp',
      endpoints, startMs: now, endMs: now, closeReason: 'limit', bytesIn: 0, bytesOut: 0,
      payload: null, protocol: 'none', fields: {},
    }));
  }

  record(event: MitsuEvent): void {
    this.#recorded++;
    this.#sink.write(event);
  }

  closed(connection: OpenConnection): void {
    if (this.#open.delete(connection)) this.admission.leave();
    if (this.#open.size === 0) this.#whenEmpty?.();
  }

  failure(kind: string, err: unknown): void {
    const n = (this.#failures.get(kind) ?? 0) + 1;
    this.#failures.set(kind, n);
    if (n === 1) this.#log.warn({ err, kind }, 'connection handling failed; further ones counted');
  }

  /** Failures per kind since start, for the shutdown summary. */
  failures(): Record<string, number> {
    return Object.fromEntries(this.#failures);
  }

  get udpShed(): number {
    return this.#udp.shed;
  }

  #tick(): void {
    const now = Date.now();
    const second = ++this.#ticks % TICKS_PER_SECOND === 0;
    this.#udp.sweep(now, second);
    if (!second) return;
    const maxMs = this.config.connection.max_session_ms;
    for (const connection of this.#open) {
      if (now - connection.startMs >= maxMs) connection.stop('session_timeout');
    }
  }

  /** Stops accepting, ends open connections (recording each), and flushes the sink. */
  async stop(): Promise<void> {
    clearInterval(this.#ticker);
    for (const server of this.#servers) server.close();
    for (const socket of this.#udpSockets) socket.close();
    const empty = new Promise<void>((resolve) => {
      this.#whenEmpty = resolve;
      if (this.#open.size === 0) resolve();
    });
    for (const connection of this.#open) connection.stop('shutdown');
    await Promise.race([empty, new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
    this.#udp.drain();
    await this.#sink.flush();
  }
}
