// End to end: freetds's tsql logs in to the MSSQL emulation with TDS 7.4; the user and the
// password recovered from LOGIN7 are recorded and tsql is told "Login failed".

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { exportEvents, type RunningSensor, sensorOnFreePort, tempDir } from './helpers/sensor.js';

const HOST = '127.0.4.1';
const HAS_TSQL = spawnSync('tsql', ['-C']).status === 0;
const CLIENT_TIMEOUT_MS = 30_000;

describe.skipIf(!HAS_TSQL)('tsql against the MSSQL emulation (needs tsql)', () => {
  let sensor: RunningSensor;
  let port: number;

  sensorOnFreePort(HOST, (started, free) => {
    sensor = started;
    port = free;
  });

  it('is refused with error 18456 and its credentials are recorded', async () => {
    // A private HOME keeps a user's ~/.freetds.conf out of the test.
    const env = { ...process.env, TDSVER: '7.4', HOME: tempDir('mitsu-tsql-') };
    const run = spawnSync('tsql', ['-H', HOST, '-p', String(port), '-U', 'sa', '-P', 'Passw0rd'],
      { encoding: 'utf8', input: 'quit\n', env, timeout: CLIENT_TIMEOUT_MS });
    expect(run.stdout + run.stderr).toContain('Login failed for user \'sa\'');

    await sensor.stop();
    const events = exportEvents(sensor.db).filter((e) => e.protocol === 'mssql');
    expect(events).toHaveLength(1);
    expect(events[0]?.credentials).toEqual([{ username: 'sa', password: 'Passw0rd' }]);
    expect(events[0]?.fields).toMatchObject({ tds_version: '0x74000004', app_name: 'TSQL',
      encryption: 'off' });
  });
});
