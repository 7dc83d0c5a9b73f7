// Defanged renderings of indicators, safe to paste into reports and chats: no link a reader or
// a chat client would follow, nested ones (`?u=http://...`) and encoded ones (`%2F198.51...`)
// included. Pure text work; nothing is ever resolved or fetched.

import { bareHosts, isIpv4, isIpv6 } from './hosts.js';

/** Other schemes keep their name; only the host is bracketed. */
const SCHEMES: Record<string, string> = {
  http: 'hxxp', https: 'hxxps', ftp: 'fxp', tftp: 'tfxp', ldap: 'lxap', ldaps: 'lxaps',
};
/** A scheme and its authority wherever they start, so a URL nested in another's query is
 * found too. The scheme has no `+` or `.`, or `wget+http://` (form encoding) would be one. */
const URL_HEAD = /(?<![A-Za-z0-9])([A-Za-z][A-Za-z0-9]{0,15}):\/\/([^/?#\s'"<>`|;\\(){}]*)/g;
/** Runs that may be an IPv6 address: two colons at least, not inside a longer word. */
const IPV6_RUN = /(?<![0-9A-Za-z:.])(?=[0-9A-Fa-f.]{0,45}:[0-9A-Fa-f.]{0,45}:)[0-9A-Fa-f:.]{2,45}(?![0-9A-Za-z:])/g;
/** Dotted quads in any context (`Chrome/1.2.3.4` too): over-defanging a version is harmless. */
const IPV4_RUN = /(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![0-9]|\.[0-9])/g;
const PERCENT_ESCAPE = /%[0-9A-Fa-f]{2}/g;
/** `[2001[:]db8[:][:]1]:80`: a bracketed host, already defanged or not. */
const BRACKETED_HOST = /^\[((?:[^[\]]|\[[:.]\])*)\](.*)$/s;

/** A URL, domain or IP address defanged: `hxxp://198[.]51[.]100[.]7/a.sh`, `example[.]com`,
 * `2001[:]db8[:][:]1`, `[:][:]ffff[:]198[.]51[.]100[.]7`. Other text (a download command, a
 * URL's path and query) gets each URL and host inside it defanged. */
export function defang(value: string): string {
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIpv6(bare)) return bracket(bracket(value, ':'), '.');
  if (isIpv4(value) || /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.?$/.test(value)) {
    return bracket(value, '.');
  }
  return defangText(value);
}

/** Every `.` (or `:`) as `[.]`, leaving those already bracketed, so defanging is stable. */
function bracket(text: string, char: '.' | ':'): string {
  return text.replace(char === '.' ? /(?<!\[)\.(?!\])/g : /(?<!\[):(?!\])/g, `[${char}]`);
}

/** Schemes renamed (`http` → `hxxp`), then the hosts of every URL, IPv6 and IPv4 addresses
 * and domain names, each bracketed in place. */
function defangText(text: string): string {
  const urlsDone = text.replace(URL_HEAD, (_m, scheme: string, authority: string) =>
    `${SCHEMES[scheme.toLowerCase()] ?? scheme}://${defangAuthority(authority)}`);
  const v6Done = urlsDone.replace(IPV6_RUN, (run) =>
    isIpv6(run.replace(/\.$/, '')) ? bracket(bracket(run, ':'), '.') : run);
  return defangBareHosts(v6Done);
}

/** User info as written; every dot of the host (and every colon of a bracketed IPv6 host). */
function defangAuthority(authority: string): string {
  const at = authority.lastIndexOf('@');
  const hostPort = authority.slice(at + 1);
  const v6 = BRACKETED_HOST.exec(hostPort);
  const host = v6 === null ? bracket(hostPort, '.')
    : `[${bracket(bracket(v6[1] ?? '', ':'), '.')}]${v6[2] ?? ''}`;
  return authority.slice(0, at + 1) + host;
}

/** IPv4 addresses and domain names left in the text. Percent escapes are read as blanks, so
 * `%2F198.51.100.7` and `%2F%2Fexample.com` are found as a reader of the decoded text sees
 * them. */
function defangBareHosts(text: string): string {
  const masked = text.replace(PERCENT_ESCAPE, '   ');
  const spans: [number, number][] = [];
  for (const match of masked.matchAll(IPV4_RUN)) {
    if (isIpv4(match[0])) spans.push([match.index, match.index + match[0].length]);
  }
  for (const host of bareHosts(masked)) {
    if (host.kind === 'domain') spans.push([host.index, host.index + host.value.length]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let last = 0;
  for (const [start, end] of spans) {
    if (start < last) continue;
    out += text.slice(last, start) + bracket(text.slice(start, end), '.');
    last = end;
  }
  return out + text.slice(last);
}
