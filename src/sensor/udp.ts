// UDP capture: datagrams from one source to one port within a short window become one
// event. A protocol that knows how answers each datagram, never with more bytes than the
// datagram carried (no amplification); each source is rate-limited; shed datagrams are counted.

import type { Socket as UdpSocket } from 'node:dgram';
import { identify } from '../protocols/identify.js';
import type { ProtocolDescriptor } from '../protocols/types.js';
import { canonicalIp } from '../lib/address.js';
import { PayloadBuffer } from './payload.js';
import { buildEvent } from './record.js';
import type { SensorContext } from './context.js';

/** Datagram sizes listed per event, at most. */
const MAX_SIZES_LISTED = 64;
/** Sources tracked for rate limiting at once; the table is cleared each second. */
const MAX_TRACKED_SOURCES = 100_000;
/** Bursts open at once; a flood from many sources past this is shed and counted. */
const MAX_OPEN_BURSTS = 50_000;

interface Burst {
  startMs: number;
  lastMs: number;
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
  payload: PayloadBuffer;
  sizes: number[];
  datagrams: number;
  bytesOut: number;
  /** Identified from the first datagram. */
  protocol: string;
  /** What the protocol parsed from the datagrams it answered. */
  fields: Record<string, unknown>;
}

export interface Peer {
  address: string;
  port: number;
}

export class UdpCollector {
  readonly #sensor: SensorContext;
  readonly #bursts = new Map<string, Burst>();
  readonly #perSecond = new Map<string, number>();
  #shed = 0;

  constructor(sensor: SensorContext) {
    this.#sensor = sensor;
  }

  /** Datagrams dropped by the per-source rate limit since start. */
  get shed(): number {
    return this.#shed;
  }

  receive(msg: Buffer, rinfo: Peer, local: Peer, socket?: UdpSocket): void {
    const srcIp = canonicalIp(rinfo.address);
    if (!this.#allow(srcIp)) return;
    const key = `${srcIp}|${rinfo.port}|${local.port}`;
    const protocol = msg.length === 0 ? null : identify(msg, 'udp').protocol;
    const now = Date.now();
    let burst = this.#bursts.get(key);
    if (burst === undefined) {
      if (this.#bursts.size >= MAX_OPEN_BURSTS) {
        this.#shed++;
        return;
      }
      burst = {
        startMs: now, lastMs: now, srcIp, srcPort: rinfo.port,
        dstIp: canonicalIp(local.address), dstPort: local.port,
        payload: new PayloadBuffer(this.#sensor.config.connection.max_payload_bytes),
        sizes: [], datagrams: 0, bytesOut: 0, fields: {},
        protocol: msg.length === 0 ? 'none' : protocol?.name ?? 'unknown',
      };
      this.#bursts.set(key, burst);
    }
    burst.lastMs = now;
    burst.datagrams++;
    if (burst.sizes.length < MAX_SIZES_LISTED) burst.sizes.push(msg.length);
    burst.payload.add(msg);
    const reply = protocol === null ? undefined : this.#answer(protocol, msg, local.port, burst);
    if (socket !== undefined && reply !== undefined) {
      burst.bytesOut += this.#send(reply, msg.length, rinfo, socket);
    }
  }

  /** The protocol's answer; a throw stays with this datagram, which then gets none. */
  #answer(protocol: ProtocolDescriptor, msg: Buffer, port: number,
    burst: Burst): Buffer | undefined {
    try {
      return protocol.answer?.(msg, port, burst.fields);
    } catch (err) {
      this.#sensor.failure('udp_answer', err);
      burst.fields['malformed_reason'] ??= 'internal_error';
      return undefined;
    }
  }

  /** Sends an answer cut to the request's length; returns the bytes sent. */
  #send(reply: Buffer, requestBytes: number, rinfo: Peer, socket: UdpSocket): number {
    if (reply.length === 0) return 0;
    const bounded = reply.length > requestBytes ? reply.subarray(0, requestBytes) : reply;
    socket.send(bounded, rinfo.port, rinfo.address, (err) => {
      if (err) this.#sensor.failure('udp_send', err);
    });
    return bounded.length;
  }

  #allow(srcIp: string): boolean {
    const n = this.#perSecond.get(srcIp) ?? 0;
    if (n >= this.#sensor.config.udp.max_datagrams_per_source_per_s) {
      this.#shed++;
      return false;
    }
    if (this.#perSecond.size >= MAX_TRACKED_SOURCES) this.#perSecond.clear();
    this.#perSecond.set(srcIp, n + 1);
    return true;
  }

  /** Called every tick: records bursts whose window has passed, resets the rate table. */
  sweep(now: number, resetRates: boolean): void {
    if (resetRates) this.#perSecond.clear();
    const windowMs = this.#sensor.config.udp.burst_window_ms;
    for (const [key, burst] of this.#bursts) {
      if (now - burst.startMs < windowMs) continue;
      this.#bursts.delete(key);
      this.#record(burst);
    }
  }

  /** Records every open burst (at shutdown). */
  drain(): void {
    for (const burst of this.#bursts.values()) this.#record(burst);
    this.#bursts.clear();
  }

  #record(burst: Burst): void {
    this.#sensor.record(buildEvent({
      event: 'udp.exchange',
      sensor: this.#sensor.config.sensor.name,
      transport: 'udp',
      endpoints: burst,
      startMs: burst.startMs,
      endMs: burst.lastMs,
      closeReason: 'window',
      bytesIn: burst.payload.total,
      bytesOut: burst.bytesOut,
      payload: burst.payload,
      protocol: burst.protocol,
      fields: { ...burst.fields, datagrams: burst.datagrams, datagram_sizes: burst.sizes },
    }));
  }
}
