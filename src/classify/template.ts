// Templates: payloads that differ only in their variable parts (ids, nonces, hosts, addresses,
// random names, times) share one id, the hash of a masked skeleton of the event. Text protocols
// are masked token by token, binary ones described by what their parsers recorded.

import { createHash } from 'node:crypto';

import type { MitsuEvent } from '../events/event.js';
import { fieldsSkeleton } from './template/fields.js';
import { linesSkeleton } from './template/lines.js';
import { maskText } from './template/mask.js';
import { messagesSkeleton } from './template/message.js';
import { smbCommandsLine } from './template/smb-frames.js';

export type TemplateInput = Pick<MitsuEvent, 'protocol' | 'transport' | 'payload_b64' |
  'fields' | 'commands'> & Partial<Pick<MitsuEvent, 'credentials'>>;

/** Payload bytes read for a skeleton; what follows rarely tells two tools apart. */
export const MAX_SCAN_BYTES = 16 * 1024;
/** A skeleton is cut here (hex escapes of binary bytes can make it longer than the bytes). */
export const MAX_SKELETON_CHARS = 32 * 1024;
/** Commands appended, at most, and characters read of each (the sensor keeps up to 2048). */
const MAX_COMMANDS = 64;
const MAX_COMMAND_CHARS = 2048;
/** Printable strings of a binary payload: at least this long, at most this many. */
const MIN_STRING_BYTES = 4;
const MAX_STRINGS = 64;
/** Hex digits of the SHA-256 kept in an id (60 bits). */
const ID_HEX_DIGITS = 15;

/** Header-framed messages: start line, headers, body. */
const MESSAGE_PROTOCOLS = new Set(['http', 'sip', 'ssdp', 'rtsp']);
/** Protocols read line by line. */
const LINE_PROTOCOLS = new Set(['ftp', 'smtp', 'pop3', 'imap', 'redis', 'jsonrpc']);

/** `t` and 15 hex digits, or null when the event has neither payload nor commands. */
export function templateOf(event: TemplateInput, tagIds: readonly string[] = []): string | null {
  const skeleton = templateSkeleton(event);
  if (skeleton === null) return null;
  // The tags are part of the id: masking cannot know every name a rule keys on (mirai.sh,
  // x86, pma2019), and one template must stand for payloads that all say the same.
  const tags = [...new Set(tagIds)].sort().join(',');
  const hash = createHash('sha256').update(skeleton).update(`\ntags:${tags}`);
  return `t${hash.digest('hex').slice(0, ID_HEX_DIGITS)}`;
}

/** The normalised text a template id hashes: what stays once the variable parts are masked. */
export function templateSkeleton(event: TemplateInput): string | null {
  const b64 = typeof event.payload_b64 === 'string' ? event.payload_b64 : '';
  const commands = Array.isArray(event.commands) ? event.commands : [];
  if (b64.length === 0 && commands.length === 0) return null;
  const fields = typeof event.fields === 'object' && event.fields !== null ? event.fields : {};
  const payload = decodeHead(b64);
  const parts = [`${maskText(String(event.protocol))}/${String(event.transport)}`];
  const malformed = fields['malformed_reason'];
  if (typeof malformed === 'string') parts.push(`malformed:${maskText(malformed)}`);
  const text = payload.toString('latin1');
  if (payload.length > 0 && MESSAGE_PROTOCOLS.has(event.protocol)) {
    parts.push(messagesSkeleton(text));
  } else if (payload.length > 0 && LINE_PROTOCOLS.has(event.protocol)) {
    parts.push(linesSkeleton(text, event.protocol));
  } else {
    parts.push(...fieldsSkeleton(event.protocol, fields) ?? binarySkeleton(payload, b64));
    const smb = event.protocol === 'smb' ? smbCommandsLine(payload) : null;
    const auth = authSkeleton(event, fields);
    for (const line of [smb, auth]) if (line !== null) parts.push(line);
    if (commands.length > 0) parts.push(commandsSkeleton(commands));
  }
  const skeleton = parts.join('\n');
  return skeleton.length > MAX_SKELETON_CHARS ? skeleton.slice(0, MAX_SKELETON_CHARS) : skeleton;
}

/**
 * The commands, masked as one text so that a file fetched by one (`wget http://h/x.sh`) is
 * masked where the next runs it (`sh x.sh`); each line shown after `$ `.
 */
function commandsSkeleton(commands: unknown[]): string {
  const text = commands.slice(0, MAX_COMMANDS)
    .map((command) => String(command).slice(0, MAX_COMMAND_CHARS)).join('\n');
  return maskText(text).split('\n').map((line) => `$ ${line}`).join('\n');
}

/**
 * How a binary protocol's client tried to log in, never with what: a login attempt and a bare
 * handshake of one tool are two templates (rules tell them apart), two user names are one.
 * Line protocols show their USER and PASS lines, masked, already.
 */
function authSkeleton(event: TemplateInput, fields: Record<string, unknown>): string | null {
  const kinds: string[] = [];
  if (Array.isArray(event.credentials) && event.credentials.length > 0) kinds.push('user');
  const keys = fields['public_keys'];
  if (Array.isArray(keys) && keys.length > 0) kinds.push('key');
  return kinds.length === 0 ? null : `auth:${kinds.join(',')}`;
}

/** The first MAX_SCAN_BYTES of a base64 payload, without decoding the rest. */
function decodeHead(b64: string): Buffer {
  const chars = Math.ceil(MAX_SCAN_BYTES / 3) * 4;
  return Buffer.from(b64.length > chars ? b64.slice(0, chars) : b64, 'base64');
}

/** Bytes a base64 text decodes to. */
function decodedLength(b64: string): number {
  const padding = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor(b64.length / 4) * 3 - padding;
}

/** The payload's length and its printable strings, masked. */
function binarySkeleton(payload: Buffer, b64: string): string[] {
  const lines = [`len:${decodedLength(b64)}`];
  let start = -1;
  for (let i = 0; i <= payload.length && lines.length <= MAX_STRINGS; i++) {
    const byte = i < payload.length ? payload[i] as number : 0;
    const printable = byte >= 0x20 && byte < 0x7f;
    if (printable && start < 0) start = i;
    if (printable || start < 0) continue;
    if (i - start >= MIN_STRING_BYTES) lines.push(maskText(payload.toString('latin1', start, i)));
    start = -1;
  }
  return lines;
}
