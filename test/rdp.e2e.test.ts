// End to end: Debian's xfreerdp (under xvfb-run) and the corpus's mstshash hellos against the
// RDP emulation; the cookie user and the negotiation are recorded.

import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { corpusBytes } from '../src/protocols/test-corpus.js';
import { exportEvents, type RunningSensor, sensorOnFreePort } from './helpers/sensor.js';

const HOST = '127.0.4.1';
const HAS_XFREERDP = spawnSync('which', ['xfreerdp', 'xvfb-run']).status === 0;
const CLIENT_TIMEOUT_MS = 30_000;

/** Sends `bytes`, reads until the sensor closes or 2 s pass, resolves with what came back. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: HOST, port }, () => socket.write(bytes));
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      socket.end();
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks)));
    socket.setTimeout(2_000, () => socket.destroy());
  });
}

describe('rdp emulation', () => {
  let sensor: RunningSensor;
  let port: number;
  let events: MitsuEvent[] = [];

  sensorOnFreePort(HOST, (started, free) => {
    sensor = started;
    port = free;
  });

  it('answers the corpus mstshash hellos with a CredSSP confirm', async () => {
    for (const id of ['seed-3389-rdp-mstshash-hello', 'seed-3389-rdp-mstshash-administr']) {
      const reply = await exchange(port, corpusBytes(id));
      expect(reply.toString('hex'), id).toBe('030000130ed00000123400021f080002000000');
    }
  });

  it.skipIf(!HAS_XFREERDP)('lets xfreerdp send its requests (needs xfreerdp, xvfb-run)', () => {
    for (const security of [[], ['/sec:rdp']]) {
      const run = spawnSync('xvfb-run', ['-a', 'xfreerdp', `/v:${HOST}:${port}`, '/u:hello',
        '/p:x', '/cert:ignore', '+auth-only', ...security],
      { encoding: 'utf8', timeout: CLIENT_TIMEOUT_MS });
      expect(run.error).toBeUndefined();
    }
  });

  it('records the cookie users as credentials', async () => {
    await sensor.stop();
    events = exportEvents(sensor.db).filter((e) => e.protocol === 'rdp');
    const users = events.flatMap((e) => e.credentials.map((c) => c.username));
    expect(users).toEqual(expect.arrayContaining(['hello', 'Administr']));
    const hello = events.find((e) => e.fields['cookie'] === 'hello');
    expect(hello?.fields).toMatchObject({ requested_protocols: ['ssl', 'hybrid'],
      selected: 'hybrid' });
  });

  it.skipIf(!HAS_XFREERDP)('records xfreerdp\'s TLS start and client name (needs xfreerdp, '
    + 'xvfb-run)', () => {
    const tls = events.find((e) => e.fields['next'] === 'tls');
    expect(tls?.fields).toMatchObject({ cookie: 'hello', selected: 'hybrid' });
    const event = events.find((e) => e.fields['next'] === 'mcs');
    expect(event?.credentials).toEqual([{ username: 'hello', password: '' }]);
    expect(event?.fields).toMatchObject({ cookie: 'hello', requested_protocols: null,
      selected: 'rdp', client_name: expect.any(String) });
  });
});
