// Tests for the replay sender against real TCP and UDP servers on 127.0.0.1 and ::1 that keep
// every byte they receive: payloads and PROXY headers must arrive exactly.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProxyHeader } from '../../sensor/proxy-protocol.js';
import { parseRecords, type ReplayRecord } from './records.js';
import {
  formatResult,
  formatSummary,
  runReplay,
  type RecordResult,
  type ReplayOptions,
} from './run.js';
import { ephemeralPort } from './target.js';

const CORPUS = new URL('../../../test/fixtures/corpus/', import.meta.url);
const corpus = (name: string): ReplayRecord[] =>
  parseRecords(readFileSync(new URL(name, CORPUS), 'utf8'), name);

const FAST = { concurrency: 4, timeoutMs: 3_000, quietMs: 50, portOffset: 0 };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

function record(over: Partial<ReplayRecord> = {}): ReplayRecord {
  return {
    line: 1, id: 'r1', port: 443, transport: 'tcp', payload: Buffer.from('GET / HTTP/1.0\r\n\r\n'),
    srcIp: undefined, srcPort: undefined, replay: undefined, ...over,
  };
}

async function replay(records: ReplayRecord[], options: Partial<ReplayOptions>) {
  const results: RecordResult[] = [];
  const opts: ReplayOptions = {
    host: '127.0.0.1', proxyProtocol: undefined, port: undefined, ...FAST, ...options,
  };
  const summary = await runReplay(records, opts, (r) => results.push(r));
  return { summary, results };
}

describe('replay over TCP', () => {
  it.each(['127.0.0.1', '::1'])('sends each corpus payload byte for byte to %s', async (host) => {
    const server = await tcpServer(host);
    const records = [...corpus('attacks.jsonl'), ...corpus('hostile.jsonl')]
      .filter((r) => r.transport === 'tcp');
    const { summary } = await replay(records, { host, port: server.port, concurrency: 8 });

    expect(summary).toEqual({ records: 44, sent: { tcp: 44, udp: 0 }, failed: 0, skipped: 0 });
    await until(() => server.arrivals.length === records.length);
    const hex = (list: Buffer[]) => list.map((b) => b.toString('hex')).sort();
    expect(hex(server.arrivals)).toEqual(hex(records.map((r) => r.payload)));
  });

  it('puts the exact v1 header for the record source before the payload', async () => {
    const server = await tcpServer('127.0.0.1');
    const r = record({ srcIp: '203.0.113.5', srcPort: 40000 });
    await replay([r], { port: server.port, proxyProtocol: 'v1' });
    await until(() => server.arrivals.length === 1);
    expect(server.arrivals[0]?.toString('latin1')).toBe(
      'PROXY TCP4 203.0.113.5 127.0.0.1 40000 443\r\nGET / HTTP/1.0\r\n\r\n');
  });

  it('writes an IPv4 source IPv4-mapped when the host is IPv6', async () => {
    const server = await tcpServer('::1');
    const r = record({ srcIp: '203.0.113.5', srcPort: 40000, payload: Buffer.alloc(0) });
    await replay([r], { host: '::1', port: server.port, proxyProtocol: 'v1' });
    await until(() => server.arrivals.length === 1);
    expect(server.arrivals[0]?.toString('latin1'))
      .toBe('PROXY TCP6 ::ffff:203.0.113.5 ::1 40000 443\r\n');
  });

  it('announces a documentation source and the original port in v2 over ::1', async () => {
    const server = await tcpServer('::1');
    const records = corpus('attacks.jsonl').filter((r) => r.transport === 'tcp').slice(0, 6);
    await replay(records, { host: '::1', port: server.port, proxyProtocol: 'v2' });
    await until(() => server.arrivals.length === records.length);

    for (const r of records) {
      const arrival = server.arrivals.find((a) => a.subarray(52).equals(r.payload));
      expect(arrival, r.id).toBeDefined();
      const parsed = parseProxyHeader(arrival as Buffer);
      expect(parsed).toEqual({ kind: 'header', length: 52, header: {
        version: 2, command: 'proxy', transport: 'tcp', srcIp: '2001:db8::7',
        srcPort: ephemeralPort(r.id), dstIp: '::1', dstPort: r.port,
      } });
    }
  });

  it('counts the reply and notes that the server closed first', async () => {
    const banner = 'SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n';
    const server = await tcpServer('127.0.0.1', (socket) => socket.end(banner));
    const { results } = await replay([record({ port: 22 })], { port: server.port });
    expect(results[0]?.outcome).toEqual({
      sent: 18, received: banner.length, ending: 'server-closed', failure: undefined,
    });
    expect(formatResult(results[0] as RecordResult))
      .toBe(`r1 tcp/22 -> ${server.port} sent 18 received ${banner.length} server-closed`);
  });

  it('connects, sends nothing and closes for a zero-length payload', async () => {
    const server = await tcpServer('127.0.0.1');
    const { results } = await replay([record({ payload: Buffer.alloc(0) })], { port: server.port });
    await until(() => server.arrivals.length === 1);
    expect(server.arrivals[0]?.length).toBe(0);
    expect(results[0]?.outcome).toMatchObject({ sent: 0, received: 0, ending: 'quiet' });
  });

  it('counts a reset after the payload as an answer, not a failure', async () => {
    const server = await tcpServer('127.0.0.1', (socket) => {
      socket.once('data', () => socket.resetAndDestroy());
    });
    const { summary, results } = await replay([record()], { port: server.port });
    expect(summary.failed).toBe(0);
    expect(results[0]?.outcome).toMatchObject({ ending: 'reset', failure: undefined });
  });

  it('counts a refused connection as a failure', async () => {
    const port = await closedPort();
    const { summary, results } = await replay([record(), record({ id: 'r2' })], { port });
    expect(summary).toMatchObject({ sent: { tcp: 0, udp: 0 }, failed: 2 });
    expect(results[0]?.outcome?.failure).toBe('ECONNREFUSED');
    expect(formatSummary(summary))
      .toBe('replay: 2 records; sent tcp 0, udp 0; failed 2; skipped 0');
  });

  it('adds the port offset to each record port', async () => {
    const server = await tcpServer('127.0.0.1');
    const { results } = await replay([record({ port: 443 })], { portOffset: server.port - 443 });
    expect(results[0]?.port).toBe(server.port);
    await until(() => server.arrivals.length === 1);
  });

  it('refuses an offset that leaves the port range before sending anything', async () => {
    const server = await tcpServer('127.0.0.1');
    const records = [record({ port: 80 }), record({ port: 65_000, line: 2 })];
    await expect(replay(records, { portOffset: 1000 })).rejects.toMatchObject({
      code: 'MITSU_INPUT_INVALID', message: expect.stringContaining('line 2'),
    });
    expect(server.connections).toBe(0);
  });

  it('keeps no more connections open than the concurrency allows', async () => {
    const server = await tcpServer('127.0.0.1');
    const records = Array.from({ length: 8 }, (_, i) => record({ id: `r${i}` }));
    await replay(records, { port: server.port, concurrency: 2 });
    expect(server.connections).toBe(8);
    expect(server.mostOpen).toBeLessThanOrEqual(2);
  });

  it('skips records typed inside an SSH session', async () => {
    const server = await tcpServer('127.0.0.1');
    const { summary, results } = await replay(
      [record({ replay: 'ssh-session' })], { port: server.port });
    expect(summary).toMatchObject({ skipped: 1, failed: 0 });
    expect(formatResult(results[0] as RecordResult)).toContain('skipped (replay ssh-session)');
    expect(server.connections).toBe(0);
  });
});

