// One HTTP/1.x connection: reads each request (head, then a Content-Length or chunked body),
// records it, and answers with the port's persona (personas/). Errors are answered the way
// nginx 1.18.0 does: 400 on junk, 413 on a large body, silence after client_header_timeout.
// A request the client leaves mid-head or mid-body is still recorded with the bytes that came.

import type { Session, SessionContext } from '../types.js';
import { MAX_BUFFERED_BODY_BYTES, parseChunked, parsePartialHead, parseRequestHead,
  type RequestFields, type RequestHead } from './parse.js';
import { STATUS_TEXT, type HttpReply, type HttpRequest, type PersonaRecorder } from
  './persona.js';
import { nginxError } from './personas/nginx.js';
import { personaFor } from './personas/index.js';
import { basicCredential, recordBody, recordRequest, splitTarget } from './record.js';

/** A whole head must arrive within this (nginx client_header_timeout is 60 s): slowloris. */
export const HEAD_DEADLINE_MS = 30_000;
/** Requests of one keep-alive connection recorded in `fields.requests` (from the second on). */
export const MAX_RECORDED_REQUESTS = 16;
/** Characters of JSON all recorded requests may take; later ones keep only their line. */
export const MAX_RECORDED_CHARS = 64 * 1024;
export const MAX_COMMANDS = 64;
/** Raw chunked bytes held while a body completes: sizes and extensions on top of the data. */
const MAX_CHUNKED_RAW_BYTES = 2 * MAX_BUFFERED_BODY_BYTES;

/** nginx's answer and the reason recorded for each way a request can break. */
const FAILURES: Readonly<Record<string, [number, string]>> = {
  header_too_large: [400, 'Request Header Or Cookie Too Large'],
  body_too_large: [413, 'Request Entity Too Large'],
  bad_transfer_encoding: [501, 'Not Implemented'],
};

export interface HttpSessionOptions {
  headDeadlineMs?: number;
}

type Body = { kind: 'length'; left: number; parts: Buffer[]; kept: number; length: number }
  | { kind: 'chunked' };

export class HttpSession implements Session {
  readonly #ctx: SessionContext;
  readonly #deadlineMs: number;
  readonly #records: Record<string, unknown>[] = [];
  #buffer: Buffer = Buffer.alloc(0);
  #head: RequestHead | null = null;
  #body: Body | null = null;
  #timer: NodeJS.Timeout | null = null;
  #count = 0;
  #recordedChars = 0;
  #closed = false;

  constructor(ctx: SessionContext, options: HttpSessionOptions = {}) {
    this.#ctx = ctx;
    this.#deadlineMs = options.headDeadlineMs ?? HEAD_DEADLINE_MS;
  }

