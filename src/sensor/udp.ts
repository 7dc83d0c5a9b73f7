// UDP capture: datagrams from one source to one port within a short window become one
// event. Nothing is answered here (later emulations answer at most as many bytes as the
// request carried), and each source is rate-limited; shed datagrams are counted.

import { identify } from '../protocols/identify.js';
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

  receive(msg: Buffer, rinfo: { address: string; port: number }, local: { address: string;
    port: number }): void {
    const srcIp = canonicalIp(rinfo.address);
    if (!this.#allow(srcIp)) return;
    const key = `${srcIp}|${rinfo.port}|${local.port}`;
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
        sizes: [], datagrams: 0,
      };
      this.#bursts.set(key, burst);
    }
    burst.lastMs = now;
    burst.datagrams++;
    if (burst.sizes.length < MAX_SIZES_LISTED) burst.sizes.push(msg.length);
    burst.payload.add(msg);
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
    const bytes = burst.payload.bytes();
    const protocol = bytes.length === 0 ? 'none' : identify(bytes, 'udp').protocol?.name;
    this.#sensor.record(buildEvent({
      event: 'udp.exchange',
      sensor: this.#sensor.config.sensor.name,
      transport: 'udp',
      endpoints: burst,
      startMs: burst.startMs,
      endMs: burst.lastMs,
      closeReason: 'window',
      bytesIn: burst.payload.total,
      bytesOut: 0,
      payload: burst.payload,
      protocol: protocol ?? 'unknown',
      fields: { datagrams: burst.datagrams, datagram_sizes: burst.sizes },
    }));
  }
}
