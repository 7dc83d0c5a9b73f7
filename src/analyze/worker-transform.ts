// The analysis stage as the store worker loads it (see TransformSpec in src/store): each
// batch of live events is classified and enriched in the worker thread, off the sensor's
// event loop. A stage failure is logged once per stage and counted, never fatal.
//
// Analysis must never hold storage back: a flood of large hostile payloads can cost tens of
// milliseconds an event. A batch gets a time budget, less the time it waited in the queue;
// events past it are stored at once without analysis and analysed when the worker is idle
// (bounded), or left for `mitsu reclassify` when even that queue is full.

import { createLogger, type LogLevel, type Logger } from '../lib/log.js';
import type { MitsuEvent } from '../events/event.js';
import type { AnalysisUpdate, BatchTransform } from '../events/store.js';
import { Analyzer, type AnalyzerSpec } from './analyzer.js';

export interface AnalysisTransformOptions {
  spec: AnalyzerSpec;
  logLevel: LogLevel;
  /** Analysis time one batch may take before its other events are put off (ms). */
  batchBudgetMs?: number;
  /** Payload bytes (base64) of put-off events held for analysis when idle. */
  maxDeferredBytes?: number;
}

export const DEFAULT_BATCH_BUDGET_MS = 200;
export const DEFAULT_MAX_DEFERRED_BYTES = 64 * 1024 * 1024;
/** Analysis time of one idle slice: the most a new batch waits behind late analysis. */
const CATCH_UP_SLICE_MS = 50;
/** How often the count of events left unanalysed is logged again while it grows. */
const UNANALYSED_LOG_INTERVAL_MS = 60_000;

export function createTransform(options: AnalysisTransformOptions): BatchTransform {
  const log = createLogger(options.logLevel);
  const failures = new Map<string, number>();
  const analyzer = Analyzer.open(options.spec, (stage, err) => {
    const seen = failures.get(stage) ?? 0;
    failures.set(stage, seen + 1);
    // The first failure of a stage is logged with its error; later ones are only counted.
    if (seen === 0) log.error({ err, stage }, 'analysis stage failed');
  });
  log.debug({ rules: analyzer.classifier.rules.length, version: analyzer.version },
    'analysis loaded');
  return new BudgetedAnalysis(analyzer, log, options);
}

/** The transform itself, apart from its loading (tests give it their own logger). */
export class BudgetedAnalysis implements BatchTransform {
  readonly #analyzer: Analyzer;
  readonly #log: Logger;
  readonly #budgetMs: number;
  readonly #maxDeferredBytes: number;
  #deferred: MitsuEvent[] = [];
  #deferredBytes = 0;
  /** Events put off since the queue was last empty, for the caught-up line. */
  #lateTotal = 0;
  #unanalysed = 0;
  #unanalysedFirst: string | null = null;
  #unanalysedLoggedAt = -Infinity;

  constructor(analyzer: Analyzer, log: Logger, options: AnalysisTransformOptions) {
    this.#analyzer = analyzer;
    this.#log = log;
    this.#budgetMs = options.batchBudgetMs ?? DEFAULT_BATCH_BUDGET_MS;
    this.#maxDeferredBytes = options.maxDeferredBytes ?? DEFAULT_MAX_DEFERRED_BYTES;
  }

  /** Time spent waiting counts against the budget: a batch is stored within it. */
  apply(events: MitsuEvent[], lagMs = 0): MitsuEvent[] {
    const deadline = performance.now() + Math.max(0, this.#budgetMs - lagMs);
    return events.map((event) => {
      if (performance.now() < deadline) return this.#analyzer.apply(event);
      this.#putOff(event);
      return event;
    });
  }

  catchUp(): AnalysisUpdate[] | null {
    if (this.#deferred.length === 0) return null;
    const deadline = performance.now() + CATCH_UP_SLICE_MS;
    const updates: AnalysisUpdate[] = [];
    while (this.#deferred.length > 0 && (updates.length === 0 || performance.now() < deadline)) {
      const event = this.#deferred.shift()!;
      this.#deferredBytes -= event.payload_b64.length;
      updates.push({ id: event.id, ...this.#analyzer.analyze(event) });
    }
    if (this.#deferred.length === 0) {
      this.#log.info({ events: this.#lateTotal }, 'analysis caught up with the events it put off');
      this.#lateTotal = 0;
    }
    return updates;
  }

  close(): void {
    this.#unanalysed += this.#deferred.length;
    const queued = this.#deferred[0]?.start;
    if (queued !== undefined && (this.#unanalysedFirst ?? queued) >= queued) {
      this.#unanalysedFirst = queued; // ISO 8601 UTC times sort as text
    }
    this.#deferred = [];
    this.#unanalysedLoggedAt = -Infinity;
    if (this.#unanalysed > 0) this.#logUnanalysed('events left unanalysed at shutdown');
  }

  #logUnanalysed(why: string): void {
    this.#unanalysedLoggedAt = performance.now();
    this.#log.warn({ events: this.#unanalysed, since: this.#unanalysedFirst },
      `${why}: run \`mitsu reclassify --since ${this.#unanalysedFirst}\` to analyse them`);
  }

  #putOff(event: MitsuEvent): void {
    const bytes = event.payload_b64.length;
    if (this.#deferredBytes + bytes <= this.#maxDeferredBytes) {
      if (this.#lateTotal === 0) {
        this.#log.warn({ budget_ms: this.#budgetMs }, 'analysis is falling behind: events are ' +
          'stored first and analysed when the load drops');
      }
      this.#deferred.push(event);
      this.#deferredBytes += bytes;
      this.#lateTotal += 1;
      return;
    }
    this.#unanalysed += 1;
    this.#unanalysedFirst ??= event.start;
    if (performance.now() - this.#unanalysedLoggedAt < UNANALYSED_LOG_INTERVAL_MS) return;
    this.#logUnanalysed('analysis queue full, events stored unanalysed');
  }
}
