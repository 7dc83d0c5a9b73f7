// The command table: name, arity (Redis' convention: exact when positive, at least -n when
// negative) and handler. Replies are Redis 6.0.16's; nothing is saved, fetched or loaded.

import { infoText } from './info.js';
import { array, bulk, error, integer, nil, ok, simple, type Reply } from './resp.js';
import { globMatch, own, type Outcome, type RedisState } from './state.js';
import { adminCommands, subcommandError } from './admin.js';

export type Handler = (s: RedisState, args: string[], raw: Buffer[]) => Outcome;
export interface CommandSpec { arity: number; run: Handler }

const MAX_KEYS_REPLY = 1000;

/** Redis 6.0's reply to AUTH when requirepass is empty (ACL default user, nopass). */
export const AUTH_NO_PASSWORD = 'ERR AUTH <password> called without any password configured ' +
  'for the default user. Are you sure your configuration is correct?';

function auth(s: RedisState, args: string[]): Reply {
  const [username, password] = args.length === 3 ? [args[1] ?? '', args[2] ?? '']
    : ['default', args[1] ?? ''];
  s.ctx.credentials.push({ username, password });
  return args.length === 3 ? error('WRONGPASS invalid username-password pair')
    : error(AUTH_NO_PASSWORD);
}

function replicaOf(s: RedisState, args: string[]): Reply {
  const [host = '', port = ''] = args.slice(1);
  if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') {
    s.role = 'master';
    return ok();
  }
  const n = Number(port);
  if (!/^\d{1,10}$/.test(port) || n > 65_535) {
    return error('ERR value is not an integer or out of range');
  }
  s.role = 'slave';
  s.masterHost = host;
  s.masterPort = n;
  s.ctx.fields['replicaof'] = `${host.slice(0, 255)}:${n}`;
  return ok();
}

function keys(s: RedisState, args: string[]): Reply {
  const names = [...s.store.keys()].filter((k) => globMatch(args[1] ?? '', k));
  return array(names.slice(0, MAX_KEYS_REPLY));
}

function get(s: RedisState, args: string[]): Reply {
  const value = s.store.get(args[1] ?? '');
  return value === undefined ? nil() : bulk(value);
}

function scan(s: RedisState): Reply {
  return array(['0', array([...s.store.keys()].slice(0, MAX_KEYS_REPLY))]);
}

function bgsave(s: RedisState): Reply {
  s.lastSaveMs = Date.now();
  return simple('Background saving started');
}

function del(s: RedisState, args: string[]): Reply {
  return integer(args.slice(1).filter((k) => s.delete(k)).length);
}

function select(_s: RedisState, args: string[]): Reply {
  const n = Number(args[1]);
  if (!/^-?\d+$/.test(args[1] ?? '')) return error('ERR value is not an integer or out of range');
  return n >= 0 && n < 16 ? ok() : error('ERR DB index is out of range');
}

function quit(): Outcome {
  return { reply: ok(), close: true };
}

/** The Lua script is recorded, never run; a script that returns nothing answers nil. */
function evalScript(_s: RedisState, args: string[]): Reply {
  const numkeys = Number(args[2]);
  if (!/^-?\d+$/.test(args[2] ?? '')) return error('ERR value is not an integer or out of range');
  if (numkeys > args.length - 3) {
    return error("ERR Number of keys can't be greater than number of args");
  }
  return numkeys < 0 ? error("ERR Number of keys can't be negative") : nil();
}

function role(s: RedisState): Reply {
  if (s.role === 'master') return array(['master', integer(0), array([])]);
  return array(['slave', s.masterHost, integer(s.masterPort), 'connect', integer(-1)]);
}

function time(): Reply {
  const now = Date.now();
  return array([String(Math.floor(now / 1000)), String((now % 1000) * 1000)]);
}

function infoState(s: RedisState) {
  return { port: s.ctx.dstPort, keys: s.store.size, role: s.role, masterHost: s.masterHost,
    masterPort: s.masterPort, lastSaveMs: s.lastSaveMs };
}

const dataCommands: Record<string, CommandSpec> = {
  ping: { arity: -1, run: (_s, a) => (a.length > 1 ? bulk(a[1] ?? '') : simple('PONG')) },
  echo: { arity: 2, run: (_s, a) => bulk(a[1] ?? '') },
  info: { arity: -1, run: (s, a) => bulk(infoText(infoState(s), a[1])) },
  auth: { arity: -2, run: auth },
  quit: { arity: 1, run: quit },
  select: { arity: 2, run: select },
  set: { arity: -3, run: (s, a, raw) => (s.set(a[1] ?? '', raw[2] ?? Buffer.alloc(0)), ok()) },
  get: { arity: 2, run: get },
  del: { arity: -2, run: del },
  unlink: { arity: -2, run: del },
  exists: { arity: -2, run: (s, a) => integer(a.slice(1).filter((k) => s.store.has(k)).length) },
  type: { arity: 2, run: (s, a) => simple(s.store.has(a[1] ?? '') ? 'string' : 'none') },
  keys: { arity: 2, run: keys },
  scan: { arity: -2, run: scan },
  dbsize: { arity: 1, run: (s) => integer(s.store.size) },
  flushall: { arity: -1, run: (s) => (s.flush(), ok()) },
  flushdb: { arity: -1, run: (s) => (s.flush(), ok()) },
  save: { arity: 1, run: (s) => ((s.lastSaveMs = Date.now()), ok()) },
  bgsave: { arity: -1, run: bgsave },
  lastsave: { arity: 1, run: (s) => integer(Math.floor(s.lastSaveMs / 1000)) },
  slaveof: { arity: 3, run: replicaOf },
  replicaof: { arity: 3, run: replicaOf },
  role: { arity: 1, run: role },
  eval: { arity: -3, run: evalScript },
  evalsha: { arity: -3, run: () => error('NOSCRIPT No matching script. Please use EVAL.') },
  time: { arity: 1, run: time },
};

/** One COMMAND entry in Redis 6.0's shape: name, arity, flags, key positions, ACL categories. */
function commandEntry(name: string, spec: CommandSpec): Reply {
  const keyed = own(KEYED, name) === true;
  return array([name, integer(spec.arity), array([simple(keyed ? 'write' : 'fast')]),
    integer(keyed ? 1 : 0), integer(keyed ? 1 : 0), integer(keyed ? 1 : 0),
    array([simple(keyed ? '@keyspace' : '@connection')])]);
}

const KEYED: Record<string, true> = { set: true, get: true, del: true, unlink: true,
  exists: true, type: true };

function command(_s: RedisState, args: string[]): Reply {
  const sub = (args[1] ?? '').toLowerCase();
  const entries = Object.entries(COMMANDS);
  if (args.length === 1) return array(entries.map(([n, spec]) => commandEntry(n, spec)));
  if (sub === 'count' && args.length === 2) return integer(entries.length);
  if (sub === 'info') {
    return array(args.slice(2).map((n) => {
      const spec = own(COMMANDS, n.toLowerCase());
      return spec === undefined ? nil() : commandEntry(n.toLowerCase(), spec);
    }));
  }
  return subcommandError(args[1] ?? '', 'COMMAND');
}

export const COMMANDS: Record<string, CommandSpec> = {
  ...dataCommands, ...adminCommands, command: { arity: -1, run: command },
};
