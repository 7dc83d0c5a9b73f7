// One SSH connection: the cleartext prelude is read here (client version, HASSH), the rest is
// handed to the ssh2 library's server through an in-memory duplex stream, answering like
// OpenSSH 8.9p1 on Ubuntu 22.04 (see openssh.ts). Logins, keys and commands are recorded.

import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import ssh2, { type AuthContext, type Connection, type ServerChannel } from 'ssh2';
import type { Session, SessionContext } from '../types.js';
import { Authenticator } from './auth.js';
import { runExec, shellUser, ShellChannel } from './channel.js';
import { CleartextScanner } from './cleartext.js';
import { hostKeys, type HostKeys } from './host-keys.js';
import { ALGORITHMS, BANNER, IDENT, INVALID_IDENT, MAX_SESSIONS, VERSION_DIFFERS } from
  './openssh.js';
import { storable } from '../../lib/text.js';

/** Bytes taken from the client while the host keys are still being generated. */
const MAX_EARLY_BYTES = 64 * 1024;
const MAX_FORWARDS = 16;
const MAX_SUBSYSTEMS = 8;

/**
 * The connection as ssh2 sees it: what it writes goes out through `ctx.send`, what the
 * client sent is pushed in. The identification line goes out once, whoever sends it first.
 */
class Wire extends Duplex {
  readonly #ctx: SessionContext;
  #bannerSent: boolean;

  constructor(ctx: SessionContext) {
    super();
    this.#ctx = ctx;
    this.#bannerSent = ctx.greeted === true;
  }

  sendBanner(): void {
    if (this.#bannerSent) return;
    this.#bannerSent = true;
    this.#ctx.send(BANNER);
  }

  override _read(): void {
    // Bytes are pushed by SshSession.data as they arrive; nothing to pull.
  }

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    if (chunk.equals(BANNER) && this.#bannerSent) return done();
    this.#bannerSent = true;
    this.#ctx.send(chunk);
    done();
  }

  override _final(done: () => void): void {
    this.#ctx.end();
    done();
  }
}

export class SshSession implements Session {
  readonly #ctx: SessionContext;
  readonly #wire: Wire;
  readonly #scanner: CleartextScanner;
  readonly #auth: Authenticator;
  #started = false;
  #earlyBytes = 0;
  #closed = false;
  #channels = 0;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
    this.#wire = new Wire(ctx);
    this.#scanner = new CleartextScanner(ctx.fields);
    this.#auth = new Authenticator(ctx);
    this.#wire.sendBanner();
    hostKeys().then((keys) => this.#start(keys), () => this.#noKeys());
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    if (!this.#scanner.done) {
      const result = this.#scanner.feed(chunk);
      if (result.kind === 'malformed') return this.#refuse(result.reason);
    }
    if (!this.#started && (this.#earlyBytes += chunk.length) > MAX_EARLY_BYTES) {
      return this.#refuse('early_flood');
    }
    this.#wire.push(chunk);
  }

  close(): void {
    this.#closed = true;
    this.#wire.destroy();
  }

  /** sshd's answer to a client that is not speaking SSH-2: one line in clear, then close. */
  #refuse(reason: string): void {
    this.#ctx.malformed(reason);
    if (reason === 'unsupported_version') this.#ctx.send(VERSION_DIFFERS);
    else if (reason === 'bad_identification' || reason === 'ident_too_long') {
      this.#ctx.send(INVALID_IDENT);
    }
    this.#closed = true;
    this.#ctx.end();
  }

  #noKeys(): void {
    this.#ctx.fields['error'] = 'host_keys_unavailable';
    this.#closed = true;
    this.#ctx.end();
  }

  #start(keys: HostKeys): void {
    if (this.#closed) return;
    this.#started = true;
    const server = new ssh2.Server({
      hostKeys: keys.map((key) => ({ key, passphrase: '' })),
      ident: IDENT,
      algorithms: ALGORITHMS,
    }, (client) => this.#onClient(client));
    // ssh2 reads and writes the "socket" through the stream API only.
    server.injectSocket(this.#wire as unknown as Socket);
  }

  #onClient(client: Connection): void {
    client.on('error', (err: Error & { level?: string }) => this.#onError(err));
    client.on('handshake', (negotiated) => {
      this.#ctx.fields['negotiated'] = {
        kex: negotiated.kex, host_key: negotiated.serverHostKey, cipher: negotiated.cs.cipher,
        mac: negotiated.cs.mac, compression: negotiated.cs.compress,
      };
    });
    client.on('authentication', (auth: AuthContext) => this.#onAuth(client, auth));
    client.on('tcpip', (_accept, reject, info) => {
      this.#listField('forwards', `${info.destIP}:${info.destPort}`, MAX_FORWARDS);
      reject();
    });
    client.on('request', (_accept, reject) => reject?.());
  }

  /** ssh2 reports a broken packet as an error without a level, or with level 'protocol'. */
  #onError(err: Error & { level?: string }): void {
    if (err.level === 'handshake') this.#ctx.fields['handshake'] = 'failed';
    else if (err.level === undefined || err.level === 'protocol') {
      this.#ctx.malformed('ssh_protocol_error');
    }
  }

  #onAuth(client: Connection, auth: AuthContext): void {
    const result = this.#auth.decide(auth);
    if (result === 'give_up') return void client.end();
    if (result === undefined) return;
    const user = shellUser(result.username);
    client.on('session', (accept, reject) => {
      if (this.#channels >= MAX_SESSIONS) return reject();
      this.#channels++;
      this.#onChannel(accept(), user);
    });
  }

  #onChannel(channel: ssh2.Session, user: ReturnType<typeof shellUser>): void {
    let tty = false;
    channel.on('pty', (accept) => {
      tty = true;
      accept?.();
    });
    channel.on('window-change', (accept) => accept?.());
    channel.on('env', (accept, reject, info) => {
      (/^(LANG|LC_[A-Z_]+)$/.test(info.key) ? accept : reject)?.();
    });
    channel.on('shell', (accept) => {
      this.#ctx.fields['shell'] = true;
      new ShellChannel(this.#ctx, accept() as ServerChannel, user, tty);
    });
    channel.on('exec', (accept, _reject, info) => {
      runExec(this.#ctx, accept() as ServerChannel, info.command, user);
    });
    channel.on('subsystem', (_accept, reject, info) => {
      this.#listField('subsystems', info.name, MAX_SUBSYSTEMS);
      reject();
    });
    for (const refused of ['x11', 'auth-agent', 'signal']) {
      channel.on(refused, (_accept: unknown, reject?: () => void) => reject?.());
    }
  }

  #listField(key: string, value: string, max: number): void {
    const list = (this.#ctx.fields[key] ?? []) as string[];
    if (list.length < max) list.push(storable(value, 256));
    this.#ctx.fields[key] = list;
  }
}
