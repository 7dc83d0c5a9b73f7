// One TLS connection: the ClientHello is parsed and fingerprinted (JA3, JA4), then Node's TLS
// (OpenSSL 3) completes the handshake with a self-signed certificate, or sends the alert a
// stock nginx 1.18.0 + OpenSSL 3 sends (SSLv3, no shared cipher). Decrypted bytes go to the
// connection's inner stream, which routes them by protocol; replies go back encrypted.

import { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';

import type { Session, SessionContext } from '../types.js';
import { serverCertificate } from './certificate.js';
import { MAX_HELLO_BYTES, parseClientHello } from './hello.js';
import { readSsl2Hello } from './parse.js';
import { recordHello } from './record.js';

/** Bytes held while the certificate is made (first connection only) or the hello completes. */
export const MAX_PENDING_BYTES = MAX_HELLO_BYTES + 1024;

export type TlsOutcome = 'handshake' | 'alert' | 'incomplete';

let context: Promise<SecureContext> | null = null;

function secureContext(): Promise<SecureContext> {
  context ??= serverCertificate().then((pair) => createSecureContext(pair));
  return context;
}

export class TlsSession implements Session {
  readonly #ctx: SessionContext;
  readonly #tls: Record<string, unknown> = {};
  #hello: Buffer | null = Buffer.alloc(0);
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #wire: Duplex | null = null;
  #socket: TLSSocket | null = null;
  #inner: Session | null = null;
  #closed = false;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
    ctx.fields['tls'] = this.#tls;
    secureContext().then((secure) => this.#guard(() => this.#start(secure)),
      () => this.#guard(() => this.#fail('certificate_failed')));
  }

  data(chunk: Buffer): void {
    if (this.#closed) return;
    if (this.#hello !== null) this.#readHello(chunk);
    if (this.#wire !== null) {
      this.#wire.push(chunk);
      return;
    }
    this.#pendingBytes += chunk.length;
    if (this.#pendingBytes > MAX_PENDING_BYTES) return this.#fail('too_much_before_handshake');
    this.#pending.push(chunk);
  }

  close(): void {
    if (this.#closed) return;
    this.#tls['outcome'] ??= 'incomplete';
    this.#closed = true;
    this.#inner?.close?.();
    this.#socket?.destroy();
  }

  #readHello(chunk: Buffer): void {
    const seen = Buffer.concat([this.#hello ?? Buffer.alloc(0), chunk]);
    if (((seen[0] ?? 0) & 0x80) !== 0) {
      const ssl2 = readSsl2Hello(seen);
      if (ssl2.kind === 'incomplete') return void (this.#hello = seen);
      if (ssl2.kind === 'message') Object.assign(this.#tls, { format: 'sslv2',
        version: ssl2.hello.version.toString(16).padStart(4, '0') });
      this.#hello = null;
      return;
    }
    const result = parseClientHello(seen);
    if (result.kind === 'incomplete' && seen.length <= MAX_PENDING_BYTES) {
      this.#hello = seen;
      return;
    }
    this.#hello = null;
    if (result.kind === 'message') Object.assign(this.#tls, recordHello(result.hello));
    else this.#ctx.malformed(result.kind === 'malformed' ? `hello_${result.reason}`
      : 'hello_too_large');
  }

  #start(secure: SecureContext): void {
    if (this.#closed) return;
    const ctx = this.#ctx;
    this.#wire = new Duplex({
      read() { /* bytes are pushed by data() as the client sends them */ },
      write(chunk: Buffer, _encoding, done) {
        ctx.send(chunk);
        done();
      },
      final(done) {
        ctx.end();
        done();
      },
    });
    const socket = new TLSSocket(this.#wire, { isServer: true, secureContext: secure,
      ALPNProtocols: ['http/1.1'] });
    this.#socket = socket;
    socket.on('secure', () => this.#guard(() => this.#onSecure(socket)));
    socket.on('data', (bytes: Buffer) => this.#guard(() => this.#inner?.data(bytes)));
    socket.on('error', (err: NodeJS.ErrnoException) => this.#guard(() => this.#onError(err)));
    for (const chunk of this.#pending) this.#wire.push(chunk);
    this.#pending = [];
  }

  #onSecure(socket: TLSSocket): void {
    if (this.#closed) return;
    this.#tls['outcome'] = 'handshake';
    const cipher = socket.getCipher();
    this.#tls['negotiated'] = { protocol: socket.getProtocol(), cipher: cipher.standardName,
      alpn: socket.alpnProtocol === false ? null : socket.alpnProtocol };
    this.#inner = this.#ctx.inner?.({
      send: (bytes) => socket.write(bytes),
      end: () => socket.end(),
    }) ?? null;
  }

  /** OpenSSL has already written its alert by the time the error is reported. */
  #onError(err: NodeJS.ErrnoException): void {
    if (this.#closed) return;
    if (this.#tls['outcome'] === undefined) {
      this.#tls['outcome'] = 'alert';
      this.#tls['error'] = typeof err.code === 'string' ? err.code.slice(0, 64) : 'unknown';
    }
    this.#ctx.end();
  }

  #fail(reason: string): void {
    this.#ctx.malformed(reason);
    this.#tls['outcome'] ??= 'incomplete';
    this.#ctx.end();
    this.close();
  }

  /** Work in TLS callbacks runs outside the connection's guard: keep its failures here. */
  #guard(work: () => void): void {
    try {
      work();
    } catch {
      // A throw from an inner session or the TLS layer ends this connection only; the reason
      // is recorded, and the error itself carries nothing the event needs.
      this.#ctx.malformed('internal_error');
      this.#ctx.end();
      this.close();
    }
  }
}
