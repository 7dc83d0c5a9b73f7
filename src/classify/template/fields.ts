// Skeletons of binary protocols from what their parsers recorded in `fields`: the parts that
// name a client or tool (versions, offered dialects and algorithms, fingerprints), never the
// host names, counters and tried user names that change between two runs of the same tool.

import { httpFieldsSkeleton } from './message.js';
import { escapeChar, maskText } from './mask.js';

type Fields = Record<string, unknown>;
/** The skeleton lines of one protocol, or null when its fields are missing. */
type Builder = (fields: Fields) => string[] | null;

/** Longest recorded text kept as it is (versions, fingerprints). */
const MAX_VALUE_CHARS = 256;
/** List items kept (dialects, OIDs, attributes). */
const MAX_ITEMS = 64;
/** MySQL connect attributes that differ on every connection of one client. */
const VOLATILE_ATTRS = new Set(['_pid', '_server_host', '_thread', '_client_host']);

function text(value: unknown): string {
  const raw = typeof value === 'string' ? value : JSON.stringify(value ?? null);
  let out = '';
  const n = Math.min(raw.length, MAX_VALUE_CHARS);
  for (let i = 0; i < n; i++) out += escapeChar(raw.charCodeAt(i));
  return out;
}

function items(value: unknown): unknown[] {
  return Array.isArray(value) ? value.slice(0, MAX_ITEMS) : [];
}

function has(fields: Fields, keys: readonly string[]): boolean {
  return keys.some((key) => fields[key] !== undefined);
}

/** `key:value` for each key present, values kept as they are. */
function kept(fields: Fields, keys: readonly string[]): string[] {
  return keys.filter((key) => fields[key] !== undefined)
    .map((key) => `${key}:${text(fields[key])}`);
}

/** `key:value` for each key present, values masked. */
function masked(fields: Fields, keys: readonly string[]): string[] {
  return keys.filter((key) => fields[key] !== undefined)
    .map((key) => `${key}:${maskText(text(fields[key]))}`);
}

/**
 * RDP's mstshash cookie is kept (masked): each tool sends its own fixed one (Administr, hello,
 * nmap), and the rules tell a login attempt from nmap by it, so it names the tool.
 */
const rdp: Builder = (f) => {
  if (!has(f, ['cookie', 'routing_token', 'requested_protocols'])) return null;
  return [`cookie:${typeof f['cookie'] === 'string' ? maskText(text(f['cookie'])) : 'none'}`,
    `token:${f['routing_token'] === undefined ? 'none' : '<id>'}`,
    ...kept(f, ['requested_protocols', 'negotiation_flags', 'next', 'client_build',
      'client_version'])];
};

const smb: Builder = (f) => (has(f, ['smb1_dialects', 'smb2_dialects'])
  ? kept(f, ['smb1_dialects', 'smb2_dialects', 'client_capabilities', 'security_mode',
    'next_command']) : null);

const tls: Builder = (f) => {
  const hello = f['tls'];
  if (typeof hello !== 'object' || hello === null) return null;
  const t = hello as Fields;
  const sni = typeof t['sni'] === 'string' && t['sni'] !== '' ? '<host>' : 'none';
  const lines = [...kept(t, ['format', t['ja4'] === undefined ? 'ja3_hash' : 'ja4']),
    `sni:${sni}`];
  const inner = f['inner'];
  if (typeof inner === 'object' && inner !== null) {
    const { protocol, fields } = inner as { protocol?: unknown; fields?: unknown };
    lines.push(`inner:${text(protocol)}`);
    if (protocol === 'http' && typeof fields === 'object' && fields !== null) {
      lines.push(httpFieldsSkeleton(fields as Fields));
    }
  }
  return lines;
};

const ssh: Builder = (f) => (has(f, ['client_version', 'hassh'])
  ? kept(f, ['client_version', 'hassh']) : null);

const mssql: Builder = (f) => (has(f, ['client_version', 'tds_version'])
  ? [...kept(f, ['client_version', 'encryption', 'tds_version', 'packet_size']),
    ...masked(f, ['instance', 'app_name', 'library', 'language'])] : null);

const mysql: Builder = (f) => {
  if (!has(f, ['auth_plugin', 'client_capabilities', 'attrs'])) return null;
  const attrs = typeof f['attrs'] === 'object' && f['attrs'] !== null ? f['attrs'] as Fields
    : {};
  return [...kept(f, ['auth_plugin', 'client_capabilities', 'charset', 'ssl_requested']),
    ...Object.keys(attrs).filter((key) => !VOLATILE_ATTRS.has(key)).slice(0, MAX_ITEMS)
      .map((key) => `attr:${text(key)}=${maskText(text(attrs[key]))}`)];
};

/** Shell commands come from `commands`; other services (`sync:`, `reboot:`) are named here. */
const adb: Builder = (f) => {
  if (!has(f, ['client_banner', 'services'])) return null;
  const services = items(f['services']).filter((s) => typeof s === 'string' &&
    !s.startsWith('shell') && !s.startsWith('exec:'));
  return [...masked(f, ['client_banner']), ...services.map((s) => `service:${maskText(text(s))}`)];
};

const dns: Builder = (f) => (has(f, ['qname'])
  ? [...masked(f, ['qname']), ...kept(f, ['qtype', 'qclass', 'opcode', 'edns'])] : null);

const ntp: Builder = (f) => (has(f, ['ntp_mode'])
  ? kept(f, ['ntp_mode', 'ntp_version', 'implementation', 'request_code']) : null);

const snmp: Builder = (f) => (has(f, ['pdu', 'snmp_version'])
  ? [...kept(f, ['snmp_version', 'pdu']), `community:${f['community'] === undefined ? 'none'
    : '<cred>'}`, ...items(f['oids']).map((oid) => `oid:${text(oid)}`)] : null);

const memcached: Builder = (f) => (has(f, ['command']) ? masked(f, ['command']) : null);

const coap: Builder = (f) => (has(f, ['coap_code'])
  ? [...kept(f, ['coap_type', 'coap_code']), ...masked(f, ['uri_path'])] : null);

/** Telnet's payload starts with the login and password: only options and commands count. */
const telnet: Builder = (f) => [`options:${items(f['options']).map(text).join(',')}`];

const BUILDERS: Record<string, Builder> = {
  rdp, smb, tls, ssh, mssql, mysql, adb, dns, ntp, snmp, memcached, coap, telnet,
};

/** Skeleton lines from `fields`, or null when the protocol has no builder or no fields. */
export function fieldsSkeleton(protocol: string, fields: Fields): string[] | null {
  return Object.hasOwn(BUILDERS, protocol) ? (BUILDERS[protocol] as Builder)(fields) : null;
}
