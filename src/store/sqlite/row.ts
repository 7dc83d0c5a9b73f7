// Maps a MitsuEvent to the `events` table's columns and back, losslessly: the payload is
// stored as raw bytes, the times as epoch milliseconds, and the structured rest as JSON text.
// Values that would not survive that (a non-canonical time or base64) ride in the JSON text.

import { MitsuError } from '../../lib/errors.js';
import { emptyIocs, type MitsuEvent } from '../../events/event.js';

/** The columns in INSERT order; `eventToRow` returns values in this order. */
export const COLUMNS = [
  'id', 'start_ms', 'end_ms', 'event', 'sensor', 'transport', 'src_ip', 'src_port',
  'dst_ip', 'dst_port', 'protocol', 'intent', 'template', 'country', 'bytes_in',
  'bytes_out', 'payload', 'payload_len', 'payload_truncated', 'payload_sha256',
  'close_reason', 'extra_json',
] as const;

export type Row = { [K in (typeof COLUMNS)[number]]: unknown };

type Extra = Pick<
  MitsuEvent,
  | 'end' | 'tags' | 'iocs' | 'credentials' | 'commands' | 'fields' | 'asn' | 'as_org'
  | 'src_scope' | 'scanner' | 'rules_version'
> & { start?: string; payload_b64?: string };

function toMs(iso: string, id: string, name: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) {
    throw new MitsuError(
      'MITSU_INPUT_INVALID',
      `event ${JSON.stringify(id)} has an unreadable ${name} time`,
      'events must carry ISO 8601 UTC times',
    );
  }
  return ms;
}

/** Column values for one event, in COLUMNS order. Throws MITSU_INPUT_INVALID on bad times. */
export function eventToRow(ev: MitsuEvent): unknown[] {
  const startMs = toMs(ev.start, ev.id, 'start');
  const payload = Buffer.from(ev.payload_b64, 'base64');
  const extra: Extra = {
    end: ev.end, tags: ev.tags, iocs: ev.iocs, credentials: ev.credentials,
    commands: ev.commands, fields: ev.fields, asn: ev.asn, as_org: ev.as_org,
    src_scope: ev.src_scope, scanner: ev.scanner, rules_version: ev.rules_version,
  };
  if (new Date(startMs).toISOString() !== ev.start) extra.start = ev.start;
  if (payload.toString('base64') !== ev.payload_b64) extra.payload_b64 = ev.payload_b64;
  return [
    ev.id, startMs, toMs(ev.end, ev.id, 'end'), ev.event, ev.sensor, ev.transport,
    ev.src_ip, ev.src_port, ev.dst_ip, ev.dst_port, ev.protocol, ev.intent, ev.template,
    ev.country, ev.bytes_in, ev.bytes_out, payload, ev.payload_len,
    ev.payload_truncated ? 1 : 0, ev.payload_sha256, ev.close_reason, JSON.stringify(extra),
  ];
}

/** The event a stored row holds, keys in the order MitsuEvent declares them. */
export function rowToEvent(row: Row): MitsuEvent {
  const extra = JSON.parse(row.extra_json as string) as Extra;
  const payload = row.payload as Buffer | null;
  return {
    id: row.id as string,
    event: row.event as MitsuEvent['event'],
    sensor: row.sensor as string,
    transport: row.transport as MitsuEvent['transport'],
    src_ip: row.src_ip as string,
    src_port: row.src_port as number,
    dst_ip: row.dst_ip as string,
    dst_port: row.dst_port as number,
    start: extra.start ?? new Date(row.start_ms as number).toISOString(),
    end: extra.end,
    close_reason: row.close_reason as MitsuEvent['close_reason'],
    bytes_in: row.bytes_in as number,
    bytes_out: row.bytes_out as number,
    payload_b64: extra.payload_b64 ?? (payload === null ? '' : payload.toString('base64')),
    payload_len: row.payload_len as number,
    payload_truncated: row.payload_truncated === 1,
    payload_sha256: row.payload_sha256 as string,
    protocol: row.protocol as string,
    tags: extra.tags,
    intent: row.intent as MitsuEvent['intent'],
    iocs: { ...emptyIocs(), ...extra.iocs },
    credentials: extra.credentials,
    commands: extra.commands,
    template: row.template as string | null,
    country: row.country as string | null,
    asn: extra.asn,
    as_org: extra.as_org,
    // Rows written before analysis existed lack these keys.
    src_scope: extra.src_scope ?? null,
    scanner: extra.scanner ?? null,
    rules_version: extra.rules_version ?? null,
    fields: extra.fields,
  };
}
