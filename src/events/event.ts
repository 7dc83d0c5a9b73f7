// The shape of one recorded event: one TCP connection or one UDP exchange.
// Every part of Mitsu (sensor, classifier, stores, reports) relies on this shape;
// docs/events.md documents each field and a test keeps the two in step.

import type { EventName } from './catalogue.js';

export type Transport = 'tcp' | 'udp';

export type Intent = 'scan' | 'brute-force' | 'exploit' | 'malware-download' | 'other';

/** Why a connection ended, as seen by the sensor. */
export type CloseReason =
  | 'client_closed'
  | 'idle_timeout'
  | 'session_timeout'
  | 'limit'
  | 'shutdown'
  | 'error'
  | 'protocol_close'
  | 'window';

export interface Tag {
  id: string;
  name: string;
  intent: Intent;
  cve: string[];
}

/** Indicators found in a payload, its commands and their decoded layers, as written
 * (defanged only when displayed). The sensor never fetches any of them. */
export interface Iocs {
  urls: string[];
  ips: string[];
  domains: string[];
  /** Download commands (`wget`, `curl`, `tftp`, `busybox`...), one shell command each. */
  downloads: string[];
  /** Names of files a payload fetches or writes. */
  files: string[];
  /** MD5, SHA-1 or SHA-256 hex digests named in the payload. */
  hashes: string[];
}

export interface Credential {
  username: string;
  password: string;
}

/** One recorded event. Field names are snake_case: they are the export format too. */
export interface MitsuEvent {
  /** ULID: sortable by time, unique across sensors. */
  id: string;
  event: EventName;
  sensor: string;
  transport: Transport;
  src_ip: string;
  src_port: number;
  dst_ip: string;
  dst_port: number;
  /** ISO 8601 UTC with milliseconds. */
  start: string;
  end: string;
  close_reason: CloseReason;
  bytes_in: number;
  bytes_out: number;
  /** The bytes kept (at most the configured cap), base64. */
  payload_b64: string;
  /** Every byte received, kept or not. */
  payload_len: number;
  payload_truncated: boolean;
  /** SHA-256 of the bytes kept, lowercase hex. */
  payload_sha256: string;
  /** Wire protocol identified from the bytes; `none` when nothing arrived. */
  protocol: string;
  tags: Tag[];
  intent: Intent | null;
  iocs: Iocs;
  credentials: Credential[];
  commands: string[];
  template: string | null;
  country: string | null;
  asn: number | null;
  as_org: string | null;
  /** What kind of address `src_ip` is: `public`, `private`, `documentation`, `loopback`... */
  src_scope: string | null;
  /** The known research scanner `src_ip` belongs to, if any; labelled, never dropped. */
  scanner: string | null;
  /** Version of the rule set that classified the event. */
  rules_version: string | null;
  /** Protocol-specific details; values are JSON data, never code. */
  fields: Record<string, unknown>;
}

export function emptyIocs(): Iocs {
  return { urls: [], ips: [], domains: [], downloads: [], files: [], hashes: [] };
}

/** The fields analysis fills in; `mitsu reclassify` rewrites exactly these. */
export const ANALYSIS_KEYS = [
  'tags', 'intent', 'iocs', 'template', 'country', 'asn', 'as_org', 'src_scope', 'scanner',
  'rules_version',
] as const;

export type Analysis = Pick<MitsuEvent, (typeof ANALYSIS_KEYS)[number]>;

export function emptyAnalysis(): Analysis {
  return {
    tags: [], intent: null, iocs: emptyIocs(), template: null, country: null, asn: null,
    as_org: null, src_scope: null, scanner: null, rules_version: null,
  };
}

/** The analysis part of an event, for stores that update it in place. */
export function analysisOf(event: MitsuEvent): Analysis {
  const { tags, intent, iocs, template, country, asn, as_org, src_scope, scanner } = event;
  return {
    tags, intent, iocs, template, country, asn, as_org, src_scope, scanner,
    rules_version: event.rules_version,
  };
}
