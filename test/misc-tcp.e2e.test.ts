// End to end: JDWP driven by Debian's real `jdb`, and raw-TCP JSON-RPC (Stratum) and WebLogic
// T3 driven by a socket sending the bytes their clients send (no such client is packaged).

import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { exportEvents, freePort, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.2.1';
const HAS_JDB = spawnSync('jdb', ['-version']).status === 0;

/** Sends each step's bytes, waits until `until` holds for everything received, then closes. */
function converse(port: number, steps: { send: string; until: (got: string) => boolean }[]):
  Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let got = '';
    let step = 0;
    const next = () => {
      const current = steps[step];
      if (current === undefined) {
        socket.end();
        return;
      }
      socket.write(current.send);
    };
    socket.on('connect', next);
    socket.on('data', (chunk) => {
      got += chunk.toString('latin1');
      if (steps[step]?.until(got) === true) {
        step++;
        next();
      }
    });
    socket.on('close', () => resolve(got));
    socket.on('error', reject);
  });
}

describe('JDWP, JSON-RPC and T3 emulations', () => {
  let sensor: RunningSensor;
  const ports = { jdwp: 0, jsonrpc: 0, t3: 0 };
  let events: MitsuEvent[] = [];
  const on = (port: number) => events.filter((e) => e.dst_port === port);

  beforeAll(async () => {
    ports.jdwp = await freePort(HOST);
    ports.jsonrpc = await freePort(HOST);
    ports.t3 = await freePort(HOST);
    sensor = await startSensor({ ports: Object.values(ports).map((p) => `tcp:${p}`).join(','),
      listen: HOST });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it.skipIf(!HAS_JDB)('lets jdb attach and print the JVM version (needs jdb)', () => {
    const jdb = spawnSync('jdb', ['-attach', `${HOST}:${ports.jdwp}`],
      { input: 'version\nquit\n', encoding: 'utf8', timeout: 30_000 });
    expect(jdb.stdout).toContain('JVM version 17.0.15 (OpenJDK 64-Bit Server VM');
  });

  it('runs a Stratum subscribe and authorize', async () => {
    const got = await converse(ports.jsonrpc, [
      { send: '{"id": 1, "method": "mining.subscribe", "params": ["cpuminer/2.5.1"]}\n',
        until: (g) => g.includes('"id":1') },
      { send: '{"id": 2, "method": "mining.authorize", "params": ["wallet.rig1", "x"]}\n',
        until: (g) => g.includes('mining.notify') },
    ]);
    expect(got).toContain('{"id":2,"result":true,"error":null}\n');
  });

  it('answers the T3 hello like WebLogic 12.2.1.3', async () => {
    const got = await converse(ports.t3, [
      { send: 't3 12.2.1\nAS:255\nHL:19\nMS:10000000\n\n', until: (g) => g.endsWith('\n\n') },
    ]);
    expect(got).toBe('HELO:12.2.1.3.0.false\nAS:2048\nHL:19\nMS:10000000\n\n');
  });

  it('recorded each conversation with what it parsed', async () => {
    await sensor.stop();
    events = exportEvents(sensor.db);
    if (HAS_JDB) {
      const [jdwp] = on(ports.jdwp);
      expect(jdwp?.protocol).toBe('jdwp');
      expect(jdwp?.commands).toEqual(expect.arrayContaining(['VirtualMachine.IDSizes',
        'VirtualMachine.Version', 'VirtualMachine.Dispose']));
    }
    const [rpc] = on(ports.jsonrpc);
    expect(rpc?.protocol).toBe('jsonrpc');
    expect(rpc?.credentials).toEqual([{ username: 'wallet.rig1', password: 'x' }]);
    expect(rpc?.fields['methods']).toEqual(['mining.subscribe', 'mining.authorize']);
    const [t3] = on(ports.t3);
    expect(t3?.protocol).toBe('t3');
    expect(t3?.fields).toMatchObject({ version: '12.2.1', hello_headers: { AS: '255' } });
  });
});
