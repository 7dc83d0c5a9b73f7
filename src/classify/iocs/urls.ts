// URLs in attacker text (http, https, ftp, tftp, and JNDI's ldap, rmi, dns): where one ends,
// whether its host is real, and which raw URLs are only a decoded one plus an encoded
// separator.

import { Budget } from './budget.js';
import { hostKind, hostOf } from './hosts.js';

/** Longest URL kept; a longer run is cut here (and usually fails the host check). */
export const MAX_URL_CHARS = 2048;
/** URL candidates looked at in one text: bounds the work on a text that repeats `http://`. */
export const MAX_URLS_PER_TEXT = 256;

export interface FoundUrl {
  url: string;
  /** Lowercase host without brackets or port. */
  host: string;
  kind: 'ipv4' | 'ipv6' | 'domain';
  /** Followed by `$`: the rest is an unexpanded shell variable (`http://x/line-auth/$nam`). */
  open?: boolean;
}

/** RFC 3986 characters less those that end a shell word or a quoted string in payloads:
 * quotes, `;`, `$`, `(`, `)`, backquote, `<`, `>`, `|`, `\`, `{`, `}`, whitespace. Besides the
 * download schemes, those a Log4j JNDI lookup reaches out with (`${jndi:ldap://...}`). */
const URL_RUN =
  /(?<![A-Za-z0-9])(?:https?|tftp|ftp|ldaps?|rmi|dns|iiop):\/\/[A-Za-z0-9\-._~:/?#[\]@!*+,=%&]{1,2048}/gi;
const TRAILING_PUNCTUATION = /[.,:;!?*'")\]]+$/;

/** Every URL in the text with a valid host, in order of appearance. */
export function findUrls(text: string, budget = new Budget(Infinity)): FoundUrl[] {
  if (!text.includes('://')) return [];
  const found: FoundUrl[] = [];
  let candidates = 0;
  for (const match of text.matchAll(URL_RUN)) {
    if (++candidates > MAX_URLS_PER_TEXT || !budget.take()) break;
    const trimmed = trimUrl(match[0]);
    const url = checkUrl(trimmed);
    if (url === null) continue;
    const next = text.charAt(match.index + match[0].length);
    found.push(trimmed === match[0] && next === '$' ? { ...url, open: true } : url);
  }
  return found;
}

/** Cuts a candidate at `&&` (a shell list, not a query) and drops trailing punctuation,
 * keeping the `]` of a bracketed IPv6 host. */
function trimUrl(candidate: string): string {
  const list = candidate.indexOf('&&');
  let url = list < 0 ? candidate : candidate.slice(0, list);
  const trailing = TRAILING_PUNCTUATION.exec(url);
  if (trailing !== null) {
    url = url.slice(0, trailing.index);
    const keep = trailing[0].match(/^[^\]]*\]/)?.[0] ?? '';
    if (keep !== '' && url.includes('[') && !url.includes(']')) url += keep;
  }
  return url;
}

/** The URL with its host, when the host is an address or an ICANN domain and `URL` parses it. */
export function checkUrl(url: string): FoundUrl | null {
  const rest = url.slice(url.indexOf('://') + 3);
  const authority = rest.split(/[/?#]/, 1)[0] ?? '';
  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  const port = /\]?:([^:\]]*)$/.exec(hostPort)?.[1];
  if (port !== undefined && port !== '' && !(/^[0-9]{1,5}$/.test(port) && Number(port) < 65536)) {
    return null;
  }
  const host = hostOf(hostPort);
  if (host === null) return null;
  if (hostPort.startsWith('[') !== host.includes(':')) return null;
  const kind = hostKind(host);
  if (kind === null || !URL.canParse(url)) return null;
  return { url, host, kind };
}

/** A separator written encoded: `+` or `%20` (form encoding), tab, CR, LF, `;`, `|`, `&`,
 * quotes, backquote. */
const ENCODED_SEPARATOR = /^(?:\+|%(?:20|09|0[aAdD]|3[bB]|7[cC]|26|27|22|60))/;

/** The URLs to report: without a raw URL that is another one plus an encoded separator
 * (`http://192.0.2.1/Mozi.m+-O+/tmp/x` beside `http://192.0.2.1/Mozi.m` from the decoded
 * layer), nor a URL cut at a shell variable that a decoded layer gave whole. */
export function finalUrls(urls: readonly string[], open: ReadonlySet<string>): string[] {
  return urls.filter((url) => !urls.some((other) => other !== url && (
    (url.startsWith(other) && ENCODED_SEPARATOR.test(url.slice(other.length)))
    || (open.has(url) && other.startsWith(url)))));
}
