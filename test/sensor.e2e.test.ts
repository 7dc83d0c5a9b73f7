// End to end: the real `mitsu start` on loopback, driven by `mitsu replay` and raw sockets,
// checked through the real SQLite file via `mitsu export`.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { encodeProxyV1, encodeProxyV2 } from '../src/sensor/proxy-protocol.js';
import { exportEvents, freePort, ROOT, runCli, startSensor, waitFor, type RunningSensor } from
  './helpers/sensor.js';

interface CorpusRecord {
  id: string;
  port: number;
  transport: 'tcp' | 'udp';
  payload_b64: string;
  replay?: string;
  expect?: { protocol?: string };
}

const CORPUS = join(ROOT, 'test/fixtures/corpus');
/**
 * Corpus ports are shifted into unprivileged space so the test needs no root, on an address of
 * their own so that other test files' ports never collide with them.
 */
const OFFSET = 10_000 + Math.floor(Math.random() * 2_000);
const CORPUS_HOST = '127.0.0.2';

function corpus(name: string): CorpusRecord[] {
  return readFileSync(join(CORPUS, name), 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CorpusRecord);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function portList(records: CorpusRecord[]): string {
  const items = new Set(records.map((r) => `${r.transport}:${r.port + OFFSET}`));
  return [...items].join(',');
}

/** Opens a connection, optionally writes, resolves once connected. */
function open(port: number, host = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    socket.on('close', () => resolve());
    socket.resume();
  });
}

