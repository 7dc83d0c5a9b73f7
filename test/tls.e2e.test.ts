// End to end: curl over TLS to the real sensor on 127.0.3.1 (handshake, SNI, JA3/JA4, the
// HTTP request inside), and nmap's SSLv3 hello, which gets an alert as from nginx + OpenSSL 3.

import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';

import type { MitsuEvent } from '../src/events/event.js';
import { corpusBytes } from '../src/protocols/test-corpus.js';
import { exportEvents, type RunningSensor, sensorOnFreePort, waitFor } from './helpers/sensor.js';

const HOST = '127.0.3.1';
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;

function eventWhere(sensor: RunningSensor, test: (e: MitsuEvent) => boolean): Promise<MitsuEvent> {
  return waitFor(() => exportEvents(sensor.db).find(test), 20_000);
}

/** Sends bytes, half-closes, and resolves with everything the server wrote back. */
function exchange(port: number, bytes: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    const socket = connect({ host: HOST, port }, () => socket.write(bytes));
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(parts)));
  });
}

describe('tls emulation', () => {
  let sensor: RunningSensor;
  let port: number;

  sensorOnFreePort(HOST, (started, free) => {
    sensor = started;
    port = free;
  });

  it.skipIf(!HAS_CURL)('completes a handshake with curl and records SNI, JA3, JA4 and the ' +
    'HTTP request inside (needs curl)', async () => {
    const out = spawnSync('curl', ['-sk', '-m', '20', '-A', 'e2e-tls/1.0', '--resolve',
      `example.com:${port}:${HOST}`, `https://example.com:${port}/`], { encoding: 'utf8' });
    expect(out.status, out.stderr).toBe(0);
    expect(out.stdout).toContain('Welcome to nginx!');
    const event = await eventWhere(sensor, (e) => e.protocol === 'tls' &&
      (e.fields['tls'] as { sni?: string } | undefined)?.sni === 'example.com');
    expect(event.fields['tls']).toMatchObject({ outcome: 'handshake', alpn: ['h2', 'http/1.1'],
      ja3_hash: expect.stringMatching(/^[0-9a-f]{32}$/) as unknown,
      ja4: expect.stringMatching(/^t13d\d{4}h2_[0-9a-f]{12}_[0-9a-f]{12}$/) as unknown,
      negotiated: { alpn: 'http/1.1' } });
    expect(event.fields['inner']).toMatchObject({ protocol: 'http', fields: { method: 'GET',
      path: '/', host: `example.com:${port}`, user_agent: 'e2e-tls/1.0', status: 200 } });
  });

  it('answers nmap\'s SSLv3 hello with an alert and still names the protocol tls', async () => {
    const reply = await exchange(port, corpusBytes('tls-sslv3-clienthello-nmap'));
    expect(reply[0]).toBe(0x15);
    const event = await eventWhere(sensor, (e) => (e.fields['tls'] as { version?: string } |
      undefined)?.version === '0300');
    expect(event.protocol).toBe('tls');
    expect(event.fields['tls']).toMatchObject({ outcome: 'alert',
      ja4: expect.stringMatching(/^ts3i/) as unknown });
  });
});
