// Builds synthetic MitsuEvents for store tests and measurements: documentation addresses,
// times from a fixed base, and a payload of hostile bytes when asked.

import { createHash } from 'node:crypto';
import { emptyIocs, type MitsuEvent } from '../events/event.js';
import { eventId } from '../lib/id.js';

/** 2024-05-01T00:00:00.000Z: every fixture time counts from here. */
export const FIXTURE_BASE_MS = Date.UTC(2024, 4, 1);

/** An event starting `offsetMs` after FIXTURE_BASE_MS carrying `payload`, then `over`. */
export function makeEvent(
  offsetMs = 0,
  over: Partial<MitsuEvent> = {},
  payload: Buffer = Buffer.from('GET / HTTP/1.1\r\n\r\n'),
): MitsuEvent {
  const startMs = FIXTURE_BASE_MS + offsetMs;
  return {
    id: eventId(startMs),
    event: 'connection.closed',
    sensor: 'test-sensor',
    transport: 'tcp',
    src_ip: '192.0.2.10',
    src_port: 40_000 + (offsetMs % 20_000),
    dst_ip: '198.51.100.1',
    dst_port: 80,
    start: new Date(startMs).toISOString(),
    end: new Date(startMs + 1_500).toISOString(),
    close_reason: 'client_closed',
    bytes_in: payload.length,
    bytes_out: 120,
    payload_b64: payload.toString('base64'),
    payload_len: payload.length,
    payload_truncated: false,
    payload_sha256: createHash('sha256').update(payload).digest('hex'),
    protocol: 'http',
    tags: [],
    intent: null,
    iocs: emptyIocs(),
    credentials: [],
    commands: [],
    template: null,
    country: null,
    asn: null,
    as_org: null,
    src_scope: null,
    scanner: null,
    rules_version: null,
    fields: {},
    ...over,
  };
}
