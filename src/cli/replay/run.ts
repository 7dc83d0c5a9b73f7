// Sends every record to one host with bounded concurrency, one connection or datagram each,
// and counts what happened. Ports are checked for the whole file before the first send.

import type { Transport } from '../../events/event.js';
import type { SendOutcome } from './outcome.js';
import type { ReplayRecord } from './records.js';
import {
  proxyHeader,
  resolveHost,
  targetPort,
  type ProxyVersionFlag,
  type ResolvedHost,
} from './target.js';
import { sendTcp } from './tcp.js';
import { sendUdp } from './udp.js';

/** Silence after the last byte that ends an exchange. */
export const QUIET_MS = 300;
export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_CONCURRENCY = 4;

export interface ReplayOptions {
  host: string;
  proxyProtocol: ProxyVersionFlag | undefined;
  /** Send every record here instead of to its own port. */
  port: number | undefined;
  /** Added to each record's port (or to `port`). */
  portOffset: number;
  concurrency: number;
  timeoutMs: number;
  quietMs: number;
}

export interface RecordResult {
  record: ReplayRecord;
  /** The port the bytes went to (the record's own port may differ). */
  port: number;
  /** Undefined when the record was skipped. */
  outcome: SendOutcome | undefined;
}

export interface ReplaySummary {
  records: number;
  sent: Record<Transport, number>;
  failed: number;
  skipped: number;
}

export async function runReplay(
  records: ReplayRecord[],
  options: ReplayOptions,
  onResult: (result: RecordResult) => void,
): Promise<ReplaySummary> {
  const ports = records.map((r) => targetPort(r, options.port, options.portOffset));
  const host = await resolveHost(options.host);
  const summary: ReplaySummary = {
    records: records.length, sent: { tcp: 0, udp: 0 }, failed: 0, skipped: 0,
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < records.length; i = next++) {
      const result = await replayOne(records[i] as ReplayRecord, ports[i] as number, host, options);
      tally(summary, result);
      onResult(result);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, records.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return summary;
}

async function replayOne(
  record: ReplayRecord,
  port: number,
  host: ResolvedHost,
  options: ReplayOptions,
): Promise<RecordResult> {
  // Bytes typed inside an SSH session are not wire bytes: sending them raw would mean nothing.
  if (record.replay !== undefined) return { record, port, outcome: undefined };
  const timing = { quietMs: options.quietMs, timeoutMs: options.timeoutMs };
  if (record.transport === 'udp') {
    const outcome = await sendUdp({ ...host, port }, record.payload, timing);
    return { record, port, outcome };
  }
  const header = options.proxyProtocol === undefined
    ? Buffer.alloc(0)
    : proxyHeader(record, host, options.proxyProtocol);
  const outcome = await sendTcp({ address: host.address, port }, header, record.payload, timing);
  return { record, port, outcome };
}

function tally(summary: ReplaySummary, { record, outcome }: RecordResult): void {
  if (outcome === undefined) summary.skipped++;
  else if (outcome.failure !== undefined) summary.failed++;
  else summary.sent[record.transport]++;
}

/** The one line always printed. */
export function formatSummary(s: ReplaySummary): string {
  return `replay: ${s.records} records; sent tcp ${s.sent.tcp}, udp ${s.sent.udp}; ` +
    `failed ${s.failed}; skipped ${s.skipped}`;
}

/** One line per record for --verbose: ids and counts only, never payload bytes. */
export function formatResult({ record, port, outcome }: RecordResult): string {
  const where = `${record.transport}/${record.port}${port === record.port ? '' : ` -> ${port}`}`;
  if (outcome === undefined) return `${record.id} ${where} skipped (replay ${record.replay})`;
  const counts = `sent ${outcome.sent} received ${outcome.received}`;
  const end = outcome.failure === undefined ? outcome.ending : `failed ${outcome.failure}`;
  return `${record.id} ${where} ${counts} ${end}`;
}
