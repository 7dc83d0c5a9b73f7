// End to end: the real sensor on 127.0.3.1, driven by Debian's curl against the HTTP personas
// (stock nginx, Geth JSON-RPC, Docker Engine API, Realtek UPnP), checked through `mitsu export`.

import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { MitsuEvent } from '../src/events/event.js';
import { corpusBytes } from '../src/protocols/test-corpus.js';
import { exportEvents, freePort, startSensor, waitFor, type RunningSensor } from
  './helpers/sensor.js';

const HOST = '127.0.3.1';
// The personas answer by port, so these are the real ones, on this file's own address.
const GETH = 8545;
const DOCKER = 2375;
const REALTEK = 52869;
const HAS_CURL = spawnSync('curl', ['--version']).status === 0;

function curl(...args: string[]): string {
  const out = spawnSync('curl', ['-s', '-m', '10', ...args], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout;
}

function eventWhere(sensor: RunningSensor, test: (e: MitsuEvent) => boolean): Promise<MitsuEvent> {
  return waitFor(() => exportEvents(sensor.db).find(test), 20_000);
}

describe.skipIf(!HAS_CURL)('http personas driven by curl (needs curl)', () => {
  let sensor: RunningSensor;
  let web: number;

  beforeAll(async () => {
    web = await freePort(HOST);
    sensor = await startSensor({ ports: `tcp:${web},tcp:${GETH},tcp:${DOCKER},tcp:${REALTEK}`,
      listen: HOST });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it('answers a GET like nginx and records the request', async () => {
    const page = curl('-A', 'e2e-get/1.0', `http://${HOST}:${web}/?a=1`);
    expect(page).toContain('Welcome to nginx!');
    const event = await eventWhere(sensor, (e) => e.fields['user_agent'] === 'e2e-get/1.0');
    expect(event.protocol).toBe('http');
    expect(event.fields).toMatchObject({ method: 'GET', path: '/', query: 'a=1',
      host: `${HOST}:${web}`, persona: 'nginx', status: 200 });
  });

  it('records a POST body', async () => {
    curl('-A', 'e2e-post/1.0', '--data', 'user=admin&pass=hunter2', `http://${HOST}:${web}/login`);
    const event = await eventWhere(sensor, (e) => e.fields['user_agent'] === 'e2e-post/1.0');
    expect(event.fields).toMatchObject({ method: 'POST', path: '/login', status: 404,
      body: 'user=admin&pass=hunter2', body_encoding: 'utf8', body_length: 23 });
  });

  it('answers eth_blockNumber as Geth with the id echoed', async () => {
    const out = curl('-X', 'POST', '-H', 'Content-Type: application/json', '--data',
      '{"jsonrpc":"2.0","method":"eth_blockNumber","params":[],"id":7}', `http://${HOST}:${GETH}/`);
    expect(JSON.parse(out)).toMatchObject({ jsonrpc: '2.0', id: 7 });
    expect((JSON.parse(out) as { result: string }).result).toMatch(/^0x[0-9a-f]+$/);
    const event = await eventWhere(sensor, (e) => e.dst_port === GETH);
    expect(event.fields['persona']).toBe('geth');
    expect(event.commands).toEqual(['eth_blockNumber']);
  });

  it('creates and starts a container as the Docker Engine API', async () => {
    const created = JSON.parse(curl('-A', 'e2e-docker', '-X', 'POST', '-H',
      'Content-Type: application/json', '--data', '{"Image":"alpine","Cmd":["sh","-c","id"]}',
      `http://${HOST}:${DOCKER}/v1.41/containers/create`)) as { Id: string };
    expect(created.Id).toMatch(/^[0-9a-f]{64}$/);
    const start = curl('-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST',
      `http://${HOST}:${DOCKER}/v1.41/containers/${created.Id}/start`);
    expect(start).toBe('204');
    const event = await eventWhere(sensor, (e) => e.fields['user_agent'] === 'e2e-docker');
    expect(event.fields).toMatchObject({ persona: 'docker', status: 201 });
    expect(event.commands).toEqual(['docker create alpine sh -c id']);
  });

  it('answers a UPnP AddPortMapping SOAP call as the Realtek miniigd', async () => {
    const body = '<?xml version="1.0"?><s:Envelope><s:Body><u:AddPortMapping xmlns:u=' +
      '"urn:schemas-upnp-org:service:WANIPConnection:1"><NewInternalClient>`id`' +
      '</NewInternalClient></u:AddPortMapping></s:Body></s:Envelope>';
    const out = curl('-X', 'POST', '-H',
      'SOAPAction: "urn:schemas-upnp-org:service:WANIPConnection:1#AddPortMapping"',
      '--data', body, `http://${HOST}:${REALTEK}/picsdesc.xml`);
    expect(out).toContain('<u:AddPortMappingResponse');
    const event = await eventWhere(sensor, (e) => e.dst_port === REALTEK);
    expect(event.fields).toMatchObject({ persona: 'realtek-miniigd', path: '/picsdesc.xml' });
    expect(String(event.fields['body'])).toContain('NewInternalClient');
  });

  it('records what arrived of a head the client abandoned', async () => {
    const socket = connect({ host: HOST, port: web });
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.end('GET /slow HTTP/1.1\r\nHost: e2e-partial\r\nX-a: b\r\n');
    const event = await eventWhere(sensor, (e) => e.fields['path'] === '/slow');
    expect(event.fields).toMatchObject({ method: 'GET', host: 'e2e-partial',
      incomplete: 'incomplete' });
  });

  it('records and tags a JSON-RPC call whose body fell short of its Content-Length', async () => {
    const sent = corpusBytes('seed-8545-eth-blocknumber-id7').toString('latin1')
      .replace('User-Agent: Go-http-client/1.1', 'User-Agent: e2e-cut-body')
      .replace('Content-Length: 65', 'Content-Length: 69');
    const socket = connect({ host: HOST, port: GETH });
    await new Promise((resolve) => socket.on('connect', resolve));
    socket.end(Buffer.from(sent, 'latin1'));
    const event = await eventWhere(sensor, (e) => e.fields['user_agent'] === 'e2e-cut-body');
    expect(event.protocol).toBe('http');
    expect(event.fields).toMatchObject({ method: 'POST', path: '/', persona: 'geth',
      host: '203.0.113.10:8545', body_length: 65, incomplete: 'body_incomplete' });
    expect(event.fields['body']).toContain('"method":"eth_blockNumber"');
    expect(event.commands).toEqual(['eth_blockNumber']);
    expect(event.tags.map((t) => t.id)).toContain('ethereum-rpc-eth-blocknumber-probe');
  });
});
