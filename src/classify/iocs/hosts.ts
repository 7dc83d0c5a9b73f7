// What counts as a host in attacker text: IPv4 and IPv6 literals, domain names whose suffix is
// an ICANN one (the public suffix list through `tldts`), and the bare ones found in free text.
// File names that look like domains (`mirai.sh`, `x.py`) and version strings are kept out here.

import { isIPv6 } from 'node:net';
import { parse } from 'tldts';
import { Budget } from './budget.js';

/** Longest DNS name (RFC 1035 section 2.3.4, without the final dot). */
export const MAX_HOST_CHARS = 253;
/** Dotted runs looked at in one text: bounds the work on 64 KiB of `1.2.3.4 `. */
export const MAX_RUNS_PER_TEXT = 1024;

/** Decimal octet without a leading zero: `01.02.03.04` is a version or a date, not an address. */
const OCTET = /^(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/** ICANN suffixes that are, in attack payloads, almost always file extensions:
 * `ISIS.sh`, `x.py`, `exploit.pl`, `a.zip`, `login.do`. A URL's host is never tested
 * against this list, only a bare name in text. */
const FILE_LIKE_SUFFIXES = new Set([
  'sh', 'py', 'pl', 'pm', 'so', 'ps', 'rs', 'md', 'zip', 'mov', 'run', 'cat', 'do', 'java', 'pid',
  'cab',
]);

export function isIpv4(text: string): boolean {
  const parts = text.split('.');
  return parts.length === 4 && parts.every((p) => OCTET.test(p));
}

export function isIpv6(text: string): boolean {
  return text.includes(':') && isIPv6(text);
}

/** Addresses that never name another machine: unspecified, loopback, broadcast. */
export function isUnroutable(ip: string): boolean {
  if (isIpv4(ip)) return /^(?:0|127)\./.test(ip) || ip === '255.255.255.255';
  const lower = ip.toLowerCase();
  return lower === '::' || lower === '::1';
}

/** A syntactically valid name under an ICANN public suffix, with a label of its own before it. */
export function isDomain(name: string): boolean {
  if (name.length > MAX_HOST_CHARS) return false;
  const lower = name.toLowerCase();
  const labels = lower.split('.');
  const tld = labels[labels.length - 1] ?? '';
  if (labels.length < 2 || !TLD.test(tld) || !labels.every((l) => LABEL.test(l))) return false;
  const info = parse(lower, { extractHostname: false, detectIp: false });
  return info.isIcann === true && info.domain !== null;
}

/** `example.com`, `192.0.2.1` or `2001:db8::1` (lowercase, without brackets or port), or null. */
export function hostKind(host: string): 'ipv4' | 'ipv6' | 'domain' | null {
  if (isIpv4(host)) return 'ipv4';
  if (isIpv6(host)) return 'ipv6';
  return isDomain(host) ? 'domain' : null;
}

/** The host of `host`, `host:port`, `[v6]:port` or a bare IPv6, lowercased; null if none. */
export function hostOf(authority: string): string | null {
  const text = authority.trim().toLowerCase();
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end > 1 ? text.slice(1, end) : null;
  }
  if (isIpv6(text)) return text;
  const host = text.replace(/:[0-9]*$/, '').replace(/\.$/, '');
  return host === '' ? null : host;
}

export interface BareHost {
  /** As found, lowercased for a domain. */
  value: string;
  kind: 'ipv4' | 'domain';
  /** Where it starts in the text; it is `value.length` long there. */
  index: number;
}

/** Runs of name characters with a dot; each is judged whole, so `1.2.3.4.5` or `v1.2.3.4`
 * never yield an address, and a long run costs one look. */
const NAME_RUN = /\b[A-Za-z0-9][A-Za-z0-9_-]*\.[A-Za-z0-9_.-]*/g;

