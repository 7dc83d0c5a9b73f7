// Canned text of the pretend server: an Ubuntu 22.04.4 LTS guest with two vCPUs, as
// `uname`, /proc and /etc show it on a small cloud VM. Data only.

export const HOSTNAME = 'server';

export const UNAME = {
  release: '5.15.0-105-generic',
  version: '#115-Ubuntu SMP Mon Apr 15 09:52:04 UTC 2024',
};

const CPU = [
  ['processor', '0'], ['vendor_id', 'GenuineIntel'], ['cpu family', '6'], ['model', '85'],
  ['model name', 'Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz'], ['stepping', '7'],
  ['microcode', '0x5003604'], ['cpu MHz', '2499.998'], ['cache size', '36608 KB'],
  ['physical id', '0'], ['siblings', '2'], ['core id', '0'], ['cpu cores', '1'],
  ['fpu', 'yes'], ['bogomips', '4999.99'],
];

function cpuinfo(): string {
  const block = (n: number) => CPU.map(([k = '', v = '']) =>
    `${k}\t: ${k === 'processor' ? n : v}`).join('\n');
  return `${block(0)}\n\n${block(1)}\n\n`;
}

const FILES: Record<string, string> = {
  '/proc/cpuinfo': cpuinfo(),
  '/proc/version': 'Linux version 5.15.0-105-generic (buildd@lcy02-amd64-007) (gcc (Ubuntu ' +
    '11.4.0-1ubuntu1~22.04) 11.4.0, GNU ld (GNU Binutils for Ubuntu) 2.38) #115-Ubuntu SMP ' +
    'Mon Apr 15 09:52:04 UTC 2024\n',
  '/etc/issue': 'Ubuntu 22.04.4 LTS \\n \\l\n\n',
  '/etc/hostname': `${HOSTNAME}\n`,
  '/etc/os-release': [
    'PRETTY_NAME="Ubuntu 22.04.4 LTS"', 'NAME="Ubuntu"', 'VERSION_ID="22.04"',
    'VERSION="22.04.4 LTS (Jammy Jellyfish)"', 'VERSION_CODENAME=jammy', 'ID=ubuntu',
    'ID_LIKE=debian', '',
  ].join('\n'),
  '/etc/passwd': [
    'root:x:0:0:root:/root:/bin/bash', 'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
    'bin:x:2:2:bin:/bin:/usr/sbin/nologin', 'sys:x:3:3:sys:/dev:/usr/sbin/nologin',
    'sshd:x:110:65534::/run/sshd:/usr/sbin/nologin',
    'ubuntu:x:1000:1000:Ubuntu:/home/ubuntu:/bin/bash', '',
  ].join('\n'),
  '#free': [
    '               total        used        free      shared  buff/cache   available',
    'Mem:            3924         512        2318           1        1093        3162',
    'Swap:              0           0           0', '',
  ].join('\n'),
  '#ps': [
    '    PID TTY          TIME CMD', '   1812 pts/0    00:00:00 bash',
    '   1838 pts/0    00:00:00 ps', '',
  ].join('\n'),
};

/** The canned text of a file, or undefined when the pretend server has no such file. */
export function cannedFile(path: string): string | undefined {
  return Object.hasOwn(FILES, path) ? FILES[path] : undefined;
}
