// Server administration commands (CONFIG, CLIENT, MODULE, SHUTDOWN) with Redis 6.0.16's
// replies. CONFIG SET only remembers values; MODULE LOAD only records the path.

import { array, bulk, error, integer, nil, ok, type Reply } from './resp.js';
import { globMatch, own, type Outcome, type RedisState } from './state.js';

type Handler = (s: RedisState, args: string[], raw: Buffer[]) => Outcome;

/** addReplySubcommandSyntaxError in Redis 6.0 networking.c. */
export function subcommandError(sub: string, command: string): Reply {
  return error(`ERR Unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. ` +
    `Try ${command} HELP.`);
}

function configGet(s: RedisState, pattern: string): Reply {
  const pairs: string[] = [];
  for (const [name, value] of s.config) {
    if (globMatch(pattern, name, true)) pairs.push(name, value);
  }
  return array(pairs);
}

function configSet(s: RedisState, name: string, value: string): Reply {
  const key = name.toLowerCase();
  if (!s.config.has(key)) {
    return error(`ERR Unsupported CONFIG parameter: ${name.slice(0, 128)}`);
  }
  s.config.set(key, value);
  s.noteConfig(key, value);
  return ok();
}

function config(s: RedisState, args: string[]): Reply {
  const sub = (args[1] ?? '').toLowerCase();
  if (sub === 'get' && args.length === 3) return configGet(s, args[2] ?? '');
  if (sub === 'set' && args.length === 4) return configSet(s, args[2] ?? '', args[3] ?? '');
  if ((sub === 'resetstat' || sub === 'rewrite') && args.length === 2) return ok();
  return subcommandError(args[1] ?? '', 'CONFIG');
}

function clientList(s: RedisState): Reply {
  return bulk(`id=${7 + (s.ctx.dstPort % 50)} addr=127.0.0.1:0 fd=8 name= age=0 idle=0 ` +
    'flags=N db=0 sub=0 psub=0 multi=-1 qbuf=26 qbuf-free=32742 argv-mem=10 obl=0 oll=0 ' +
    'omem=0 tot-mem=61466 events=r cmd=client user=default\n');
}

const CLIENT_SUBCOMMANDS: Record<string, (s: RedisState, args: string[]) => Reply> = {
  list: clientList,
  info: clientList,
  id: (s) => integer(7 + (s.ctx.dstPort % 50)),
  getname: () => nil(),
  setname: (_s, a) => (a.length === 3 ? ok() : subcommandError('setname', 'CLIENT')),
  kill: () => error('ERR No such client'),
  reply: () => ok(),
};

function client(s: RedisState, args: string[]): Reply {
  const run = own(CLIENT_SUBCOMMANDS, (args[1] ?? '').toLowerCase());
  return run === undefined ? subcommandError(args[1] ?? '', 'CLIENT') : run(s, args);
}

/** MODULE LOAD answers +OK so the rogue-master chain goes on to the module's commands. */
function moduleCommand(s: RedisState, args: string[]): Reply {
  const sub = (args[1] ?? '').toLowerCase();
  if (sub === 'load' && args.length >= 3) {
    s.noteModule(args[2] ?? '');
    s.modules.push('system');
    return ok();
  }
  if (sub === 'list' && args.length === 2) {
    return array(s.modules.slice(0, 1).map((name) => array(['name', name, 'ver', integer(1)])));
  }
  if (sub === 'unload' && args.length === 3) {
    if (!s.modules.includes(args[2] ?? '')) {
      return error('ERR Error unloading module: no such module with that name');
    }
    s.modules = [];
    return ok();
  }
  return subcommandError(args[1] ?? '', 'MODULE');
}

/** SHUTDOWN: a real server exits and the client sees the connection close, no reply. */
function shutdown(): Outcome {
  return { reply: Buffer.alloc(0), close: true };
}

export const adminCommands: Record<string, { arity: number; run: Handler }> = {
  config: { arity: -2, run: config },
  client: { arity: -2, run: client },
  module: { arity: -2, run: moduleCommand },
  shutdown: { arity: -1, run: shutdown },
};

/** Canned output of the commands bots run through a loaded module's system.exec. */
const EXEC_OUTPUT: Record<string, string> = {
  id: 'uid=113(redis) gid=119(redis) groups=119(redis)\n',
  whoami: 'redis\n',
  'uname -a': 'Linux redis01 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 ' +
    'x86_64 x86_64 x86_64 GNU/Linux\n',
  pwd: '/var/lib/redis\n',
};

/** system.exec / system.rev from the RedisModules-ExecuteCommand module: recorded, never run. */
export function moduleExec(_s: RedisState, args: string[]): Reply {
  return bulk(own(EXEC_OUTPUT, (args[1] ?? '').trim()) ?? '');
}
