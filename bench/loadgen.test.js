// The load generator against a small in-process server: what it sends, what it counts and
// that it stops by itself. Checks behaviour only; no figure or timing is asserted.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureLoadgen, runLoadgen } from './lib/loadgen.js';

const RUN_TIMEOUT_MS = 15_000;

function hasTools() {
  try {
    execFileSync('sh', ['-c', 'command -v cc && command -v taskset'], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // reported by the skip below
  }
}

describe.skipIf(!hasTools())('load generator (needs cc and taskset)', () => {
  const firstChunks = [];
  let server;
  let port;

  beforeAll(async () => {
    ensureLoadgen();
    server = net.createServer((socket) => {
      socket.once('data', (chunk) => {
        if (firstChunks.length < 100) firstChunks.push(chunk);
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      });
      socket.on('error', () => {}); // the generator may reset after the first reply byte
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = server.address().port;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('sends a complete HTTP request of exactly 64 bytes', async () => {
    const args = ['short', '--port', String(port), '--concurrency', '2', '--duration', '0.3',
      '--warmup', '0'];
    await runLoadgen(0, args, RUN_TIMEOUT_MS);
    const request = firstChunks[0].toString('latin1');
    expect(firstChunks[0]).toHaveLength(64);
    expect(request).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: 127\.0\.0\.1\r\nX-Pad: a+\r\n\r\n$/);
  });

  it('counts completed short connections and reports latency and errors', async () => {
    const args = ['short', '--port', String(port), '--concurrency', '4', '--duration', '0.5',
      '--warmup', '0.2'];
    const result = await runLoadgen(0, args, RUN_TIMEOUT_MS);
    expect(result).toMatchObject({ mode: 'short', phase: 'done', concurrency: 4 });
    expect(result.completed).toBeGreaterThan(0);
    expect(result.errors.total).toBe(0);
    expect(result.latency_ms.p99).toBeGreaterThanOrEqual(result.latency_ms.p50);
  });

  it('holds idle connections and says when they are all open', async () => {
    const lines = [];
    const args = ['idle', '--port', String(port), '--count', '40', '--hold', '0.3'];
    const result = await runLoadgen(0, args, RUN_TIMEOUT_MS, (line) => lines.push(line));
    expect(lines[0]).toMatchObject({ phase: 'held', open: 40, failed: 0 });
    expect(result).toMatchObject({ phase: 'done', established: 40, open_at_end: 40 });
  });

  it('counts refused connections as errors when nothing listens', async () => {
    const closed = net.createServer();
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const unused = closed.address().port;
    await new Promise((resolve) => closed.close(resolve));
    const args = ['short', '--port', String(unused), '--concurrency', '2', '--duration', '0.2',
      '--warmup', '0'];
    const result = await runLoadgen(0, args, RUN_TIMEOUT_MS);
    expect(result.completed).toBe(0);
    expect(result.errors.connect).toBeGreaterThan(0);
  });
});
