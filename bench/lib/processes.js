// Child processes of the benchmark: each starts in its own process group, pinned to one CPU
// with taskset, and is killed with its whole group when the run ends, fails or is
// interrupted. Nothing started here outlives the runner.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import net from 'node:net';

const STOP_GRACE_MS = 3_000;
const PORT_POLL_MS = 100;
const live = new Set();

/**
 * Starts `command args` on CPU `cpu` in a new process group. Output goes to `logFile`
 * (appended) unless `pipeStdout` asks for a readable stdout.
 */
export function startPinned(cpu, command, args, { logFile, pipeStdout = false } = {}) {
  const log = logFile === undefined ? 'ignore' : openSync(logFile, 'a');
  const child = spawn('taskset', ['-c', String(cpu), command, ...args], {
    detached: true,
    stdio: ['ignore', pipeStdout ? 'pipe' : log, log],
  });
  if (typeof log === 'number') closeSync(log);
  live.add(child);
  child.once('exit', () => live.delete(child));
  child.once('error', () => live.delete(child));
  return child;
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the whole group is already gone, which is what we want.
  }
}

function exited(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM to the group, then SIGKILL to whatever of the group is left after a grace period. */
export async function stopGroup(child) {
  if (child.pid === undefined) return;
  signalGroup(child, 'SIGTERM');
  await exited(child, STOP_GRACE_MS);
  signalGroup(child, 'SIGKILL');
  await exited(child, STOP_GRACE_MS);
  live.delete(child);
}

/** Kills every group still running, at once; safe to call from an exit handler. */
export function killAll() {
  for (const child of live) if (child.pid !== undefined) signalGroup(child, 'SIGKILL');
  live.clear();
}

/** Makes sure no child survives the runner, however it ends. */
export function installCleanup() {
  process.once('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      killAll();
      process.stderr.write(`bench: stopped by ${signal}\n`);
      process.exit(130);
    });
  }
}

function tryConnect(port, host) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Resolves once `host:port` accepts a connection; rejects after `timeoutMs` or on exit. */
export async function waitForPort(child, port, host, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    if (await tryConnect(port, host)) return;
    await sleep(PORT_POLL_MS);
  }
  throw new Error(`nothing listening on ${host}:${port} after ${timeoutMs} ms`);
}

/** A free TCP port below the ephemeral range, so it never collides with client ports. */
export async function freePort(host) {
  const LOW = 20_000;
  const SPAN = 10_000;
  const MAX_TRIES = 50;
  for (let i = 0; i < MAX_TRIES; i++) {
    const port = LOW + Math.floor(Math.random() * SPAN);
    if (await canListen(port, host)) return port;
  }
  throw new Error(`no free port found in ${LOW}-${LOW + SPAN - 1}`);
}

function canListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
