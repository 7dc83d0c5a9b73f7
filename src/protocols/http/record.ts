// What an HTTP request leaves in the event's `fields`: bounded strings, the body as text or
// base64 with its encoding named, Basic credentials. Pure helpers; documented in
// docs/protocols.md (## http).

import type { Credential } from '../../events/event.js';
import type { HttpRequest } from './persona.js';
import { header } from './persona.js';

export const MAX_FIELD_CHARS = 2048;
export const MAX_RECORDED_HEADERS = 50;
/** Body bytes copied into `fields` (the payload keeps the raw bytes anyway). */
export const MAX_RECORDED_BODY_BYTES = 16 * 1024;
const MAX_CREDENTIAL_CHARS = 256;

export interface BodyRecord {
  body: string;
  body_encoding: 'utf8' | 'base64';
  body_length: number;
  body_truncated?: true;
}

function clip(text: string, max = MAX_FIELD_CHARS): string {
  return text.length > max ? text.slice(0, max) : text;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Text is kept as text unless it holds control bytes other than tab, CR and LF.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function recordBody(body: Buffer, length: number): BodyRecord {
  const kept = body.subarray(0, MAX_RECORDED_BODY_BYTES);
  const cut = length > kept.length ? { body_truncated: true as const } : {};
  let text: string | null = null;
  try {
    text = utf8.decode(kept);
  } catch {
    text = null; // Not UTF-8 (or cut inside a character): kept as base64 below.
  }
  if (text !== null && !CONTROL.test(text)) {
    return { body: text, body_encoding: 'utf8', body_length: length, ...cut };
  }
  return { body: kept.toString('base64'), body_encoding: 'base64', body_length: length, ...cut };
}

export function recordHeaders(headers: [string, string][]): {
  headers: [string, string][]; headers_truncated?: true } {
  const kept = headers.slice(0, MAX_RECORDED_HEADERS).map(([n, v]) => [clip(n, 256), clip(v)]);
  const cut = headers.length > kept.length || headers.some(([n, v]) => n.length > 256 ||
    v.length > MAX_FIELD_CHARS);
  return { headers: kept as [string, string][], ...(cut ? { headers_truncated: true } : {}) };
}

/** The request's own fields: method, path, query, host, user agent, headers. */
export function recordRequest(req: HttpRequest): Record<string, unknown> {
  return {
    method: req.method,
    path: clip(req.path),
    query: clip(req.query),
    version: req.version,
    host: clip(header(req, 'host') ?? ''),
    user_agent: clip(header(req, 'user-agent') ?? ''),
    ...recordHeaders(req.headers),
  };
}

/** `Authorization: Basic` carries a username and password (RFC 7617). */
export function basicCredential(req: HttpRequest): Credential | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]{0,1024})\s*$/i.exec(header(req, 'authorization') ?? '');
  if (match === null) return undefined;
  const pair = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = pair.indexOf(':');
  if (colon === -1) return undefined;
  return { username: clip(pair.slice(0, colon), MAX_CREDENTIAL_CHARS),
    password: clip(pair.slice(colon + 1), MAX_CREDENTIAL_CHARS) };
}

export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  return q === -1 ? { path: target, query: '' }
    : { path: target.slice(0, q), query: target.slice(q + 1) };
}
