// What a persona is: one real HTTP product and version, the ports it answers on, and its
// replies. Personas are data for the session; they never execute, fetch or store anything.

import type { Credential } from '../../events/event.js';

/** One parsed request, as a persona sees it. Strings are latin1 views of the wire bytes. */
export interface HttpRequest {
  method: string;
  /** The request target before `?` (not decoded). */
  path: string;
  query: string;
  version: string;
  /** Lowercase names, in wire order. */
  headers: [string, string][];
  /** The body as received (at most MAX_BUFFERED_BODY_BYTES). */
  body: Buffer;
}

export interface HttpReply {
  status: number;
  /** Headers after the status line; the session adds Date, Content-Length and Connection. */
  headers: [string, string][];
  body: string | Buffer;
}

/** What a persona may record besides the request itself. */
export interface PersonaRecorder {
  credential(credential: Credential): void;
  command(command: string): void;
  /** Persona-specific details for this request's record (JSON data, bounded by the caller). */
  note(key: string, value: unknown): void;
}

export interface Persona {
  /** Short id recorded as `fields.persona`. */
  readonly name: string;
  /** The real product and version imitated, for docs and tests. */
  readonly product: string;
  readonly ports: readonly number[];
  /** Takes a request on another port when its bytes clearly belong to this product. */
  claims?(req: HttpRequest): boolean;
  respond(req: HttpRequest, rec: PersonaRecorder): HttpReply;
}

export const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 301: 'Moved Permanently', 302: 'Found',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
  405: 'Method Not Allowed', 408: 'Request Time-out', 413: 'Request Entity Too Large',
  415: 'Unsupported Media Type', 431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
};

export function header(req: HttpRequest, name: string): string | undefined {
  return req.headers.find(([n]) => n === name)?.[1];
}

/** A JSON reply; `extra` headers come first, as the imitated server orders them. */
export function jsonReply(status: number, value: unknown, extra: [string, string][] = [],
  type = 'application/json'): HttpReply {
  return { status, headers: [...extra, ['Content-Type', type]], body: JSON.stringify(value) };
}

/** Escapes text for HTML; personas never put request bytes in a page without it. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The request path with the API version prefix Docker and others accept (`/v1.41/...`). */
export function stripVersion(path: string): string {
  return path.replace(/^\/v\d+(\.\d+)?(?=\/)/, '');
}
