// One MySQL connection after the greeting: reads the HandshakeResponse41, records the user and
// what the client said about itself, and refuses it with ERR 1045 as MySQL 8.0.36 does.

import type { Session, SessionContext } from '../types.js';
import { readPacket } from './parse.js';
import { type HandshakeResponse, readHandshakeResponse } from './response.js';

const ER_ACCESS_DENIED_ERROR = 1045;
const ER_HANDSHAKE_ERROR = 1043;
/** A client that sends more than this without a whole packet is not a MySQL client. */
const MAX_PENDING_BYTES = 16 * 1024;
const MAX_AUTH_HEX_BYTES = 64;

/** An ERR packet (0xff, code, '#', SQL state, message) with the given sequence id. */
export function errPacket(sequence: number, code: number, state: string, message: string): Buffer {
  const payload = Buffer.concat([
    Buffer.from([0xff, code & 0xff, code >> 8]), Buffer.from(`#${state}${message}`, 'utf8'),
  ]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(payload.length, 0, 3);
  header[3] = sequence & 0xff;
  return Buffer.concat([header, payload]);
}

export function accessDenied(sequence: number, user: string, host: string,
  withPassword: boolean): Buffer {
  const using = withPassword ? 'YES' : 'NO';
  return errPacket(sequence, ER_ACCESS_DENIED_ERROR, '28000',
    `Access denied for user '${user}'@'${host}' (using password: ${using})`);
}

export class MysqlSession implements Session {
  readonly #ctx: SessionContext;
  #buffer = Buffer.alloc(0);
  #done = false;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  data(chunk: Buffer): void {
    if (this.#done) return;
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    const packet = readPacket(this.#buffer);
    if (packet.kind === 'incomplete' && this.#buffer.length <= MAX_PENDING_BYTES) return;
    if (packet.kind !== 'message') return this.#badHandshake(packet.kind, 1);
    const result = readHandshakeResponse(packet.payload);
    if (result.kind === 'malformed') return this.#badHandshake(result.reason, packet.sequence + 1);
    if (result.kind === 'ssl_request') {
      // The greeting offers no CLIENT_SSL; a client asking anyway gets the connection closed.
      this.#ctx.fields['ssl_requested'] = true;
      return this.#close();
    }
    this.#record(result.response);
    const host = this.#ctx.srcIp ?? 'localhost';
    const withPassword = result.response.authResponse.length > 0;
    this.#ctx.send(accessDenied(packet.sequence + 1, result.response.user, host, withPassword));
    this.#close();
  }

  #record(response: HandshakeResponse): void {
    this.#ctx.credentials.push({ username: response.user, password: '' });
    Object.assign(this.#ctx.fields, {
      user: response.user,
      auth_plugin: response.plugin,
      auth_response: response.authResponse.subarray(0, MAX_AUTH_HEX_BYTES).toString('hex'),
      database: response.database,
      client_capabilities: response.capabilities,
      charset: response.charset,
      attrs: response.attrs,
    });
  }

  /** MySQL answers a handshake it cannot read with ER_HANDSHAKE_ERROR, then hangs up. */
  #badHandshake(reason: string, sequence: number): void {
    this.#ctx.malformed(reason === 'incomplete' ? 'response_too_long' : reason);
    this.#ctx.send(errPacket(sequence, ER_HANDSHAKE_ERROR, '08S01', 'Bad handshake'));
    this.#close();
  }

  #close(): void {
    this.#done = true;
    this.#ctx.end();
  }
}