describe('sensor, corpus replay', () => {
  const records = [...corpus('attacks.jsonl'), ...corpus('hostile.jsonl')];
  let sensor: RunningSensor;

  beforeAll(async () => {
    sensor = await startSensor({ ports: portList(records), listen: CORPUS_HOST,
      config: { udp: { burst_window_ms: 200 } } });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it('records exactly one event per replayed record, with the bytes sent', async () => {
    for (const file of ['attacks.jsonl', 'hostile.jsonl']) {
      const out = runCli(['replay', join(CORPUS, file), '--host', CORPUS_HOST, '--port-offset',
        `${OFFSET}`, '--concurrency', '8']);
      expect(out.code, out.stdout + out.stderr).toBe(0);
    }
    expect(await sensor.stop()).toBe(0);

    const events = exportEvents(sensor.db);
    expect(events).toHaveLength(records.length);
    const unmatched = [...events];
    for (const record of records) {
      const sent = Buffer.from(record.payload_b64, 'base64');
      const kept = sent.subarray(0, 65_536);
      const i = unmatched.findIndex((e) => e.dst_port === record.port + OFFSET &&
        e.transport === record.transport && e.payload_sha256 === sha256(kept));
      expect(i, `no event for ${record.id}`).toBeGreaterThanOrEqual(0);
      const event = unmatched.splice(i, 1)[0] as MitsuEvent;
      expect(event.payload_len).toBe(sent.length);
      expect(event.payload_truncated).toBe(sent.length > kept.length);
      if (event.payload_truncated) expect(event.fields['payload_full_sha256']).toBe(sha256(sent));
      expect(event.src_ip).toMatch(/^127\./);
      expect(event.dst_ip).toBe(CORPUS_HOST);
      if (sent.length === 0) expect(event.protocol).toBe('none');
      const expected = record.expect?.protocol;
      if (expected !== undefined) expect(event.protocol, record.id).toBe(expected);
    }
  });
});

describe('sensor, protocols on unrelated ports', () => {
  it('identifies every corpus payload from its bytes on a port it has nothing to do with',
    async () => {
      const host = '127.0.0.5';
      const port = await freePort(host);
      const records = corpus('attacks.jsonl').filter((r) => r.replay === undefined);
      const sensor = await startSensor({ ports: `tcp:${port},udp:${port}`, listen: host,
        config: { udp: { burst_window_ms: 200 } } });
      const out = runCli(['replay', join(CORPUS, 'attacks.jsonl'), '--host', host, '--port',
        `${port}`, '--concurrency', '8']);
      expect(out.code, out.stdout + out.stderr).toBe(0);
      await sensor.stop();
      const events = exportEvents(sensor.db);
      expect(events).toHaveLength(records.length);
      for (const record of records) {
        const hash = sha256(Buffer.from(record.payload_b64, 'base64'));
        const event = events.find((e) => e.payload_sha256 === hash &&
          e.transport === record.transport);
        expect(event?.dst_port, record.id).toBe(port);
        expect(event?.protocol, record.id).toBe(record.expect?.protocol);
      }
    });
});

describe('sensor, limits', () => {
  let sensor: RunningSensor;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    sensor = await startSensor({ ports: `tcp:${port}`, config: { connection: {
      max_payload_bytes: 1024, idle_timeout_ms: 400, first_data_wait_ms: 100,
      max_connections_per_source: 3,
    } } });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it('keeps at most the byte cap and still counts every byte', async () => {
    const socket = await open(port);
    const sent = Buffer.alloc(5_000, 0x41);
    socket.end(sent);
    await closed(socket);
    const event = await waitFor(() => exportEvents(sensor.db).find((e) => e.payload_len === 5000));
    expect(event.payload_truncated).toBe(true);
    expect(Buffer.from(event.payload_b64, 'base64')).toEqual(sent.subarray(0, 1024));
    expect(event.payload_sha256).toBe(sha256(sent.subarray(0, 1024)));
  });

  it('closes a connection that stays idle past the idle timeout', async () => {
    const socket = await open(port);
    socket.write('\x01\x02\x03');
    const started = Date.now();
    await closed(socket);
    expect(Date.now() - started).toBeLessThan(5_000);
    const event = await waitFor(() => exportEvents(sensor.db)
      .find((e) => e.close_reason === 'idle_timeout' && e.payload_len === 3));
    expect(event.protocol).toBe('unknown');
  });

  it('refuses connections above the per-source cap and records each refusal', async () => {
    const held = await Promise.all([1, 2, 3].map(() => open(port)));
    await new Promise((r) => setTimeout(r, 100));
    const extra = await Promise.all([1, 2].map(() => open(port)));
    await Promise.all(extra.map(closed));
    const refused = await waitFor(() => {
      const found = exportEvents(sensor.db).filter((e) => e.event === 'connection.refused_limit');
      return found.length >= 2 ? found : undefined;
    });
    expect(refused).toHaveLength(2);
    expect(refused[0]?.close_reason).toBe('limit');
    for (const socket of held) socket.destroy();
  });
});

describe('sensor, addresses', () => {
  it('records IPv6 clients with their IPv6 address', async () => {
    const port = await freePort('::1');
    const sensor = await startSensor({ ports: `tcp:${port}`, listen: '::1' });
    const socket = await open(port, '::1');
    socket.end('GET / HTTP/1.1\r\nHost: [2001:db8::1]\r\n\r\n');
    await closed(socket);
    await sensor.stop();
    const [event] = exportEvents(sensor.db);
    expect(event?.src_ip).toBe('::1');
    expect(event?.dst_ip).toBe('::1');
    expect(event?.protocol).toBe('http');
    expect(event?.bytes_out).toBeGreaterThan(0);
  });

  it('takes the source from PROXY v1 and v2 headers', async () => {
    const port = await freePort();
    const sensor = await startSensor({ ports: `tcp:${port}`,
      config: { proxy_protocol: 'on' } });
    const headers = [
      encodeProxyV1({ srcIp: '198.51.100.7', srcPort: 40001, dstIp: '203.0.113.10',
        dstPort: 8080 }),
      encodeProxyV2({ srcIp: '2001:db8::7', srcPort: 40002, dstIp: '2001:db8::10',
        dstPort: 8080 }),
    ];
    for (const header of headers) {
      const socket = await open(port);
      socket.end(Buffer.concat([header, Buffer.from('GET / HTTP/1.0\r\n\r\n')]));
      await closed(socket);
    }
    await sensor.stop();
    const events = exportEvents(sensor.db);
    expect(events.map((e) => [e.src_ip, e.src_port]).sort()).toEqual([
      ['198.51.100.7', 40001], ['2001:db8::7', 40002]]);
    for (const event of events) {
      expect(event.protocol).toBe('http');
      expect(event.payload_len).toBe(18);
      expect(event.fields['proxy']).toMatchObject({ peer_ip: '127.0.0.1' });
    }
  });
});

describe('sensor, silent clients', () => {
  it('greets a silent client with the banner of the port\'s usual service, then keeps reading',
    async () => {
      // 2222 is a usual SSH port; its own loopback address keeps it clear of other listeners.
      const host = '127.0.0.4';
      const sensor = await startSensor({ ports: 'tcp:2222', listen: host,
        config: { connection: { first_data_wait_ms: 300 } } });
      const socket = await open(2222, host);
      const banner = await new Promise<string>((resolve) => socket.once('data',
        (chunk: Buffer) => resolve(chunk.toString('latin1'))));
      expect(banner).toMatch(/^SSH-2\.0-OpenSSH_[^\r\n]+\r\n$/);
      socket.end('SSH-2.0-Go\r\n');
      await closed(socket);
      await sensor.stop();
      const [event] = exportEvents(sensor.db);
      expect(event?.protocol).toBe('ssh');
      expect(event?.fields['greeting']).toBe('ssh');
      expect(event?.bytes_out).toBe(banner.length);
      expect(Buffer.from(event?.payload_b64 ?? '', 'base64').toString()).toBe('SSH-2.0-Go\r\n');
    });
});

describe('sensor, silent clients on ports without an emulation', () => {
  it('closes a client that never speaks once the idle timeout passes', async () => {
    const host = '127.0.0.6';
    const port = await freePort(host);
    const sensor = await startSensor({ ports: `tcp:${port}`, listen: host, config: {
      connection: { first_data_wait_ms: 200, idle_timeout_ms: 400, max_session_ms: 60_000 } } });
    const socket = await open(port, host);
    const opened = Date.now();
    await closed(socket);
    expect(Date.now() - opened).toBeLessThan(5_000);
    await sensor.stop();
    const [event] = exportEvents(sensor.db);
    expect(event?.close_reason).toBe('idle_timeout');
    expect(event?.protocol).toBe('none');
  });
});