describe('replay over UDP', () => {
  it.each(['127.0.0.1', '::1'])('sends one datagram to %s and counts the answer', async (host) => {
    const server = await udpServer(host, 'pong');
    const records = corpus('attacks.jsonl').filter((r) => r.transport === 'udp');
    const { summary, results } = await replay(
      records, { host, port: server.port, proxyProtocol: 'v2' });

    expect(summary).toMatchObject({ sent: { tcp: 0, udp: 2 }, failed: 0 });
    const hex = (list: Buffer[]) => list.map((b) => b.toString('hex')).sort();
    expect(hex(server.arrivals)).toEqual(hex(records.map((r) => r.payload)));
    expect(results.map((r) => r.outcome?.received)).toEqual([4, 4]);
  });

  it('fails a datagram that the host answers with port unreachable', async () => {
    const port = await closedPort();
    const udp = record({ transport: 'udp', port: 123 });
    const { summary, results } = await replay([udp], { port });
    expect(summary.failed).toBe(1);
    expect(results[0]?.outcome?.failure).toBe('ECONNREFUSED');
  });
});

// ---- servers that keep what arrives --------------------------------------------------------

interface TcpRecorder {
  port: number;
  arrivals: Buffer[];
  connections: number;
  mostOpen: number;
}

async function tcpServer(host: string, onConnect?: (s: Socket) => void): Promise<TcpRecorder> {
  const recorder: TcpRecorder = { port: 0, arrivals: [], connections: 0, mostOpen: 0 };
  let open = 0;
  const server: Server = createServer((socket) => {
    const chunks: Buffer[] = [];
    recorder.connections++;
    recorder.mostOpen = Math.max(recorder.mostOpen, ++open);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => {
      // A reset from the client side is part of some tests; the bytes so far are kept.
    });
    socket.on('close', () => {
      open--;
      recorder.arrivals.push(Buffer.concat(chunks));
    });
    onConnect?.(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  recorder.port = (server.address() as { port: number }).port;
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return recorder;
}

async function udpServer(host: string, answer: string) {
  const socket: UdpSocket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const arrivals: Buffer[] = [];
  socket.on('message', (message, peer) => {
    arrivals.push(message);
    socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, host, resolve));
  closers.push(() => new Promise((resolve) => socket.close(() => resolve())));
  return { port: socket.address().port, arrivals };
}

/** A port with nothing listening: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(done: () => boolean, limitMs = 2_000): Promise<void> {
  const start = Date.now();
  while (!done()) {
    if (Date.now() - start > limitMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
