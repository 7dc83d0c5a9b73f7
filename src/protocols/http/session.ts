// One HTTP/1.x connection: parses each request head, records the first request's fields
// and answers the way a stock nginx 1.18.0 on Ubuntu 22.04 does (default page, 400 on junk).

import type { Session, SessionContext } from '../types.js';
import { parseRequestHead, type RequestHead } from './parse.js';

const SERVER = 'nginx/1.18.0 (Ubuntu)';
const MAX_FIELD_CHARS = 2048;
const MAX_RECORDED_HEADERS = 50;

const WELCOME = [
  '<!DOCTYPE html>', '<html>', '<head>', '<title>Welcome to nginx!</title>', '</head>',
  '<body>', '<h1>Welcome to nginx!</h1>',
  '<p>If you see this page, the nginx web server is successfully installed and',
  'working. Further configuration is required.</p>', '</body>', '</html>', '',
].join('\n');

const BAD_REQUEST = [
  '<html>', '<head><title>400 Bad Request</title></head>', '<body>',
  '<center><h1>400 Bad Request</h1></center>', `<hr><center>${SERVER}</center>`, '</body>',
  '</html>', '',
].join('\r\n');

function response(status: string, body: string, keepAlive: boolean): Buffer {
  const head = [
    `HTTP/1.1 ${status}`, `Server: ${SERVER}`, `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/html', `Content-Length: ${Buffer.byteLength(body)}`,
    `Connection: ${keepAlive ? 'keep-alive' : 'close'}`, '', '',
  ].join('\r\n');
  return Buffer.from(head + body, 'latin1');
}

function clip(text: string): string {
  return text.length > MAX_FIELD_CHARS ? text.slice(0, MAX_FIELD_CHARS) : text;
}

export class HttpSession implements Session {
  readonly #ctx: SessionContext;
  #buffer: Buffer = Buffer.alloc(0);
  #bodyToSkip = 0;
  #requests = 0;
  #closed = false;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  // The buffer stays bounded: parseRequestHead rejects a head past MAX_HEAD_BYTES.
  data(chunk: Buffer): void {
    if (this.#closed) return;
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    while (!this.#closed && this.#step()) { /* each step consumes one request */ }
  }

  #step(): boolean {
    if (this.#bodyToSkip > 0) {
      const skip = Math.min(this.#bodyToSkip, this.#buffer.length);
      this.#bodyToSkip -= skip;
      this.#buffer = this.#buffer.subarray(skip);
      if (this.#bodyToSkip > 0) return false;
    }
    const result = parseRequestHead(this.#buffer);
    if (result.kind === 'incomplete') return false;
    if (result.kind === 'malformed') {
      this.#ctx.malformed(result.reason);
      this.#ctx.send(response('400 Bad Request', BAD_REQUEST, false));
      this.#close();
      return false;
    }
    this.#answer(result.head);
    this.#buffer = this.#buffer.subarray(result.head.length);
    this.#bodyToSkip = result.head.bodyLength;
    return true;
  }

  #answer(head: RequestHead): void {
    this.#requests++;
    if (this.#requests === 1) this.#record(head);
    this.#ctx.fields['requests'] = this.#requests;
    const connection = head.headers.find(([n]) => n === 'connection')?.[1].toLowerCase();
    const keepAlive = head.version === 'HTTP/1.1' ? connection !== 'close'
      : connection === 'keep-alive';
    const body = head.method === 'HEAD' ? '' : WELCOME;
    this.#ctx.send(response('200 OK', body, keepAlive));
    if (!keepAlive) this.#close();
  }

  #record(head: RequestHead): void {
    const query = head.target.indexOf('?');
    const get = (name: string) => head.headers.find(([n]) => n === name)?.[1];
    Object.assign(this.#ctx.fields, {
      method: head.method,
      path: clip(query === -1 ? head.target : head.target.slice(0, query)),
      query: query === -1 ? '' : clip(head.target.slice(query + 1)),
      version: head.version,
      host: clip(get('host') ?? ''),
      user_agent: clip(get('user-agent') ?? ''),
      headers: head.headers.slice(0, MAX_RECORDED_HEADERS).map(([n, v]) => [clip(n), clip(v)]),
    });
  }

  #close(): void {
    this.#closed = true;
    this.#ctx.end();
  }
}
