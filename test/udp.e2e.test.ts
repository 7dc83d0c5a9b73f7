// End to end over UDP: Debian's `snmpget` and `svmap` (SIPVicious), hand-built DNS and NTP
// queries, and the corpus UDP records sent by `mitsu replay`, against the sensor on this
// file's own loopback address. Every answer must be no longer than its request.

import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MitsuEvent } from '../src/events/event.js';
import { exportEvents, ROOT, runCli, startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.5.1';
const PORTS = { dns: 53, ntp: 123, snmp: 161, ssdp: 1900, sip: 5060, coap: 5683,
  memcached: 11211 };
const HAS_SNMPGET = spawnSync('snmpget', ['--version']).status === 0;
const HAS_SVMAP = spawnSync('svmap', ['--help']).status === 0;
const CLIENT_TIMEOUT_MS = 20_000;
const REPLY_WAIT_MS = 2_000;

/** Sends one datagram and resolves with the first answer, or null after REPLY_WAIT_MS. */
function exchange(port: number, request: Buffer): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => { socket.close(); resolve(null); }, REPLY_WAIT_MS);
    socket.on('message', (msg) => { clearTimeout(timer); socket.close(); resolve(msg); });
    socket.send(request, port, HOST);
  });
}

/** A recursive A query for example.com with an EDNS0 OPT record, as dig sends it. */
function dnsQuery(): Buffer {
  const name = Buffer.from('\x07example\x03com\x00', 'latin1');
  return Buffer.concat([Buffer.from([0xbe, 0xef, 0x01, 0x20, 0, 1, 0, 0, 0, 0, 0, 1]), name,
    Buffer.from([0, 1, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0])]);
}

describe('UDP clients against the UDP answers', () => {
  let sensor: RunningSensor;
  let events: MitsuEvent[] = [];
  let snmpOut = '';
  let svmapOut = '';
  let dnsReply: Buffer | null = null;
  let ntpReply: Buffer | null = null;
  let replayCode: number | null = null;

  beforeAll(async () => {
    const ports = Object.values(PORTS).map((p) => `udp:${p}`).join(',');
    sensor = await startSensor({ ports, listen: HOST });
    dnsReply = await exchange(PORTS.dns, dnsQuery());
    const ntp = Buffer.alloc(48);
    ntp[0] = (4 << 3) | 3;
    ntpReply = await exchange(PORTS.ntp, ntp);
    if (HAS_SNMPGET) {
      snmpOut = spawnSync('snmpget', ['-v2c', '-c', 'public', '-t', '2', '-r', '0',
        `${HOST}:${PORTS.snmp}`, '1.3.6.1.2.1.1.1.0'],
      { encoding: 'utf8', timeout: CLIENT_TIMEOUT_MS }).stdout;
    }
    if (HAS_SVMAP) {
      svmapOut = spawnSync('svmap', [HOST, '-p', String(PORTS.sip)],
        { encoding: 'utf8', timeout: CLIENT_TIMEOUT_MS }).stdout;
    }
    const corpus = readFileSync(join(ROOT, 'test/fixtures/corpus/attacks.jsonl'), 'utf8')
      .split('\n').filter((l) => l.includes('"transport":"udp"'));
    const file = join(sensor.dir, 'udp.jsonl');
    writeFileSync(file, `${corpus.join('\n')}\n`);
    replayCode = runCli(['replay', file, '--host', HOST]).code;
    await sensor.stop();
    events = exportEvents(sensor.db).filter((e) => e.transport === 'udp');
  }, 120_000);

  afterAll(async () => {
    await sensor?.stop();
  });

  function on(port: number): MitsuEvent[] {
    return events.filter((e) => e.dst_port === port);
  }

  it('refuses a recursive DNS query as BIND does and records the question', () => {
    expect(dnsReply?.readUInt16BE(0)).toBe(0xbeef);
    expect((dnsReply?.[3] ?? 0) & 0x0f).toBe(5);
    expect(on(PORTS.dns)[0]?.fields).toMatchObject({ qname: 'example.com', qtype: 1 });
  });

  it('answers an NTP client request with a 48-byte server reply', () => {
    expect(ntpReply).toHaveLength(48);
    expect((ntpReply?.[0] ?? 0) & 0x07).toBe(4);
  });

  it.skipIf(!HAS_SNMPGET)('answers snmpget for community public (needs snmpget)', () => {
    expect(snmpOut).toMatch(/(iso\.3\.6\.1\.2\.1\.1\.1\.0|sysDescr\.0) = /);
    expect(on(PORTS.snmp)[0]?.fields).toMatchObject({ snmp_version: '2c', community: 'public',
      pdu: 'get', oids: ['1.3.6.1.2.1.1.1.0'] });
  });

  it.skipIf(!HAS_SVMAP)('shows svmap the FreePBX user agent and records the scanner '
    + '(needs sipvicious)', () => {
    expect(svmapOut).toContain('FPBX-16.0.40.7(18.20.0)');
    expect(on(PORTS.sip)[0]?.fields).toMatchObject({ method: 'OPTIONS',
      user_agent: 'friendly-scanner', scanner: true });
  });

  it('records the corpus UDP records under their protocols', () => {
    expect(replayCode).toBe(0);
    expect(on(PORTS.ntp).some((e) => e.fields['ntp_mode'] === 7)).toBe(true);
    expect(on(PORTS.ssdp)[0]).toMatchObject({ protocol: 'ssdp', fields: { method: 'M-SEARCH' } });
  });

  it('never sent more bytes than it received', () => {
    expect(events.length).toBeGreaterThanOrEqual(5);
    for (const event of events) {
      expect(event.bytes_out, `${event.protocol} ${event.dst_port}`)
        .toBeLessThanOrEqual(event.bytes_in);
    }
    expect(events.filter((e) => e.bytes_out > 0).length).toBeGreaterThanOrEqual(4);
  });
});
