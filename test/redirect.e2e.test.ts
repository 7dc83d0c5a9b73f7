// Redirect mode end to end: in a throwaway sensor namespace, `mitsu firewall apply` loads the
// nftables redirect and `mitsu start --mode redirect` records connections that a client
// namespace makes to ports nothing listens on; the stored dst_port must be the dialled one.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFromClient, createNetnsPair, netnsSkipReason, type NetnsPair, run, SENSOR_V4,
  SENSOR_V6, waitForLine,
} from './helpers/netns.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MITSU = join(ROOT, 'bin', 'mitsu.js');
const LISTEN_PORT = 6999;
const DIALLED_V4 = [1, 4444, 31337, 65535];
const DIALLED_V6 = [23, 8443];
/** The sensor gets this long to record open connections and flush after SIGTERM. */
const STOP_TIMEOUT_MS = 10_000;

function cliSkipReason(): string | undefined {
  const probe = spawnSync(process.execPath, [MITSU, '--version'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'the CLI is not built (npm run build)';
}

const SKIP = netnsSkipReason() ?? cliSkipReason();
const TITLE = `redirect mode${SKIP === undefined ? '' : `: skipped, ${SKIP}`}`;

/** The environment of the namespaced commands: no SSH session of the test runner leaks in. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, MITSU_LOG_LEVEL: 'info' };
  delete env['SSH_CONNECTION'];
  return env;
}

/** SIGTERM, then SIGKILL if the sensor has not exited in STOP_TIMEOUT_MS. */
function stopped(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Each step starts Node in a namespace; a loaded CI machine makes that take seconds. */
const STEP_TIMEOUT_MS = 60_000;

describe.skipIf(SKIP !== undefined)(TITLE, { timeout: STEP_TIMEOUT_MS }, () => {
  let pair: NetnsPair | undefined;
  let sensor: ChildProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'mitsu-redirect-'));
  const db = join(dir, 'mitsu.db');

  beforeAll(() => {
    pair = createNetnsPair('e2e');
  });

  afterAll(async () => {
    if (sensor !== undefined) await stopped(sensor);
    pair?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }, STOP_TIMEOUT_MS + 5_000);

  it('loads the firewall rules inside the sensor namespace', () => {
    const ns = pair as NetnsPair;
    const [ip, ...inSensor] = ns.exec(ns.sensor);
    run(ip, [...inSensor, process.execPath, MITSU, 'firewall', 'apply', '--listen-port',
      String(LISTEN_PORT)]);
    const table = run(ip, [...inSensor, 'nft', 'list', 'table', 'inet', 'mitsu']);
    expect(table).toContain(`redirect to :${LISTEN_PORT}`);
  });

  it('records the port each client dialled, over IPv4 and IPv6', async () => {
    const ns = pair as NetnsPair;
    sensor = ns.spawnIn(ns.sensor, [process.execPath, MITSU, 'start', '--mode', 'redirect',
      '--db', db, '--ports', 'all'], cleanEnv());
    await waitForLine(sensor, /sensor started/, 'stderr', 30_000);

    const v4 = await connectFromClient(ns, SENSOR_V4, DIALLED_V4);
    const v6 = await connectFromClient(ns, SENSOR_V6, DIALLED_V6);
    expect(Object.values({ ...v4, ...v6 }).every((outcome) => outcome === 'connected'))
      .toBe(true);
    await stopped(sensor);

    const jsonl = run(process.execPath, [MITSU, 'export', '--db', db, '--format', 'jsonl']);
    const events = jsonl.split('\n').filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { dst_ip: string; dst_port: number; src_ip: string });
    const seen = events.map((e) => `${e.dst_ip} ${e.dst_port}`).sort();
    const want = [...DIALLED_V4.map((p) => `${SENSOR_V4} ${p}`),
      ...DIALLED_V6.map((p) => `${SENSOR_V6} ${p}`)].sort();
    expect(seen).toEqual(want);
  });

  it('removes its table and leaves nothing behind', () => {
    const ns = pair as NetnsPair;
    const [ip, ...inSensor] = ns.exec(ns.sensor);
    run(ip, [...inSensor, process.execPath, MITSU, 'firewall', 'remove']);
    run(ip, [...inSensor, process.execPath, MITSU, 'firewall', 'remove']);
    expect(run(ip, [...inSensor, 'nft', 'list', 'tables'])).not.toContain('mitsu');
  });
});
