// The servers under test: the bare Node `net` baseline and the Mitsu sensor, each started
// fresh in its own work directory, pinned to the server CPU, on a free loopback port.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPinned, waitForPort } from './processes.js';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const ROOT = dirname(BENCH_DIR);
const BASELINE = join(BENCH_DIR, 'baseline-server.js');
const MITSU_BIN = join(ROOT, 'bin', 'mitsu.js');
const MITSU_MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const START_TIMEOUT_MS = 20_000;
const HELP_TIMEOUT_MS = 15_000;

export const HOST = '127.0.0.1';

/** Limits high enough that the sensor, not its configuration, is what the figures measure. */
function benchConfig(idleCount) {
  return {
    sensor: { name: 'bench' },
    user: userInfo().username,
    connection: {
      first_data_wait_ms: 600_000,
      idle_timeout_ms: 600_000,
      max_session_ms: 600_000,
      max_connections: idleCount + 5_000,
      max_connections_per_source: 1_000_000,
    },
  };
}

export function baselineSubject(label = 'node net') {
  return { label, command: process.execPath, args: (port) => [BASELINE, String(port), HOST] };
}

export function mitsuSubject(idleCount) {
  return {
    label: 'mitsu',
    command: process.execPath,
    args(port, workDir) {
      // JSON is YAML, so the config needs no YAML writer.
      const config = join(workDir, 'bench.yaml');
      writeFileSync(config, `${JSON.stringify(benchConfig(idleCount), null, 2)}\n`);
      return [MITSU_BIN, 'start', '--ports', `tcp:${port}`, '--db', join(workDir, 'bench.db'),
        '--listen', HOST, '--config', config];
    },
  };
}

/** Why the sensor cannot be benchmarked yet, or undefined when `mitsu start` answers --help. */
export function mitsuUnavailable() {
  if (!existsSync(MITSU_MAIN)) return `${MITSU_MAIN} is missing: run \`npm run build\` first`;
  const help = spawnSync(process.execPath, [MITSU_BIN, 'start', '--help'], {
    encoding: 'utf8',
    timeout: HELP_TIMEOUT_MS,
  });
  if (help.status === 0) return undefined;
  const said = `${help.stderr ?? ''}${help.stdout ?? ''}`.trim().split('\n')[0] ?? '';
  return `\`mitsu start --help\` failed (${help.status ?? help.signal}): ${said.slice(0, 200)}`;
}

/** Starts `subject` on CPU `cpu`; resolves once its port accepts connections. */
export async function startServer(subject, cpu, workRoot, tag) {
  const workDir = join(workRoot, tag);
  mkdirSync(workDir, { recursive: true });
  const port = await freePort(HOST);
  const logFile = join(workDir, 'server.log');
  const child = startPinned(cpu, subject.command, subject.args(port, workDir), { logFile });
  await waitForPort(child, port, HOST, START_TIMEOUT_MS).catch((err) => {
    throw new Error(`${subject.label} did not start (see ${logFile}): ${err.message}`);
  });
  return { label: subject.label, child, pgid: child.pid, port, logFile };
}
