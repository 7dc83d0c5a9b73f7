// End to end: Debian's mysql client (MariaDB's) logs in to the MySQL emulation; the user and
// what the client says about itself are recorded, and it is told "Access denied".

import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvents, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.4.1';
const HAS_MYSQL = spawnSync('mysql', ['--version']).status === 0;
const CLIENT_TIMEOUT_MS = 30_000;
/** MySQL is server-first: a silent client is greeted only on the descriptor's usual port. */
const MYSQL_PORT = 3306;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: HOST, port }, () => server.close(() => resolve(true)));
  });
}

const PORT_FREE = await canListen(MYSQL_PORT);

describe.skipIf(!HAS_MYSQL || !PORT_FREE)('mysql client against the MySQL emulation (needs '
  + `mysql and ${HOST}:${MYSQL_PORT} free)`, () => {
  let sensor: RunningSensor;
  const port = MYSQL_PORT;

  beforeAll(async () => {
    sensor = await startSensor({ ports: `tcp:${port}`, listen: HOST,
      config: { connection: { first_data_wait_ms: 500 } } });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it('is denied access and its user is recorded', async () => {
    const run = spawnSync('mysql', ['--no-defaults', '-h', HOST, '-P', String(port), '-u', 'root',
      '-pSecret', '--skip-ssl', '-D', 'shop', '-e', 'select 1'],
    { encoding: 'utf8', timeout: CLIENT_TIMEOUT_MS });
    expect(run.stderr).toMatch(/ERROR 1045 \(28000\): Access denied for user 'root'@'127\.[\d.]+' \(using password: YES\)/);

    await sensor.stop();
    const events = exportEvents(sensor.db).filter((e) => e.protocol === 'mysql');
    expect(events).toHaveLength(1);
    expect(events[0]?.credentials).toEqual([{ username: 'root', password: '' }]);
    expect(events[0]?.fields).toMatchObject({ user: 'root', database: 'shop',
      auth_plugin: 'caching_sha2_password', attrs: expect.objectContaining({ program_name:
        'mysql' }) });
  });
});