  // The buffer stays bounded: heads by MAX_HEAD_BYTES, bodies by MAX_BUFFERED_BODY_BYTES.
  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (!this.#closed && this.#step()) { /* each step consumes one head or body */ }
    if (!this.#closed && this.#head === null && this.#buffer.length > 0) this.#armDeadline();
  }

  close(): void {
    this.#clearDeadline();
    if (!this.#closed && this.#head !== null) this.#recordCutBody(this.#head);
    else if (!this.#closed && this.#buffer.length > 0) this.#recordPartial('incomplete');
    this.#closed = true;
  }

  #step(): boolean {
    if (this.#head === null) return this.#readHead();
    if (this.#body?.kind === 'chunked') return this.#readChunked(this.#head);
    return this.#readLength(this.#head);
  }

  #readHead(): boolean {
    const result = parseRequestHead(this.#buffer);
    if (result.kind === 'incomplete') return false;
    this.#clearDeadline();
    if (result.kind === 'malformed') {
      if (result.reason === 'header_too_large') this.#recordPartial(result.reason);
      if (result.head !== undefined) this.#recordRefused(result.head);
      this.#fail(result.reason);
      return false;
    }
    const head = result.head;
    this.#buffer = this.#buffer.subarray(head.length);
    this.#head = head;
    if (head.body.kind === 'chunked') this.#body = { kind: 'chunked' };
    if (head.body.kind === 'length') {
      const length = head.body.bytes;
      this.#body = { kind: 'length', left: length, parts: [], kept: 0, length };
    }
    return true;
  }

  #readLength(head: RequestHead): boolean {
    const body = this.#body;
    if (body === null || body.kind !== 'length') return this.#finish(head, Buffer.alloc(0), 0);
    const take = Math.min(body.left, this.#buffer.length);
    const keep = Math.min(take, MAX_BUFFERED_BODY_BYTES - body.kept);
    if (keep > 0) body.parts.push(this.#buffer.subarray(0, keep));
    body.kept += keep;
    body.left -= take;
    this.#buffer = this.#buffer.subarray(take);
    if (body.left > 0) return false;
    return this.#finish(head, Buffer.concat(body.parts), body.length);
  }

  #readChunked(head: RequestHead): boolean {
    const result = parseChunked(this.#buffer);
    if (result.kind === 'incomplete' && this.#buffer.length <= MAX_CHUNKED_RAW_BYTES) {
      return false;
    }
    if (result.kind !== 'message') {
      this.#publish(this.#record(this.#request(head, Buffer.alloc(0)), this.#buffer.length));
      this.#fail(result.kind === 'malformed' ? result.reason : 'body_too_large');
      return false;
    }
    this.#buffer = this.#buffer.subarray(result.length);
    return this.#finish(head, result.body, result.body.length);
  }

  #request(head: RequestFields, body: Buffer): HttpRequest {
    const { path, query } = splitTarget(head.target);
    return { method: head.method, path, query, version: head.version, headers: head.headers,
      body };
  }

  #finish(head: RequestHead, body: Buffer, length: number): boolean {
    this.#head = null;
    this.#body = null;
    const req = this.#request(head, body);
    const record = this.#record(req, length);
    const persona = personaFor(this.#ctx.dstPort, req);
    record['persona'] = persona.name;
    const reply = persona.respond(req, this.#recorder(record));
    record['status'] = reply.status;
    this.#publish(record);
    const keepAlive = this.#keepAlive(head);
    this.#ctx.send(encodeReply(reply, keepAlive, head.method === 'HEAD'));
    if (!keepAlive) this.#end();
    return keepAlive;
  }

  #keepAlive(head: RequestHead): boolean {
    const connection = head.headers.find(([n]) => n === 'connection')?.[1].toLowerCase();
    return head.version === 'HTTP/1.1' ? connection !== 'close' : connection === 'keep-alive';
  }

  /** Adds one request to `fields`; the first one's keys also sit at the top level. */
  #record(req: HttpRequest, bodyLength: number): Record<string, unknown> {
    this.#count++;
    this.#ctx.fields['request_count'] = this.#count;
    const credential = basicCredential(req);
    if (credential !== undefined) this.#ctx.credentials.push(credential);
    const record = { ...recordRequest(req),
      ...(bodyLength > 0 ? recordBody(req.body, bodyLength) : {}) };
    this.#keep(record);
    return record;
  }

  /** The first request's record also fills the top level; `requests` appears from the second. */
  #publish(record: Record<string, unknown>): void {
    if (this.#records[0] === record) Object.assign(this.#ctx.fields, record);
    if (this.#records.length > 1) this.#ctx.fields['requests'] = this.#records;
  }

  #keep(record: Record<string, unknown>): void {
    const requests = this.#records;
    if (requests.length >= MAX_RECORDED_REQUESTS) {
      this.#ctx.fields['requests_truncated'] = true;
      return;
    }
    this.#recordedChars += JSON.stringify(record).length;
    if (this.#recordedChars > MAX_RECORDED_CHARS) {
      this.#ctx.fields['requests_truncated'] = true;
      requests.push({ method: record['method'], path: String(record['path']).slice(0, 256) });
      return;
    }
    requests.push(record);
  }

  #recorder(record: Record<string, unknown>): PersonaRecorder {
    return {
      credential: (c) => this.#ctx.credentials.push(c),
      command: (c) => {
        if (this.#ctx.commands.length < MAX_COMMANDS) this.#ctx.commands.push(c);
      },
      note: (key, value) => {
        record[key] = value;
      },
    };
  }

  /** What arrived of a head that never completed, with why it stopped. */
  #recordPartial(reason: string): void {
    const partial = parsePartialHead(this.#buffer);
    const line = /^(\S{1,20}) (\S{1,8192})(?: (\S{1,16}))?$/.exec(partial.requestLine ?? '');
    const { path, query } = splitTarget(line?.[2] ?? '');
    const req: HttpRequest = { method: line?.[1] ?? '', path, query, version: line?.[3] ?? '',
      headers: partial.headers, body: Buffer.alloc(0) };
    const record = this.#record(req, 0);
    record['incomplete'] = reason;
    this.#publish(record);
  }

  /**
   * A whole head refused for its framing (an unreadable, conflicting or too large
   * Content-Length, an unknown transfer coding): nginx answers before any handler runs, so no
   * persona reads it, but its path and headers are kept for signatures to match.
   */
  #recordRefused(fields: RequestFields): void {
    this.#publish(this.#record(this.#request(fields, Buffer.alloc(0)), 0));
  }

  /**
   * A whole head whose body the client never finished (a Content-Length larger than what it
   * sent, a chunked body without its last chunk). The request is recorded as if it had ended
   * with the bytes that came, and the persona reads it for commands and credentials; its reply
   * is dropped, as there is no one left to send it to.
   */
  #recordCutBody(head: RequestHead): void {
    const { bytes, length } = this.#receivedBody();
    const req = this.#request(head, bytes);
    const record = this.#record(req, length);
    const persona = personaFor(this.#ctx.dstPort, req);
    record['persona'] = persona.name;
    persona.respond(req, this.#recorder(record));
    record['incomplete'] = 'body_incomplete';
    this.#publish(record);
  }

  /** The body bytes kept so far and how many arrived (decoded, for chunked). */
  #receivedBody(): { bytes: Buffer; length: number } {
    const body = this.#body;
    if (body?.kind === 'length') {
      return { bytes: Buffer.concat(body.parts), length: body.length - body.left };
    }
    const result = parseChunked(this.#buffer);
    if (result.kind !== 'incomplete') return { bytes: Buffer.alloc(0), length: 0 };
    const bytes = Buffer.concat(result.received);
    return { bytes, length: bytes.length };
  }

  #fail(reason: string): void {
    this.#ctx.malformed(reason);
    const [status, text] = FAILURES[reason] ?? [400, 'Bad Request'];
    this.#ctx.send(encodeReply(nginxError(status, text), false, false, text));
    this.#end();
  }

  #armDeadline(): void {
    if (this.#timer !== null) return;
    this.#timer = setTimeout(() => this.#onDeadline(), this.#deadlineMs);
    this.#timer.unref();
  }

  #clearDeadline(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  // nginx closes without a reply when client_header_timeout expires (it logs 408).
  #onDeadline(): void {
    this.#timer = null;
    if (this.#closed) return;
    this.#recordPartial('head_timeout');
    this.#ctx.malformed('head_timeout');
    this.#end();
  }

  #end(): void {
    this.#closed = true;
    this.#clearDeadline();
    this.#ctx.end();
  }
}

/** Status line, the persona's headers with Date after Server, then length and connection. */
export function encodeReply(reply: HttpReply, keepAlive: boolean, headOnly: boolean,
  text = STATUS_TEXT[reply.status] ?? 'Unknown'): Buffer {
  const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
  const lines = [`HTTP/1.1 ${reply.status} ${text}`];
  const date = `Date: ${new Date().toUTCString()}`;
  let dated = false;
  for (const [name, value] of reply.headers) {
    lines.push(`${name}: ${value}`);
    if (name === 'Server') {
      lines.push(date);
      dated = true;
    }
  }
  if (!dated) lines.push(date);
  if (reply.status !== 204) lines.push(`Content-Length: ${body.length}`);
  lines.push(`Connection: ${keepAlive ? 'keep-alive' : 'close'}`, '', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  return headOnly || reply.status === 204 ? head : Buffer.concat([head, body]);
}
