// A pretend bash on a pretend Ubuntu 22.04 server: canned answers to what bots type after
// logging in. Pure: a line in, text out. Nothing is ever executed, fetched or written.

import { cannedFile, HOSTNAME, UNAME } from './shell-data.js';

/** Segments of one line answered at most; the rest of a long chain gets no output. */
const MAX_SEGMENTS = 32;
const MAX_OUTPUT_CHARS = 16 * 1024;

export interface ShellUser {
  name: string;
  uid: number;
  home: string;
}

export interface ShellAnswer {
  output: string;
  exitCode: number;
  /** The line asked the shell to end (`exit`, `logout`). */
  exit: boolean;
}

type Handler = (args: string[], user: ShellUser) => string | ShellAnswer;

const SILENT = ['cd', 'export', 'unset', 'chmod', 'chown', 'rm', 'mkdir', 'touch', 'history',
  'kill', 'pkill', 'killall', 'sleep', 'ulimit', 'cp', 'mv', 'ln', 'set', 'true', 'sync',
  'nohup', 'chattr', 'iptables', 'service', 'systemctl', 'crontab', 'passwd', 'unalias'];

function uname(args: string[]): string {
  const flag = args[0] ?? '-s';
  const parts: Record<string, string> = {
    '-a': `Linux ${HOSTNAME} ${UNAME.release} ${UNAME.version} x86_64 x86_64 x86_64 GNU/Linux`,
    '-r': UNAME.release, '-m': 'x86_64', '-p': 'x86_64', '-n': HOSTNAME, '-s': 'Linux',
    '-v': UNAME.version, '-o': 'GNU/Linux',
  };
  return `${parts[flag] ?? 'Linux'}\n`;
}

function id(_: string[], user: ShellUser): string {
  if (user.uid === 0) return 'uid=0(root) gid=0(root) groups=0(root)\n';
  const n = user.name;
  return `uid=${user.uid}(${n}) gid=${user.uid}(${n}) groups=${user.uid}(${n}),27(sudo)\n`;
}

function echo(args: string[]): string {
  let newline = true;
  let escapes = false;
  while (/^-[neE]+$/.test(args[0] ?? '')) {
    const flags = args.shift() ?? '';
    if (flags.includes('n')) newline = false;
    if (flags.includes('e')) escapes = true;
  }
  const text = args.join(' ');
  return (escapes ? unescapeEcho(text) : text) + (newline ? '\n' : '');
}

/** `echo -e` escapes, shown as the text they stand for; never interpreted further. */
function unescapeEcho(text: string): string {
  return text.replace(/\\x([0-9a-fA-F]{1,2})|\\([nt\\])/g, (_, hex: string, c: string) => {
    if (hex !== undefined) return String.fromCharCode(parseInt(hex, 16));
    return c === 'n' ? '\n' : c === 't' ? '\t' : '\\';
  });
}

function cat(args: string[]): ShellAnswer | string {
  const files = args.filter((a) => !a.startsWith('-'));
  let out = '';
  for (const file of files) {
    const text = cannedFile(file);
    out += text ?? `cat: ${file}: No such file or directory\n`;
    if (text === undefined) return { output: out, exitCode: 1, exit: false };
  }
  return out;
}

