// One Redis connection, answered like Redis 6.0.16 (Ubuntu 22.04) with no password and
// protected mode off: each request parsed, recorded in `commands` and answered in order.
// 6.0 rather than 7.0 because 7.0 refuses CONFIG SET dir and MODULE LOAD by default.

import { type FrameMalformed, type FrameMessage, FrameSession } from '../framing.js';
import type { SessionContext } from '../types.js';
import { moduleExec } from './admin.js';
import { COMMANDS, type CommandSpec } from './commands.js';
import { MAX_BULK_BYTES, MAX_LINE_BYTES, parseRequest, type RequestResult } from './parse.js';
import { commandLine, error } from './resp.js';
import { own, RedisState } from './state.js';

/** Unparsed bytes one client may leave waiting; Redis closes such a client without a reply. */
export const MAX_QUERY_BUFFER_BYTES = 2 * MAX_BULK_BYTES + 2 * MAX_LINE_BYTES;
export const MAX_RECORDED_COMMANDS = 256;
/** Redis prints the first arguments of an unknown command up to this many characters. */
const UNKNOWN_ARGS_CHARS = 128;

const MODULE_COMMANDS: Record<string, CommandSpec> = {
  'system.exec': { arity: -2, run: moduleExec },
  'system.rev': { arity: -3, run: moduleExec },
};

/** processCommand's error for a name it does not know (Redis 6.0 server.c). */
function unknownCommand(args: readonly string[]): Buffer {
  let list = '';
  for (const arg of args.slice(1)) {
    if (list.length >= UNKNOWN_ARGS_CHARS) break;
    list += `\`${arg.slice(0, UNKNOWN_ARGS_CHARS - list.length)}\`, `;
  }
  const name = (args[0] ?? '').slice(0, UNKNOWN_ARGS_CHARS);
  return error(`ERR unknown command \`${name}\`, with args beginning with: ${list}`);
}

function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity > 0 ? argc === spec.arity : argc >= -spec.arity;
}

export class RedisSession extends FrameSession<RequestResult> {
  readonly #state: RedisState;
  #total = 0;

  constructor(ctx: SessionContext) {
    super(ctx, parseRequest);
    this.#state = new RedisState(ctx);
  }

  override data(chunk: Buffer): void {
    super.data(chunk);
    if (!this.closed && this.buffered > MAX_QUERY_BUFFER_BYTES) this.fail('query_buffer_limit');
  }

  /** Redis answers a protocol error with its text, then closes the client. */
  protected override malformed(bad: FrameMalformed<RequestResult>): void {
    this.ctx.malformed(bad.reason);
    if (bad.declared !== undefined) this.ctx.fields['declared_length'] = bad.declared;
    this.ctx.send(error(`ERR ${bad.reply}`));
    this.hangUp();
  }

  protected message(request: FrameMessage<RequestResult>): void {
    if (request.inline) this.ctx.fields['inline'] = true;
    if (request.args.length > 0) this.#run(request.args);
  }

  #run(raw: Buffer[]): void {
    this.#total++;
    this.ctx.fields['commands_total'] = this.#total;
    if (this.ctx.commands.length < MAX_RECORDED_COMMANDS) {
      this.ctx.commands.push(commandLine(raw));
    }
    const args = raw.map((a) => a.toString('latin1'));
    const name = (args[0] ?? '').toLowerCase();
    const spec = own(COMMANDS, name) ??
      (this.#state.modules.length > 0 ? own(MODULE_COMMANDS, name) : undefined);
    if (spec === undefined) return this.ctx.send(unknownCommand(args));
    if (!arityOk(spec, args.length)) {
      return this.ctx.send(error(`ERR wrong number of arguments for '${name}' command`));
    }
    const outcome = spec.run(this.#state, args, raw);
    if (Buffer.isBuffer(outcome)) return this.ctx.send(outcome);
    if (outcome.reply.length > 0) this.ctx.send(outcome.reply);
    this.hangUp();
  }
}