/** IPv4 addresses and domain names standing alone in text (not inside a longer token). */
export function bareHosts(text: string, budget = new Budget(Infinity)): BareHost[] {
  const found: BareHost[] = [];
  let runs = 0;
  for (const match of text.matchAll(NAME_RUN)) {
    if (++runs > MAX_RUNS_PER_TEXT || !budget.take()) break;
    const run = match[0].endsWith('.') ? match[0].replace(/\.+$/, '') : match[0];
    if (run.length < 4 || run.length > MAX_HOST_CHARS || !run.includes('.')) continue;
    const start = match.index;
    const after = text.charAt(start + match[0].length);
    if (isIpv4(run)) {
      if (ipContextOk(text, start)) found.push({ value: run, kind: 'ipv4', index: start });
    } else if (domainContextOk(text, start, after) && isBareDomain(run)) {
      found.push({ value: run.toLowerCase(), kind: 'domain', index: start });
    }
  }
  return found;
}

/** `Chrome/120.0.0.0` and `/tmp/1.2.3.4` are not addresses; `//1.2.3.4`, `/dev/tcp/1.2.3.4`
 * and `\\1.2.3.4\share` are. `%201.2.3.4` is half an escape (its decoded layer has the real
 * address). */
function ipContextOk(text: string, start: number): boolean {
  const before = text.charAt(start - 1);
  if (before === '%' || before === '.' || before === '-') return false;
  if (before !== '/') return true;
  const head = text.slice(Math.max(0, start - 9), start);
  return head.endsWith('//') || /\/dev\/(?:tcp|udp)\/$/.test(head);
}

/** A name right after `/` is a path (`/tmp/x.sh`) unless after `//` (`ldap://host`), after
 * `$`, `%` or `\` part of something else, one followed by `(` a function call
 * (`requests.get(`), and one followed by `=` a key (`app.name=s:Workbench` in Niagara Fox). */
function domainContextOk(text: string, start: number, after: string): boolean {
  const before = start > 0 ? text.charAt(start - 1) : ' ';
  if (after === '(' || after === '@' || after === '=') return false;
  if (before === '/') return text.charAt(start - 2) === '/';
  return !'\\$%-.'.includes(before);
}

function isBareDomain(run: string): boolean {
  // Attackers write host names in lowercase; `System.Net` or `Math.Random` are code.
  if (run !== run.toLowerCase() && run !== run.toUpperCase()) return false;
  const lower = run.toLowerCase();
  const suffix = lower.slice(lower.lastIndexOf('.') + 1);
  return !FILE_LIKE_SUFFIXES.has(suffix) && isDomain(lower);
}

/** `\b` is the boundary of [A-Za-z0-9_], and much faster in V8 than the same lookbehind. */
const HASH = /\b[0-9a-fA-F]{32,64}\b/g;
const HASH_LENGTHS = new Set([32, 40, 64]);
/** HTTP and SIP digest authentication values are not file digests. */
const DIGEST_AUTH_CONTEXT = /(?:nonce|response|opaque|cnonce)\s*=\s*"?$/i;

/** MD5, SHA-1 and SHA-256 hex digests: one case, at least one digit and one letter. */
export function hashes(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(HASH)) {
    const hex = match[0];
    if (!HASH_LENGTHS.has(hex.length) || !/[0-9]/.test(hex) || !/[a-fA-F]/.test(hex)) continue;
    if (hex !== hex.toLowerCase() && hex !== hex.toUpperCase()) continue;
    if (DIGEST_AUTH_CONTEXT.test(text.slice(Math.max(0, match.index - 12), match.index))) continue;
    found.push(hex.toLowerCase());
  }
  return found;
}

const BRACKETED_V6 = /\[([0-9A-Fa-f:.]{2,45})\]/g;
/** A bare IPv6 address right after a verb that takes a host. */
const V6_AFTER_VERB =
  /\b(?:nc|ncat|telnet|ping6?|slaveof|replicaof|tftp|ftpget|connect)\s+(?:-\S+\s+){0,4}([0-9A-Fa-f:.]{2,45})(?![\w:.])/gi;

/** IPv6 addresses in clear address contexts: `[2001:db8::1]`, `nc 2001:db8::1 80`. */
export function ipv6Addresses(text: string): string[] {
  if (!text.includes(':')) return [];
  const found: string[] = [];
  for (const pattern of [BRACKETED_V6, V6_AFTER_VERB]) {
    for (const match of text.matchAll(pattern)) {
      const ip = match[1] ?? '';
      if ((ip.match(/:/g)?.length ?? 0) >= 2 && isIpv6(ip)) found.push(ip.toLowerCase());
    }
  }
  return found;
}
