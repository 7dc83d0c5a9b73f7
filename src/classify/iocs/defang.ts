// Defanged renderings of indicators, safe to paste into reports and chats: no link a reader or
// a chat client would follow. Pure text work; nothing is ever resolved or fetched.

import { bareHosts, isIpv4, isIpv6 } from './hosts.js';

const SCHEMES: Record<string, string> = { http: 'hxxp', https: 'hxxps', ftp: 'fxp', tftp: 'tfxp' };
const URL_START = /^([a-z][a-z0-9+.-]*):\/\//i;
const URL_IN_TEXT = /(?<![A-Za-z0-9])(?:https?|tftp|ftp):\/\/[^\s'"<>`|;]+/gi;

/** A URL, domain or IP address defanged: `hxxp://198[.]51[.]100[.]7/a.sh`, `example[.]com`,
 * `2001[:]db8[:][:]1`. Other text (a download command) gets each URL and host inside it
 * defanged. */
export function defang(value: string): string {
  if (URL_START.test(value)) return defangUrl(value);
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  if (isIpv6(bare)) return bracket(value, ':');
  if (isIpv4(value) || /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.?$/.test(value)) {
    return bracket(value, '.');
  }
  return defangText(value);
}

/** Scheme `http` → `hxxp` (`ftp` → `fxp`), every dot or IPv6 colon of the host bracketed;
 * user info, path, query and fragment as written. */
function defangUrl(url: string): string {
  const scheme = URL_START.exec(url)?.[1] ?? '';
  const rest = url.slice(scheme.length + 3);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd < 0 ? rest : rest.slice(0, authorityEnd);
  const tail = authorityEnd < 0 ? '' : rest.slice(authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = authority.slice(0, at + 1);
  const hostPort = authority.slice(at + 1);
  const shownScheme = SCHEMES[scheme.toLowerCase()] ?? scheme;
  return `${shownScheme}://${userinfo}${defangHostPort(hostPort)}${tail}`;
}

function defangHostPort(hostPort: string): string {
  if (hostPort.startsWith('[')) {
    const end = hostPort.indexOf(']');
    if (end > 0) {
      return `[${bracket(hostPort.slice(1, end), ':')}]${hostPort.slice(end + 1)}`;
    }
  }
  return bracket(hostPort, '.');
}

/** Every `.` (or `:`) as `[.]`, leaving those already bracketed, so defanging is stable. */
function bracket(text: string, char: '.' | ':'): string {
  return text.replace(char === '.' ? /(?<!\[)\.(?!\])/g : /(?<!\[):(?!\])/g, `[${char}]`);
}

/** URLs, IPv4 addresses and domain names inside free text, each defanged in place. */
function defangText(text: string): string {
  const urlsDone = text.replace(URL_IN_TEXT, (url) => defangUrl(url));
  let out = '';
  let last = 0;
  for (const host of bareHosts(urlsDone)) {
    const end = host.index + host.value.length;
    out += urlsDone.slice(last, host.index) + urlsDone.slice(host.index, end).replace(/\./g, '[.]');
    last = end;
  }
  return out + urlsDone.slice(last);
}
