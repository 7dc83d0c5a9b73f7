// Tests for the `mitsu replay` command as a user calls it: flags, printed lines, exit status.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import { registerReplay } from './replay.js';

const SECRET = 'GET /never-printed HTTP/1.0\r\n\r\n';
const line = (id: string, port: number) => JSON.stringify({
  id, port, transport: 'tcp', payload_b64: Buffer.from(SECRET).toString('base64'),
});

let dir = '';
let server: Server;
let port = 0;
const received: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mitsu-replay-cmd-'));
  server = createServer((socket) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => received.push(text));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  process.exitCode = undefined;
  received.length = 0;
});

async function run(...args: string[]): Promise<string> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const program = new Command().exitOverride();
  registerReplay(program, () => ({ log: silentLogger(), stdout }));
  await program.parseAsync(['node', 'mitsu', 'replay', ...args]);
  return Buffer.concat(chunks).toString('utf8');
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('mitsu replay', () => {
  it('prints one line per record with --verbose and a summary, never the payload', async () => {
    const path = await file('two.jsonl', `${line('first', 80)}\n${line('second', 8080)}\n`);
    const out = await run(path, '--port', String(port), '--proxy-protocol', 'v1', '--verbose',
      '--concurrency', '1');

    expect(out.split('\n')).toEqual([
      `first tcp/80 -> ${port} sent ${SECRET.length} received 0 quiet`,
      `second tcp/8080 -> ${port} sent ${SECRET.length} received 0 quiet`,
      'replay: 2 records; sent tcp 2, udp 0; failed 0; skipped 0',
      '',
    ]);
    expect(out).not.toContain('never-printed');
    expect(process.exitCode).toBeUndefined();
    const source = /^PROXY TCP4 198\.51\.100\.7 127\.0\.0\.1 (\d+) (\d+)\r\nGET \//;
    const dstPorts = received.map((text) => source.exec(text)?.[2]).sort();
    expect(dstPorts).toEqual(['80', '8080']);
  });

  it('prints only the summary without --verbose, and exits 1 when a connection is refused',
    async () => {
      const refused = await new Promise<number>((resolve) => {
        const probe = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = probe.address() as { port: number };
          probe.close(() => resolve(free));
        });
      });
      const path = await file('one.jsonl', `${line('only', 80)}\n`);
      const out = await run(path, '--port', String(refused));
      expect(out).toBe('replay: 1 records; sent tcp 0, udp 0; failed 1; skipped 0\n');
      expect(process.exitCode).toBe(1);
    });

  it('reads a FILE given right after a value-less --proxy-protocol as v1 with that file',
    async () => {
      const path = await file('after.jsonl', `${line('after', 25)}\n`);
      const out = await run('--proxy-protocol', path, '--port', String(port));
      expect(out).toBe('replay: 1 records; sent tcp 1, udp 0; failed 0; skipped 0\n');
      expect(received[0]).toMatch(/^PROXY TCP4 198\.51\.100\.7 127\.0\.0\.1 \d+ 25\r\n/);
    });

  it.each([
    [['--proxy-protocol', 'v3'], '--proxy-protocol takes v1 or v2'],
    [['--concurrency', '0'], '--concurrency must be an integer'],
    [['--timeout-ms', 'soon'], '--timeout-ms must be an integer'],
    [['--port', '70000'], '--port must be an integer'],
  ])('refuses bad flags %j as MITSU_CONFIG_INVALID', async (flags, message) => {
    const path = await file('flags.jsonl', `${line('x', 80)}\n`);
    await expect(run(path, ...flags)).rejects.toMatchObject({
      code: 'MITSU_CONFIG_INVALID', message: expect.stringContaining(message),
    });
    expect(received).toEqual([]);
  });

  it('refuses a missing FILE as MITSU_CONFIG_INVALID', async () => {
    await expect(run('--port', '80')).rejects.toMatchObject({ code: 'MITSU_CONFIG_INVALID' });
  });

  it('refuses a malformed file as MITSU_INPUT_INVALID naming the line', async () => {
    const path = await file('bad.jsonl', `${line('x', 80)}\n{"id":"y",\n`);
    await expect(run(path, '--port', String(port))).rejects.toMatchObject({
      code: 'MITSU_INPUT_INVALID', message: `${path} line 2 is not valid JSON`,
    });
  });
});
