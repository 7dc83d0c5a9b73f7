// Redis on any port: RESP arrays of bulk strings ("*3\r\n$3\r\nset\r\n...") or inline
// commands typed as a line ("config set dir /etc/cron.d"), both case-insensitive.

import { ascii, firstLine, PROBE_PARTIAL, startsWithFold } from '../probe-helpers.js';
import type { ProtocolDescriptor } from '../types.js';
import { RedisSession } from './session.js';

// An array whose first element is a bulk string (RESP2 and RESP3). The count may be absurd
// (`*2147483648`): the session answers that as Redis does, so the probe takes any 1-19 digits.
const RESP_ARRAY = /^\*-?\d{1,19}\r\n\$/;
const RESP_ARRAY_START = /^\*(-?\d{1,19}(\r(\n)?)?)?$/;
// A whole array header line on its own: nothing but RESP starts a line like this.
const RESP_ARRAY_LINE = /^\*-?\d{1,19}\r\n$/;
const OTHER_REQUEST_LINE = / (HTTP|RTSP|SIP)\/\d\.\d$/;

// Commands scanners and exploits send first; GET and SET also start HTTP requests and
// memcached commands, which their own probes claim more surely.
const INLINE_COMMANDS = [
  'PING', 'INFO', 'CONFIG', 'SET', 'GET', 'SLAVEOF', 'REPLICAOF', 'AUTH', 'FLUSHALL', 'FLUSHDB',
  'KEYS', 'SAVE', 'BGSAVE', 'MODULE', 'EVAL', 'DBSIZE', 'CLIENT', 'COMMAND', 'HELLO', 'MONITOR',
  'SCAN', 'SELECT', 'DEL', 'EXISTS', 'ECHO', 'TYPE', 'SYSTEM.EXEC', 'CLUSTER', 'ROLE', 'LASTSAVE',
  'SHUTDOWN', 'MIGRATE', 'DEBUG', 'SCRIPT', 'ACL', 'MEMORY', 'LATENCY', 'SLOWLOG', 'TIME',
].map(ascii);

function inlineScore(first: Buffer): number {
  for (const command of INLINE_COMMANDS) {
    if (!startsWithFold(first, command)) continue;
    const next = first[command.length];
    if (next !== 0x20 && next !== 0x0d && next !== 0x0a) continue;
    const line = firstLine(first) ?? '';
    return OTHER_REQUEST_LINE.test(line) ? 0 : 0.9;
  }
  return 0;
}

function probe(first: Buffer): number {
  if (first.length === 0) return 0;
  if (first[0] === 0x2a) {
    const head = first.toString('latin1', 0, 32);
    if (RESP_ARRAY.test(head)) return 0.95;
    if (RESP_ARRAY_LINE.test(head)) return 0.8;
    return RESP_ARRAY_START.test(head) ? PROBE_PARTIAL : 0;
  }
  return inlineScore(first);
}

export const redis: ProtocolDescriptor = {
  name: 'redis',
  transports: ['tcp'],
  ports: [6379, 6380],
  probe,
  session: (ctx) => new RedisSession(ctx),
};
