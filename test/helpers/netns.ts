// Throwaway network namespaces for tests that need real kernel routing and nftables:
// a sensor namespace and a client namespace joined by a veth pair, addressed from the
// documentation ranges only (192.0.2.0/24, 2001:db8::/32). Needs root, `ip` and `nft`.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';

export const SENSOR_V4 = '192.0.2.1';
export const CLIENT_V4 = '192.0.2.2';
export const SENSOR_V6 = '2001:db8::1';
export const CLIENT_V6 = '2001:db8::2';

/** Upper bound for one `ip`/`nft` call and for a client's whole run. */
const COMMAND_TIMEOUT_MS = 10_000;

/** Why the namespace tests cannot run here, or undefined when they can. */
export function netnsSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  for (const tool of ['ip', 'nft']) {
    const missing = spawnSync(tool, ['-V']).error !== undefined;
    if (missing) return `the ${tool} command is missing (apt-get install iproute2 nftables)`;
  }
  return undefined;
}

/** Runs a command to completion; throws with its stderr when it fails. */
export function run(command: string, args: readonly string[], input?: string): string {
  const result = spawnSync(command, args, { input, encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  if (result.status !== 0) {
    const why = result.error?.message ?? result.stderr.trim();
    throw new Error(`${command} ${args.join(' ')} failed: ${why}`);
  }
  return result.stdout;
}

export interface NetnsPair {
  sensor: string;
  client: string;
  /** Argument prefix that runs a command inside a namespace. */
  exec(ns: string): [string, ...string[]];
  /** Starts a long-running command inside a namespace. */
  spawnIn(ns: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess;
  destroy(): void;
}

function setUp(sensor: string, client: string, tag: string): void {
  const [vs, vc] = [`mv${tag}s`, `mv${tag}c`];
  run('ip', ['netns', 'add', sensor]);
  run('ip', ['netns', 'add', client]);
  run('ip', ['link', 'add', vs, 'netns', sensor, 'type', 'veth', 'peer', 'name', vc,
    'netns', client]);
  for (const [ns, dev, v4, v6] of [[sensor, vs, SENSOR_V4, SENSOR_V6],
    [client, vc, CLIENT_V4, CLIENT_V6]] as const) {
    run('ip', ['-n', ns, 'addr', 'add', `${v4}/24`, 'dev', dev]);
    run('ip', ['-n', ns, 'addr', 'add', `${v6}/64`, 'dev', dev, 'nodad']);
    run('ip', ['-n', ns, 'link', 'set', dev, 'up']);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
  }
}

/** Creates the pair; `tag` (a few letters) keeps parallel test files apart. */
export function createNetnsPair(tag: string): NetnsPair {
  const id = `${tag}${process.pid % 100_000}`;
  const sensor = `mitsu-${id}-s`;
  const client = `mitsu-${id}-c`;
  const pair: NetnsPair = {
    sensor,
    client,
    exec: (ns) => ['ip', 'netns', 'exec', ns],
    spawnIn: (ns, args, env) => spawn('ip', ['netns', 'exec', ns, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env }),
    destroy: () => {
      // Deleting a namespace deletes the veth ends and every nft table inside it.
      for (const ns of [sensor, client]) spawnSync('ip', ['netns', 'delete', ns]);
    },
  };
  pair.destroy(); // leftovers of a killed earlier run with the same pid
  try {
    setUp(sensor, client, id);
  } catch (err) {
    pair.destroy();
    throw err;
  }
  return pair;
}

/** Waits until `child` prints a line matching `pattern`, or fails after a timeout. */
export function waitForLine(child: ChildProcess, pattern: RegExp, stream: 'stdout' | 'stderr' =
'stdout', timeoutMs = COMMAND_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in time`)),
      timeoutMs);
    child[stream]?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => pattern.test(l));
      if (line === undefined) return;
      clearTimeout(timer);
      resolve(line);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before printing ${pattern}`));
    });
  });
}

/** How long the client keeps each connection open after sending its bytes. */
const HOLD_MS = 1_000;

/**
 * From the client namespace, opens one TCP connection to each port of `host`, sends a line,
 * holds it open a moment, then closes. Resolves with each port's outcome: `connected` or an
 * error code such as ECONNREFUSED.
 */
export async function connectFromClient(pair: NetnsPair, host: string,
  ports: readonly number[]): Promise<Record<number, string>> {
  const script = `
const net = require('node:net');
const [host, ...ports] = process.argv.slice(1);
const out = {};
let open = ports.length;
for (const port of ports) {
  const s = net.connect({ host, port: Number(port), timeout: ${COMMAND_TIMEOUT_MS / 2} });
  s.on('connect', () => { out[port] = 'connected'; s.write('hello\\r\\n');
    setTimeout(() => s.destroy(), ${HOLD_MS}); });
  s.on('timeout', () => { out[port] ??= 'timeout'; s.destroy(); });
  s.on('data', () => {});
  s.on('error', (e) => { out[port] ??= e.code; });
  s.on('close', () => { if (--open === 0) console.log(JSON.stringify(out)); });
}`;
  const [ip, ...inClient] = pair.exec(pair.client);
  const { stdout } = await promisify(execFile)(ip, [...inClient, process.execPath, '-e', script,
    host, ...ports.map(String)], { timeout: COMMAND_TIMEOUT_MS });
  return JSON.parse(stdout) as Record<number, string>;
}

/** Polls `check` every few milliseconds until it holds or `timeoutMs` passes. */
export async function waitUntil(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What the stand-in listener saw for one connection. */
export interface SeenConnection {
  local: number;
  dst: { address: string; port: number } | null;
}

export interface OriginalDstListener {
  seen: SeenConnection[];
  stop(): void;
}

/**
 * A stand-in for the sensor: a listener on `port` inside the sensor namespace that asks the
 * native addon for each connection's original destination and prints it as a JSON line.
 */
export async function startOriginalDstListener(pair: NetnsPair, addonPath: string,
  port: number): Promise<OriginalDstListener> {
  const script = `
const net = require('node:net');
const { originalDst } = require(process.argv[1]);
net.createServer((s) => {
  console.log(JSON.stringify({ local: s.localPort, dst: originalDst(s._handle.fd) }));
  s.destroy();
}).listen(Number(process.argv[2]), () => console.log('listening'));`;
  const child = pair.spawnIn(pair.sensor, [process.execPath, '-e', script, addonPath,
    String(port)]);
  const seen: SeenConnection[] = [];
  let buffered = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) seen.push(JSON.parse(line));
  });
  await waitForLine(child, /^listening$/);
  return { seen, stop: () => child.kill() };
}
