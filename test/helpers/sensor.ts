// Starts the real `mitsu start` as a child process on loopback with a throwaway store, waits
// for its start-up summary, and reads back what it recorded through `mitsu export`.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { stringify } from 'yaml';
import type { MitsuEvent } from '../../src/events/event.js';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const CLI = join(ROOT, 'bin/mitsu.js');
const START_TIMEOUT_MS = 30_000;

export interface SensorOptions {
  /** The `--ports` flag. */
  ports: string;
  listen?: string;
  /** Extra config keys (merged into the YAML file). */
  config?: Record<string, unknown>;
  args?: string[];
  /** Prefix command, e.g. ['ip', 'netns', 'exec', 'ns1']. */
  wrap?: string[];
  /** Make the temp folder writable by anyone (for a sensor run as another user). */
  shareDir?: boolean;
}

export interface RunningSensor {
  proc: ChildProcess;
  dir: string;
  db: string;
  /** Every stderr line so far (JSON log lines). */
  logs: string[];
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Sensors still running; killed when the test process exits, even after a failed test. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const proc of running) proc.kill('SIGKILL');
});

export function tempDir(prefix = 'mitsu-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function startSensor(options: SensorOptions): Promise<RunningSensor> {
  const dir = tempDir();
  const db = join(dir, 'mitsu.db');
  const configPath = join(dir, 'mitsu.yaml');
  writeFileSync(configPath, stringify({ user: 'root', ...options.config }));
  if (options.shareDir === true) chmodSync(dir, 0o777);
  const args = [CLI, 'start', '--config', configPath, '--db', db, '--ports', options.ports,
    '--listen', options.listen ?? '127.0.0.1', ...(options.args ?? [])];
  const [cmd, ...rest] = [...(options.wrap ?? []), process.execPath, ...args] as [string];
  const proc = spawn(cmd, rest, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(proc);
  proc.on('close', () => running.delete(proc));
  const logs: string[] = [];
  // 'close' comes after stderr is drained, so every log line is in `logs` by then.
  const exited = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (proc.exitCode === null) proc.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop('SIGKILL');
      reject(new Error(`sensor did not start:\n${logs.join('\n')}`));
    }, START_TIMEOUT_MS);
    let partial = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      logs.push(...lines);
      if (lines.some((l) => l.includes('"sensor started"'))) {
        clearTimeout(timer);
        resolve({ proc, dir, db, logs, stop });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sensor exited with ${code}:\n${[...logs, partial].join('\n')}`));
    });
  });
}

/** Runs the CLI to completion. */
export function runCli(args: string[], input?: string): { code: number | null; stdout: string;
  stderr: string } {
  const out = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input,
    maxBuffer: 256 * 1024 * 1024, timeout: 120_000 });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

/** Every event in a store, read through `mitsu export --format jsonl`. */
export function exportEvents(db: string): MitsuEvent[] {
  const out = runCli(['export', '--db', db, '--format', 'jsonl']);
  if (out.code !== 0) throw new Error(`export failed (${out.code}): ${out.stderr}`);
  return out.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as MitsuEvent);
}

/** Polls until `check` returns a value that is not undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TCP port the OS says is free on `host` right now. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * One sensor on a free TCP port of `host` for the enclosing describe block: started before
 * its tests, stopped after them; `use` receives it and its port.
 */
export function sensorOnFreePort(host: string,
  use: (sensor: RunningSensor, port: number) => void): void {
  let sensor: RunningSensor | undefined;
  beforeAll(async () => {
    const port = await freePort(host);
    sensor = await startSensor({ ports: `tcp:${port}`, listen: host });
    use(sensor, port);
  });
  afterAll(async () => {
    await sensor?.stop();
  });
}
