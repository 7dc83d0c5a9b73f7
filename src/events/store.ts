// The interfaces every event store and sink implements (SQLite now, ClickHouse later).
// A shared conformance suite in src/store/ runs against each implementation.

import type { Analysis, MitsuEvent, Transport } from './event.js';

/** Where the sensor hands finished events. Must never block the caller for long. */
export interface EventSink {
  write(event: MitsuEvent): void;
  /** Resolves once every event written so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface EventFilter {
  /** Inclusive lower bound on `start`, ISO 8601 or epoch milliseconds. */
  since?: string | number;
  /** Exclusive upper bound on `start`. */
  until?: string | number;
  dstPort?: number;
  srcIp?: string;
  transport?: Transport;
  protocol?: string;
  /** Only events after this one in scan order (start, then id): keyset paging. */
  after?: { start: string | number; id: string };
  limit?: number;
}

/** New analysis for one stored event, as `mitsu reclassify` writes it. */
export type AnalysisUpdate = Analysis & { id: string };

export interface EventStore {
  /** Stores a batch atomically; an event whose id is already stored is ignored. */
  append(events: readonly MitsuEvent[]): Promise<void>;
  /** Events matching the filter, oldest first. */
  scan(filter?: EventFilter): AsyncIterable<MitsuEvent>;
  count(filter?: EventFilter): Promise<number>;
  /** Rewrites the analysis fields of stored events atomically; unknown ids are ignored. */
  updateAnalysis(updates: readonly AnalysisUpdate[]): Promise<void>;
  close(): Promise<void>;
}

/** What a store worker runs on each batch before storing it (the analysis stage). */
export interface BatchTransform {
  /** The batch as it is to be stored; it has waited `lagMs` since the sensor sent it. */
  apply(events: MitsuEvent[], lagMs: number): MitsuEvent[];
  /**
   * Work the transform put off while batches came faster than it could keep up, called when
   * the worker is idle: new analysis for events already stored, or null when none is left.
   */
  catchUp?(): AnalysisUpdate[] | null;
  /** The store closes: say what is left undone (put-off work is not kept). */
  close?(): void;
}
