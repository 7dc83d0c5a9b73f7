import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/load.js';
import type { MitsuEvent } from '../events/event.js';
import { Admission } from './admission.js';
import type { SensorContext } from './context.js';
import { UdpCollector } from './udp.js';

function collector(perSecond = 50) {
  const events: MitsuEvent[] = [];
  const config = loadConfig(undefined, {
    udp: { burst_window_ms: 500, max_datagrams_per_source_per_s: perSecond },
    connection: { max_payload_bytes: 16 },
  });
  const sensor: SensorContext = {
    config, admission: new Admission(10, 10), record: (e) => events.push(e),
    closed: () => undefined, failure: () => undefined,
  };
  return { udp: new UdpCollector(sensor), events };
}

const SENSOR = { address: '0.0.0.0', port: 123 };
const NTP_MONLIST = Buffer.from('1700032a00000000', 'hex');

describe('udp collector', () => {
  it('folds datagrams from one source and port within the window into one event', () => {
    const { udp, events } = collector();
    const from = { address: '::ffff:198.51.100.9', port: 40000 };
    udp.receive(NTP_MONLIST, from, SENSOR);
    udp.receive(NTP_MONLIST, from, SENSOR);
    udp.sweep(Date.now(), false);
    expect(events).toHaveLength(0);
    udp.sweep(Date.now() + 600, false);
    expect(events).toHaveLength(1);
    const [event] = events as [MitsuEvent];
    expect(event.event).toBe('udp.exchange');
    expect(event.src_ip).toBe('198.51.100.9');
    expect(event.protocol).toBe('ntp');
    expect(event.bytes_out).toBe(0);
    expect(event.fields).toMatchObject({ datagrams: 2, datagram_sizes: [8, 8] });
    expect(event.payload_len).toBe(16);
  });

  it('keeps different source ports apart and caps the bytes kept', () => {
    const { udp, events } = collector();
    udp.receive(Buffer.alloc(40, 1), { address: '192.0.2.1', port: 1 }, SENSOR);
    udp.receive(Buffer.alloc(4, 2), { address: '192.0.2.1', port: 2 }, SENSOR);
    udp.drain();
    expect(events).toHaveLength(2);
    const big = events.find((e) => e.src_port === 1) as MitsuEvent;
    expect(big.payload_len).toBe(40);
    expect(big.payload_truncated).toBe(true);
    expect(Buffer.from(big.payload_b64, 'base64')).toHaveLength(16);
  });

  it('sheds datagrams past the per-source rate and counts them', () => {
    const { udp, events } = collector(3);
    for (let i = 0; i < 10; i++) udp.receive(Buffer.from('x'), { address: '192.0.2.7', port: i },
      SENSOR);
    udp.receive(Buffer.from('y'), { address: '192.0.2.8', port: 1 }, SENSOR);
    udp.drain();
    expect(events).toHaveLength(4);
    expect(udp.shed).toBe(7);
    udp.sweep(Date.now(), true);
    udp.receive(Buffer.from('z'), { address: '192.0.2.7', port: 99 }, SENSOR);
    udp.drain();
    expect(events).toHaveLength(5);
  });
});
