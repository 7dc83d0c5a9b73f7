// One raw-TCP JSON-RPC connection: each request line answered in the envelope its sender
// expects (Geth's {"jsonrpc":"2.0",...} or Stratum's {"id",...,"error":null}), each method
// and its parameters recorded in `commands`, logins in `credentials`.

import { type FrameMalformed, type FrameMessage, FrameSession } from '../framing.js';
import type { SessionContext } from '../types.js';
import { loginOf, METHODS, notFound, type Answer } from './methods.js';
import { type LineResult, readLine, type RpcRequest } from './parse.js';

export const MAX_RECORDED_COMMANDS = 256;
export const MAX_COMMAND_CHARS = 512;
const MAX_RECORDED_METHODS = 32;
const MAX_CREDENTIAL_CHARS = 256;

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

/** Parameters as JSON text; nesting too deep to print (a stack overflow) is named instead. */
function printable(params: unknown): string {
  try {
    return JSON.stringify(params ?? null).slice(0, MAX_COMMAND_CHARS);
  } catch {
    // JSON.parse accepts nesting deeper than JSON.stringify can walk back; say so, go on.
    return '(params nested too deeply to print)';
  }
}

/** The id echoed back: JSON-RPC allows numbers, strings and null; anything else is null. */
function idOf(id: unknown): unknown {
  return typeof id === 'number' || typeof id === 'string' ? id : null;
}

function envelope(req: RpcRequest, answer: Answer): unknown {
  const id = idOf(req.id);
  if (req.v2) {
    return answer.error === undefined ? { jsonrpc: '2.0', id, result: answer.result ?? null }
      : { jsonrpc: '2.0', id, error: answer.error };
  }
  // Stratum V1 errors are [code, message, traceback] (slush pool's protocol description).
  const error = answer.error === undefined ? null
    : [answer.error.code, answer.error.message, null];
  return { id, result: answer.result ?? null, error };
}

export class JsonRpcSession extends FrameSession<LineResult> {
  constructor(ctx: SessionContext) {
    super(ctx, readLine);
  }

  /** Answers one line's requests. */
  protected message(line: FrameMessage<LineResult>): void {
    const replies = line.requests.map((req) => this.#answer(req));
    const sent = replies.filter((r) => r.body !== undefined).map((r) => r.body);
    if (sent.length > 0) this.#line(line.batch ? sent : sent[0]);
    for (const note of replies.flatMap((r) => r.answer.then ?? [])) this.#line(note);
    if (replies.some((r) => r.answer.close === true)) this.hangUp();
  }

  /** Geth answers a line it cannot parse with -32700 and drops the connection. */
  protected override malformed({ reason }: FrameMalformed<LineResult>): void {
    this.ctx.malformed(reason);
    const code = reason === 'invalid_request' ? -32600 : -32700;
    const message = reason === 'invalid_request' ? 'invalid request' : 'parse error';
    this.#line({ jsonrpc: '2.0', id: null, error: { code, message } });
    this.hangUp();
  }

  #answer(req: RpcRequest): { answer: Answer; body: unknown } {
    const params = Array.isArray(req.params) ? req.params : [];
    this.#record(req, params);
    const method = Object.hasOwn(METHODS, req.method) ? METHODS[req.method] : undefined;
    const answer = method === undefined ? notFound(req.method) : method(params);
    const silent = req.id === undefined || (answer.result === undefined &&
      answer.error === undefined);
    return { answer, body: silent ? undefined : envelope(req, answer) };
  }

  #record(req: RpcRequest, params: unknown[]): void {
    const method = clip(req.method, MAX_COMMAND_CHARS);
    const methods = (this.ctx.fields['methods'] ??= []) as string[];
    if (!methods.includes(method) && methods.length < MAX_RECORDED_METHODS) methods.push(method);
    if (this.ctx.commands.length < MAX_RECORDED_COMMANDS) {
      const args = printable(req.params);
      this.ctx.commands.push(clip(`${method} ${args}`, MAX_COMMAND_CHARS));
    }
    const login = loginOf(req.method, params);
    if (login !== null) {
      this.ctx.credentials.push({ username: clip(login.username, MAX_CREDENTIAL_CHARS),
        password: clip(login.password, MAX_CREDENTIAL_CHARS) });
    }
  }

  #line(value: unknown): void {
    this.ctx.send(Buffer.from(`${JSON.stringify(value)}\n`, 'utf8'));
  }
}
