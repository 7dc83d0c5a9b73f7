// End to end: SIGTERM in the middle of a burst of 5,000 connections loses no event of a
// connection that had completed, and the sensor exits 0.

import { createHash } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { exportEvents, freePort, startSensor } from './helpers/sensor.js';

const TOTAL = 5_000;
const CONCURRENCY = 100;
const STOP_AFTER = 2_000;

/** An HTTP request padded to 64 bytes that names its connection, so its event is findable. */
function request(i: number): Buffer {
  const head = `GET /burst/${i} HTTP/1.1\r\nX-Pad: `;
  return Buffer.from(`${head}${'a'.repeat(64 - head.length - 4)}\r\n\r\n`, 'latin1');
}

/** One connection: send, read the reply, close. Resolves true once fully done. */
function exchange(port: number, payload: Buffer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let replied = false;
    socket.on('connect', () => socket.write(payload));
    socket.on('data', () => {
      if (!replied) socket.end();
      replied = true;
    });
    socket.on('error', () => resolve(false));
    socket.on('close', () => resolve(replied));
    socket.setTimeout(10_000, () => socket.destroy());
  });
}

describe('sensor shutdown', () => {
  it('writes every completed connection before exiting on SIGTERM', async () => {
    const port = await freePort();
    const sensor = await startSensor({ ports: `tcp:${port}`, config: { connection: {
      max_connections_per_source: 10_000 } } });
    const completed: number[] = [];
    let next = 0;
    let signalled = false;
    const worker = async () => {
      while (next < TOTAL) {
        const i = next++;
        if (await exchange(port, request(i))) completed.push(i);
        else if (signalled) return;
        if (!signalled && completed.length >= STOP_AFTER) {
          signalled = true;
          sensor.proc.kill('SIGTERM');
        }
      }
    };
    const exited = new Promise((r) => sensor.proc.on('exit', r));
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(signalled).toBe(true);
    expect(await exited).toBe(0);

    const stored = new Set(exportEvents(sensor.db).map((e) => e.payload_sha256));
    const lost = completed.filter((i) =>
      !stored.has(createHash('sha256').update(request(i)).digest('hex')));
    expect(completed.length).toBeGreaterThanOrEqual(STOP_AFTER);
    expect(lost).toEqual([]);
  }, 120_000);
});
