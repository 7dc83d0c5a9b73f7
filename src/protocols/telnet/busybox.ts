// A pretend BusyBox v1.19.4 ash on an ARM IP camera (HiSilicon Hi3518, Linux 3.0.8), the kind
// of device Mirai-family bots log in to: canned answers to what their loaders type. Pure: a
// line in, bytes out (latin1). Nothing is ever executed, fetched or written.

const MAX_SEGMENTS = 32;
const MAX_OUTPUT_CHARS = 16 * 1024;

export const BUSYBOX_BANNER =
  '\r\n\r\nBusyBox v1.19.4 (2014-03-10 17:41:58 CST) built-in shell (ash)\r\n' +
  "Enter 'help' for a list of built-in commands.\r\n\r\n";

const MOUNTS = [
  'rootfs / rootfs rw 0 0', '/dev/root / squashfs ro,relatime 0 0',
  'proc /proc proc rw,relatime 0 0', 'sysfs /sys sysfs rw,relatime 0 0',
  'tmpfs /dev tmpfs rw,relatime 0 0', 'tmpfs /tmp tmpfs rw,relatime 0 0',
  'devpts /dev/pts devpts rw,relatime,mode=600 0 0',
  '/dev/mtdblock3 /mnt/mtd jffs2 rw,relatime 0 0', '',
].join('\r\n');

const CPUINFO = [
  'Processor\t: ARM926EJ-S rev 5 (v5l)', 'BogoMIPS\t: 218.72',
  'Features\t: swp half thumb fastmult edsp java', 'CPU implementer\t: 0x41',
  'CPU architecture: 5TEJ', 'CPU variant\t: 0x0', 'CPU part\t: 0x926', 'CPU revision\t: 5', '',
  'Hardware\t: hi3518', 'Revision\t: 0000', 'Serial\t\t: 0000000000000000', '',
].join('\r\n');

const FILES: Record<string, string> = {
  '/proc/mounts': MOUNTS,
  '/proc/cpuinfo': CPUINFO,
  '/proc/version': 'Linux version 3.0.8 (root@localhost) (gcc version 4.4.1 (Hisilicon_v100' +
    '(gcc4.4-290+uclibc_0.9.32.1+eabi+linuxpthread)) ) #1 Wed Mar 26 11:04:55 CST 2014\r\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\r\n',
};

export interface AshAnswer {
  /** What the shell writes, CR LF line ends. */
  output: string;
  exit: boolean;
}

type Handler = (args: string[]) => string | AshAnswer;

const SILENT = ['cd', 'chmod', 'rm', 'mkdir', 'touch', 'export', 'kill', 'sleep', 'cp', 'mv',
  'history', 'ulimit', 'sync', 'true', 'ln', 'killall', 'mount', 'iptables'];

function echo(args: string[]): string {
  let newline = true;
  let escapes = false;
  while (/^-[neE]+$/.test(args[0] ?? '')) {
    const flags = args.shift() ?? '';
    newline &&= !flags.includes('n');
    escapes ||= flags.includes('e');
  }
  const text = args.join(' ');
  const shown = escapes ? text.replace(/\\x([0-9a-fA-F]{1,2})|\\([nrt\\])/g,
    (_, hex: string, c: string) => (hex !== undefined ? String.fromCharCode(parseInt(hex, 16))
      : ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[c] ?? '\\')) : text;
  return shown.replace(/\r?\n/g, '\r\n') + (newline ? '\r\n' : '');
}

function cat(args: string[]): string {
  return args.filter((a) => !a.startsWith('-')).map((file) => (Object.hasOwn(FILES, file)
    ? FILES[file] : `cat: can't open '${file}': No such file or directory\r\n`)).join('');
}

function download(tool: string): Handler {
  return (args) => {
    const url = args.find((a) => /^(https?|ftp):\/\//i.test(a));
    const host = /^[a-z]+:\/\/([^/:]+)/i.exec(url ?? '')?.[1] ?? args.find((a) =>
      /^\d{1,3}(\.\d{1,3}){3}$/.test(a)) ?? '';
    return tool === 'wget' ? `wget: can't connect to remote host (${host}): Connection refused\r\n`
      : `${tool}: timeout\r\n`;
  };
}

function busybox(args: string[]): string | AshAnswer {
  const [applet = '', ...rest] = args;
  if (applet === '') return 'BusyBox v1.19.4 (2014-03-10 17:41:58 CST) multi-call binary.\r\n';
  const handler = HANDLERS[applet];
  return handler === undefined ? `${applet}: applet not found\r\n` : handler(rest);
}

const HANDLERS: Record<string, Handler> = {
  echo,
  cat,
  busybox,
  // Mirai types a bare `sh` to leave a vendor CLI; with a script name ash looks for the file.
  sh: (args) => (args[0] === undefined ? '' : `sh: can't open '${args[0]}'\r\n`),
  wget: download('wget'),
  tftp: download('tftp'),
  ftpget: download('ftpget'),
  uname: (args) => (args.includes('-a')
    ? 'Linux (none) 3.0.8 #1 Wed Mar 26 11:04:55 CST 2014 armv5tejl GNU/Linux\r\n'
    : args.includes('-m') ? 'armv5tejl\r\n' : 'Linux\r\n'),
  ps: () => '  PID USER       VSZ STAT COMMAND\r\n    1 root      1520 S    init\r\n' +
    '  402 root      1524 S    telnetd\r\n  733 root      1532 S    -sh\r\n',
  ls: () => 'bin   dev   etc   home  lib   mnt   proc  root  sbin  sys   tmp   usr   var\r\n',
  id: () => 'uid=0(root) gid=0(root)\r\n',
  whoami: () => 'root\r\n',
  pwd: () => '/\r\n',
  exit: () => ({ output: '', exit: true }),
  logout: () => ({ output: '', exit: true }),
  ...Object.fromEntries(SILENT.map((name) => [name, () => ''])),
};

/** Splits a command into words, honouring single and double quotes. */
function words(command: string): string[] {
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  return [...command.matchAll(re)].map((m) => m[1] ?? m[2] ?? m[3] ?? '');
}

/** The commands of a line: split at `;`, `&&`, `||` and `|`, outside quotes. */
export function commandsOf(line: string): string[] {
  const parts = line.match(/(?:'[^']*'|"(?:\\.|[^"\\])*"|[^;&|'"]|(?<!&)&(?!&))+/g) ?? [];
  return parts.map((p) => p.trim()).filter((p) => p !== '').slice(0, MAX_SEGMENTS);
}

function runOne(command: string): AshAnswer {
  const [rawName = '', ...args] = words(command);
  const name = rawName === '/bin/busybox' ? 'busybox' : rawName;
  const handler = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
  if (handler === undefined) return { output: `-sh: ${rawName}: not found\r\n`, exit: false };
  const answer = handler(args);
  return typeof answer === 'string' ? { output: answer, exit: false } : answer;
}

/** Answers one line typed at the `# ` prompt. */
export function answerAsh(line: string): AshAnswer {
  let output = '';
  for (const command of commandsOf(line)) {
    const answer = runOne(command);
    output += answer.output;
    if (answer.exit) return { output: output.slice(0, MAX_OUTPUT_CHARS), exit: true };
  }
  return { output: output.slice(0, MAX_OUTPUT_CHARS), exit: false };
}