function download(tool: string): Handler {
  return (args) => {
    const url = args.find((a) => /^(https?|ftp):\/\//i.test(a)) ?? args[args.length - 1] ?? '';
    const host = /^[a-z]+:\/\/([^/:]+)/i.exec(url)?.[1] ?? url;
    if (tool === 'curl') {
      return { output: `curl: (7) Failed to connect to ${host} port 80 after 3 ms: ` +
        'Connection refused\n', exitCode: 7, exit: false };
    }
    const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ');
    return { output: `--${stamp}--  ${url}\nConnecting to ${host}:80... failed: ` +
      'Connection refused.\n', exitCode: 4, exit: false };
  };
}

const HANDLERS: Record<string, Handler> = {
  uname,
  id,
  echo,
  cat,
  whoami: (_, user) => `${user.name}\n`,
  hostname: () => `${HOSTNAME}\n`,
  pwd: (_, user) => `${user.home}\n`,
  nproc: () => '2\n',
  uptime: () => ' 14:02:11 up 41 days,  3:17,  1 user,  load average: 0.08, 0.03, 0.01\n',
  w: () => ' 14:02:11 up 41 days,  3:17,  1 user,  load average: 0.08, 0.03, 0.01\n',
  ls: (args) => (args.some((a) => a.startsWith('-') && a.includes('a'))
    ? '.  ..  .bash_history  .bashrc  .cache  .profile  .ssh\n' : ''),
  free: () => cannedFile('#free') ?? '',
  ps: () => cannedFile('#ps') ?? '',
  which: (args) => args.filter((a) => a in HANDLERS).map((a) => `/usr/bin/${a}\n`).join(''),
  wget: download('wget'),
  curl: download('curl'),
  exit: () => ({ output: '', exitCode: 0, exit: true }),
  logout: () => ({ output: '', exitCode: 0, exit: true }),
  ...Object.fromEntries(SILENT.map((name) => [name, () => ''])),
};

/** Splits a command into words, honouring single and double quotes. */
export function words(command: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"((?:\\.|[^"\\])*)"|(\S+)/g;
  for (const m of command.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Splits a line at `;`, `&&`, `||` and newlines (or, with `pipes`, at a lone `|`), outside
 * quotes. */
export function segments(line: string, pipes = false): string[] {
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < line.length && parts.length < MAX_SEGMENTS; i++) {
    const c = line[i] ?? '';
    if (quote !== '') {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    const width = separatorAt(line, i, pipes);
    if (width === 0) continue;
    parts.push(line.slice(start, i));
    start = i + width;
    i += width - 1;
  }
  if (parts.length < MAX_SEGMENTS) parts.push(line.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function separatorAt(line: string, i: number, pipes: boolean): number {
  const c = line[i];
  if (pipes) return c === '|' ? 1 : 0;
  const two = line.slice(i, i + 2);
  if (two === '&&' || two === '||') return 2;
  return c === ';' || c === '\n' ? 1 : 0;
}

/** What a pipe stage after the first does to the text it is given. */
function filter(stage: string, input: string): string {
  const [name = '', ...args] = words(stage);
  const lines = input === '' ? [] : input.replace(/\n$/, '').split('\n');
  const n = Number(/^-n?(\d+)$/.exec(args.join(''))?.[1] ?? 10);
  const pattern = args.find((a) => !a.startsWith('-')) ?? '';
  const keep = (found: string[]) => (found.length === 0 ? '' : `${found.join('\n')}\n`);
  if (name === 'grep') {
    const found = lines.filter((l) => l.includes(pattern) !== args.includes('-v'));
    return args.includes('-c') ? `${found.length}\n` : keep(found);
  }
  if (name === 'head') return keep(lines.slice(0, n));
  if (name === 'tail') return keep(lines.slice(-n));
  if (name === 'wc') return `${args.includes('-c') ? input.length : lines.length}\n`;
  return input;
}

function notFound(name: string, login: boolean): ShellAnswer {
  const where = login ? '-bash' : 'bash: line 1';
  if (name.includes('/')) {
    return { output: `${where}: ${name}: No such file or directory\n`, exitCode: 127,
      exit: false };
  }
  return { output: `${where}: ${name}: command not found\n`, exitCode: 127, exit: false };
}

function runCommand(segment: string, user: ShellUser, login: boolean): ShellAnswer {
  const argv = words(segment).filter((w) => !/^[A-Za-z_]\w*=/.test(w));
  while (argv[0] === 'sudo' || argv[0] === 'busybox' || argv[0] === 'nohup') argv.shift();
  const [name = '', ...args] = argv;
  if (name === '') return { output: '', exitCode: 0, exit: false };
  const handler = HANDLERS[name];
  if (handler === undefined) return notFound(name, login);
  const answer = handler(args, user);
  return typeof answer === 'string' ? { output: answer, exitCode: 0, exit: false } : answer;
}

function runOne(segment: string, user: ShellUser, login: boolean): ShellAnswer {
  const [first = '', ...rest] = segments(segment, true);
  const answer = runCommand(first, user, login);
  let output = answer.output;
  for (const stage of rest) output = filter(stage, output);
  return { ...answer, output };
}

/** Answers one typed line (`login` for an interactive shell, false for an exec request). */
export function answerLine(line: string, user: ShellUser, login: boolean): ShellAnswer {
  let output = '';
  let exitCode = 0;
  for (const segment of segments(line)) {
    const answer = runOne(segment, user, login);
    output += answer.output;
    exitCode = answer.exitCode;
    if (answer.exit) return { output: clip(output), exitCode, exit: true };
  }
  return { output: clip(output), exitCode, exit: false };
}

function clip(text: string): string {
  return text.length > MAX_OUTPUT_CHARS ? text.slice(0, MAX_OUTPUT_CHARS) : text;
}
