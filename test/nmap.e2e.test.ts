// End to end: Debian's `nmap -sV` against the sensor on the real port numbers, inside a
// network namespace this test creates (so ports like 21, 22 and 25 are ours to bind and the
// port-chosen greetings apply). Asserts that nmap names the product each emulation imitates;
// docs/nmap.md lists what it said, and is kept in step with EXPECTED below.

import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetnsPair, netnsSkipReason, type NetnsPair } from './helpers/netns.js';
import { startSensor, type RunningSensor } from './helpers/sensor.js';

const HOST = '127.0.5.1';
const HAS_NMAP = spawnSync('nmap', ['--version']).status === 0;
const SKIP = netnsSkipReason() ?? (HAS_NMAP ? undefined : 'the nmap command is missing');
const NMAP_TIMEOUT_MS = 240_000;
/** nmap must name at least this many products (issue 3). */
const MIN_NAMED = 8;

/** Port, service, and the product nmap must name there. */
const EXPECTED: readonly [port: number, service: string, product: RegExp][] = [
  [21, 'ftp', /^vsftpd 3\.0\.5/],
  [22, 'ssh', /^OpenSSH/],
  [23, 'telnet', /telnetd|BusyBox/i],
  [25, 'smtp', /^Postfix smtpd/],
  [80, 'http', /^(nginx|mini_httpd)/],
  [110, 'pop3', /^Dovecot pop3d/],
  [143, 'imap', /^Dovecot imapd/],
  [445, 'microsoft-ds', /Samba|Microsoft Windows/],
  [1433, 'ms-sql-s', /^Microsoft SQL Server/],
  [3306, 'mysql', /^MySQL/],
  [3389, 'ms-wbt-server', /Microsoft Terminal Service/],
  [5555, 'adb', /Android Debug Bridge/],
  [5900, 'vnc', /VNC/],
  [6379, 'redis', /^Redis key-value store/],
];
/** The emulations this file's author owns; each must be named. */
const REQUIRED = new Set([21, 25, 110, 143]);

interface NmapPort {
  port: number;
  service: string;
  product: string;
}

/** Reads `-oG -` output: "Ports: 21/open/tcp//ftp//vsftpd 3.0.5/, ...". */
function parseGrepable(text: string): NmapPort[] {
  const line = text.split('\n').find((l) => l.includes('Ports: ')) ?? '';
  const list = line.slice(line.indexOf('Ports: ') + 7).split('\t')[0] ?? '';
  return list.split(', ').map((item) => {
    const [port = '', , , , service = '', , product = ''] = item.split('/');
    return { port: Number(port), service, product };
  });
}

describe.skipIf(SKIP !== undefined)(`nmap -sV against the sensor (${SKIP ?? 'root, ip, nft'})`,
  () => {
    let pair: NetnsPair;
    let sensor: RunningSensor;
    let seen: NmapPort[] = [];

    beforeAll(async () => {
      pair = createNetnsPair('nm');
      const ports = EXPECTED.map(([port]) => `tcp:${port}`).join(',');
      sensor = await startSensor({ ports, listen: HOST, wrap: pair.exec(pair.sensor) });
      const [ip, ...inSensor] = pair.exec(pair.sensor);
      const { stdout } = await promisify(execFile)(ip, [...inSensor, 'nmap', '-sV', '-Pn', '-n',
        '--version-light', '-oG', '-', '-p', EXPECTED.map(([port]) => port).join(','), HOST],
      { timeout: NMAP_TIMEOUT_MS });
      seen = parseGrepable(stdout);
      console.info(seen.map((p) => `| ${p.port} | ${p.service} | ${p.product} |`).join('\n'));
    }, NMAP_TIMEOUT_MS + 30_000);

    afterAll(async () => {
      await sensor?.stop();
      pair?.destroy();
    });

    it(`names the imitated product on at least ${MIN_NAMED} ports`, () => {
      const named = EXPECTED.filter(([port, , product]) =>
        product.test(seen.find((p) => p.port === port)?.product ?? ''));
      expect(named.length, JSON.stringify(seen)).toBeGreaterThanOrEqual(MIN_NAMED);
    });

    it('names vsftpd, Postfix and Dovecot (POP3 and IMAP) on their ports', () => {
      for (const [port, , product] of EXPECTED.filter(([p]) => REQUIRED.has(p))) {
        expect(seen.find((p) => p.port === port)?.product, String(port)).toMatch(product);
      }
    });
  });
