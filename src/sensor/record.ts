// Builds the one event a connection or UDP exchange leaves behind, in the shape fixed by
// src/events/event.ts. Fields the analysis stages fill later start empty.

import { createHash } from 'node:crypto';
import type { CloseReason, Credential, MitsuEvent, Transport } from '../events/event.js';
import { emptyIocs } from '../events/event.js';
import type { EventName } from '../events/catalogue.js';
import { eventId } from '../lib/id.js';
import { isoMs } from '../lib/time.js';
import type { PayloadBuffer } from './payload.js';

export interface Endpoints {
  srcIp: string;
  srcPort: number;
  dstIp: string;
  dstPort: number;
}

export interface RecordInput {
  event: EventName;
  sensor: string;
  transport: Transport;
  endpoints: Endpoints;
  startMs: number;
  endMs: number;
  closeReason: CloseReason;
  bytesIn: number;
  bytesOut: number;
  payload: PayloadBuffer | null;
  protocol: string;
  fields: Record<string, unknown>;
  credentials?: Credential[];
  commands?: string[];
}

const EMPTY = Buffer.alloc(0);

export function buildEvent(input: RecordInput): MitsuEvent {
  const bytes = input.payload?.bytes() ?? EMPTY;
  const full = input.payload?.fullSha256() ?? null;
  const fields = full === null ? input.fields : { ...input.fields, payload_full_sha256: full };
  const { srcIp, srcPort, dstIp, dstPort } = input.endpoints;
  return {
    id: eventId(input.startMs),
    event: input.event,
    sensor: input.sensor,
    transport: input.transport,
    src_ip: srcIp,
    src_port: srcPort,
    dst_ip: dstIp,
    dst_port: dstPort,
    start: isoMs(input.startMs),
    end: isoMs(input.endMs),
    close_reason: input.closeReason,
    bytes_in: input.bytesIn,
    bytes_out: input.bytesOut,
    payload_b64: bytes.toString('base64'),
    payload_len: input.payload?.total ?? 0,
    payload_truncated: input.payload?.truncated ?? false,
    payload_sha256: createHash('sha256').update(bytes).digest('hex'),
    protocol: input.protocol,
    tags: [],
    intent: null,
    iocs: emptyIocs(),
    credentials: input.credentials ?? [],
    commands: input.commands ?? [],
    template: null,
    country: null,
    asn: null,
    as_org: null,
    src_scope: null,
    scanner: null,
    rules_version: null,
    fields,
  };
}
