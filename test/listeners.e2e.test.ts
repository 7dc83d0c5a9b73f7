// End to end: what start-up says and does about ports it cannot have (in use, privileged,
// beyond the open-file limit), dropping root after binding, and the JSON-lines output.

import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportEvents, freePort, startSensor, tempDir, waitFor } from './helpers/sensor.js';

const isRoot = process.getuid?.() === 0;

function logLines(logs: string[]): Record<string, unknown>[] {
  return logs.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string,
    unknown>);
}

function started(logs: string[]): Record<string, unknown> {
  const line = logLines(logs).find((l) => l['msg'] === 'sensor started');
  if (line === undefined) throw new Error('no start-up summary');
  return line;
}

function sendAndClose(port: number, data: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => socket.end(data));
    socket.on('error', reject);
    socket.on('close', () => resolve());
    socket.resume();
  });
}

function occupy(port: number): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen({ port, host: '127.0.0.1' }, () => resolve(server));
  });
}

describe('listeners at start-up', () => {
  it('skips a port already in use and counts it in one summary line', async () => {
    const taken = await freePort();
    const free = await freePort();
    const blocker = await occupy(taken);
    const sensor = await startSensor({ ports: `tcp:${taken},tcp:${free}` });
    await sensor.stop();
    blocker.close();
    const summary = started(sensor.logs);
    expect(summary['tcp_bound']).toBe(1);
    expect(summary['skipped_by_reason']).toEqual({ in_use: 1 });
    const inUse = logLines(sensor.logs).filter((l) => String(l['msg']).includes('in use'));
    expect(inUse).toHaveLength(1);
    expect(inUse[0]?.['skipped']).toBe(1);
  });

  it('says in one line how many listeners the open-file limit fits and what to raise it to',
    async () => {
      const sensor = await startSensor({ ports: 'tcp:42000-42999', listen: '127.0.0.3',
        wrap: ['prlimit', '--nofile=400:400', '--'] });
      await sensor.stop();
      const warnings = logLines(sensor.logs).filter((l) => l['limit'] === 400);
      expect(warnings, sensor.logs.join('\n')).toHaveLength(1);
      const warning = warnings[0] as Record<string, unknown>;
      expect(warning['msg']).toMatch(/open-file limit 400 fits \d+ listeners; raise it to \d+/);
      const summary = started(sensor.logs);
      const skipped = summary['skipped_by_reason'] as Record<string, number>;
      expect(summary['tcp_bound'] as number + (skipped['in_use'] ?? 0)).toBe(warning['fits']);
      expect(warning['fits']).toBeGreaterThan(100);
      expect(warning['wanted']).toBeGreaterThan(1000);
    });

  it.skipIf(!isRoot)('skips privileged ports without root, saying how to grant them ' +
    '(needs root to switch to an ordinary user)', async () => {
    const port = await freePort();
    const sensor = await startSensor({ ports: `tcp:81,tcp:${port}`, shareDir: true,
      wrap: ['runuser', '-u', 'nobody', '--'] });
    await sendAndClose(port, 'hello');
    await sensor.stop();
    const lines = logLines(sensor.logs).filter((l) => String(l['msg']).includes('below 1024'));
    expect(lines, sensor.logs.join('\n')).toHaveLength(1);
    expect(lines[0]?.['msg']).toContain('cap_net_bind_service');
    expect(started(sensor.logs)['tcp_bound']).toBe(1);
    expect(exportEvents(sensor.db)).toHaveLength(1);
  });

  it.skipIf(!isRoot)('drops root after binding and keeps recording (needs root)', async () => {
    const port = await freePort();
    const sensor = await startSensor({ ports: `tcp:${port}`, config: { user: 'nobody' } });
    await waitFor(() => sensor.logs.find((l) => l.includes('dropped root')));
    const status = readFileSync(`/proc/${sensor.proc.pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    await sendAndClose(port, 'after the drop');
    expect(await sensor.stop()).toBe(0);
    const [event] = exportEvents(sensor.db);
    expect(Buffer.from(event?.payload_b64 ?? '', 'base64').toString()).toBe('after the drop');
  });

  it('appends every event to the JSON-lines output as well', async () => {
    const port = await freePort();
    const jsonl = join(tempDir(), 'events.jsonl');
    const sensor = await startSensor({ ports: `tcp:${port}`, args: ['--jsonl', jsonl] });
    for (const data of ['one', 'two', 'three']) await sendAndClose(port, data);
    await sensor.stop();
    const lines = await waitFor(() => {
      const text = readFileSync(jsonl, 'utf8').trim();
      return text === '' ? undefined : text.split('\n');
    });
    const stored = exportEvents(sensor.db);
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual(stored);
    expect(stored).toHaveLength(3);
  });

  it('keeps the most scanned UDP ports when every port cannot fit under the limit',
    async () => {
      const sensor = await startSensor({ ports: 'tcp:1-65535,udp:1-65535', listen: '127.0.0.7',
        wrap: ['prlimit', '--nofile=1500:1500', '--'] });
      await sensor.stop();
      const summary = started(sensor.logs);
      expect(summary['udp_bound']).toBeGreaterThan(20);
      expect(summary['tcp_bound']).toBeGreaterThan(300);
    });

  it.skipIf(!isRoot)('spends no open-file budget on ports it may not bind (needs root to ' +
    'switch to an ordinary user)', async () => {
    const sensor = await startSensor({ ports: 'tcp:1-2000', listen: '127.0.0.8', shareDir: true,
      wrap: ['prlimit', '--nofile=1024:1024', '--', 'runuser', '-u', 'nobody', '--'] });
    await sensor.stop();
    const summary = started(sensor.logs);
    const skipped = summary['skipped_by_reason'] as Record<string, number>;
    expect(skipped['privileged']).toBe(1023);
    const fits = logLines(sensor.logs).find((l) => l['limit'] === 1024)?.['fits'] as number;
    expect(summary['tcp_bound'] as number + (skipped['in_use'] ?? 0)).toBe(fits);
  });

  it.skipIf(!isRoot)('rotates the JSON-lines output in a folder it made after dropping root ' +
    '(needs root)', async () => {
    const port = await freePort();
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const jsonl = join(dir, 'made-by-mitsu', 'events.jsonl');
    const sensor = await startSensor({ ports: `tcp:${port}`, args: ['--jsonl', jsonl],
      config: { user: 'nobody', jsonl: { max_bytes: 2048, keep: 20 } } });
    for (let i = 0; i < 10; i++) await sendAndClose(port, `connection ${i}`);
    expect(await sensor.stop()).toBe(0);
    expect(sensor.logs.join('\n')).not.toMatch(/JSON-lines output failed|EACCES|EBADF/);
    const files = [jsonl, ...Array.from({ length: 20 }, (_, i) => `${jsonl}.${i + 1}`)]
      .filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThan(1);
    const lines = files.flatMap((f) => readFileSync(f, 'utf8').trim().split('\n'));
    expect(lines).toHaveLength(10);
  });
});
