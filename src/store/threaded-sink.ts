// An EventSink that hands events to a store running in a worker thread, in batches, so the
// sensor's event loop never waits on the disk. Failed batches are kept (bounded) and retried
// on the next post; failures reach the caller through `onError`, never as a crash.

import { Worker } from 'node:worker_threads';
import { MitsuError } from '../lib/errors.js';
import type { MitsuEvent } from '../events/event.js';
import type { EventSink } from '../events/store.js';
import type { JsonlOutputSpec } from './jsonl-writer.js';
import type { StoreSpec } from './store-spec.js';
import {
  fromWire, type FromWorker, type TransformSpec, type WorkerInit,
} from './worker-protocol.js';

export const DEFAULT_BATCH_MAX_EVENTS = 1_000;
export const DEFAULT_BATCH_MAX_MS = 100;
/** Events kept for retry after failed commits; past it the oldest are dropped and reported. */
export const DEFAULT_MAX_RETRY_EVENTS = 100_000;
/** Events handed to the worker and not yet committed; past it `write` drops new events. */
export const DEFAULT_MAX_IN_FLIGHT_EVENTS = 100_000;
/** Payload bytes (as base64) of those events: 64 KiB payloads reach it long before the count. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 256 * 1024 * 1024;
/** A worker that died is started again at most this often, unless `flush` asks. */
export const RESPAWN_MIN_INTERVAL_MS = 1_000;
/** How long close waits for the worker to close the store before terminating it. */
export const WORKER_CLOSE_TIMEOUT_MS = 10_000;

export interface ThreadedSinkOptions {
  store: StoreSpec;
  jsonl?: JsonlOutputSpec;
  /** Run in the worker on each batch before it is stored (classification, enrichment). */
  transform?: TransformSpec;
  batchMaxEvents?: number;
  batchMaxMs?: number;
  maxRetryEvents?: number;
  maxInFlightEvents?: number;
  maxInFlightBytes?: number;
  /** Called for every failure: a batch not committed, events dropped, the worker lost. */
  onError?: (err: MitsuError) => void;
}

export interface SinkStats {
  written: number;
  committed: number;
  /** Waiting for the next post after a failed commit. */
  retrying: number;
  /** Dropped for want of room, or written after close. */
  dropped: number;
  /** Refused by the store as invalid. */
  rejected: number;
  /** Stored, but missing from the JSON-lines copy because writing it failed. */
  copyMissed: number;
}

interface Batch {
  events: MitsuEvent[];
  settle: (err?: MitsuError) => void;
  done: Promise<MitsuError | undefined>;
}

type Limits = Required<Omit<ThreadedSinkOptions, 'store' | 'jsonl' | 'transform' | 'onError'>>;

/** dist/ runs store-worker.js; vitest runs the .ts source through a small loader. */
function workerTarget(init: WorkerInit): { url: URL; workerData: unknown } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { url: new URL('./store-worker.js', here), workerData: init };
  const entry = new URL('./store-worker.ts', here).href;
  return { url: new URL('./ts-worker-boot.mjs', here), workerData: { ...init, entry } };
}

function bytesOf(events: readonly MitsuEvent[]): number {
  return events.reduce((sum, ev) => sum + ev.payload_b64.length, 0);
}

function lostWorker(why: string, cause?: unknown): MitsuError {
  return new MitsuError(
    'MITSU_STORE_UNAVAILABLE',
    `the store worker stopped: ${why}`,
    'events are kept and retried; check the store path and the disk',
    { cause },
  );
}

export class ThreadedSink implements EventSink {
  readonly #init: WorkerInit;
  readonly #limits: Limits;
  readonly #onError: (err: MitsuError) => void;
  #worker: Worker | undefined;
  #lastSpawnMs = 0;
  #pending: MitsuEvent[] = [];
  #retry: MitsuEvent[] = [];
  #inFlight = new Map<number, Batch>();
  #inFlightEvents = 0;
  /** Payload bytes of pending and in-flight events. */
  #heldBytes = 0;
  #seq = 0;
  #timer: NodeJS.Timeout | undefined;
  #droppedUnreported = 0;
  #closing: Promise<void> | undefined;
  /** Set once the worker is told to stop: nothing is posted or respawned after it. */
  #closed = false;
  #closeError: MitsuError | undefined;
  #stats: SinkStats = {
    written: 0, committed: 0, retrying: 0, dropped: 0, rejected: 0, copyMissed: 0,
  };

  private constructor(options: ThreadedSinkOptions) {
    this.#init = {
      store: options.store,
      ...(options.jsonl && { jsonl: options.jsonl }),
      ...(options.transform && { transform: options.transform }),
    };
    this.#limits = {
      batchMaxEvents: options.batchMaxEvents ?? DEFAULT_BATCH_MAX_EVENTS,
      batchMaxMs: options.batchMaxMs ?? DEFAULT_BATCH_MAX_MS,
      maxRetryEvents: options.maxRetryEvents ?? DEFAULT_MAX_RETRY_EVENTS,
      maxInFlightEvents: options.maxInFlightEvents ?? DEFAULT_MAX_IN_FLIGHT_EVENTS,
      maxInFlightBytes: options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES,
    };
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Starts the worker and opens the store; rejects with its MitsuError if it cannot. */
  static async open(options: ThreadedSinkOptions): Promise<ThreadedSink> {
    const sink = new ThreadedSink(options);
    await sink.#spawn(false);
    return sink;
  }

  get stats(): SinkStats {
    return { ...this.#stats, retrying: this.#retry.length };
  }

  write(event: MitsuEvent): void {
    if (this.#closed) {
      this.#stats.dropped += 1;
      if (this.#stats.dropped === 1) this.#onError(new MitsuError(
        'MITSU_STORE_UNAVAILABLE', 'events written after the sink closed are dropped'));
      return;
    }
    const held = this.#inFlightEvents + this.#pending.length;
    const full = held >= this.#limits.maxInFlightEvents ||
      this.#heldBytes + event.payload_b64.length > this.#limits.maxInFlightBytes;
    if (this.#closing !== undefined || full) {
      this.#stats.dropped += 1;
      this.#droppedUnreported += 1;
      this.#arm();
      return;
    }
    this.#stats.written += 1;
    this.#heldBytes += event.payload_b64.length;
    this.#pending.push(event);
    if (this.#pending.length >= this.#limits.batchMaxEvents) this.#post(false);
    else this.#arm();
  }

  /** Resolves once every event written so far is committed; rejects if a batch failed. */
  async flush(): Promise<void> {
    this.#post(true);
    const results = await Promise.all([...this.#inFlight.values()].map((b) => b.done));
    const failed = results.find((err) => err !== undefined);
    if (failed !== undefined) throw failed;
  }

  /** Flushes, closes the store and ends the worker. Rejects if events could not be stored. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    let failure: unknown;
    try {
      await this.flush();
    } catch (err) {
      failure = err;
    }
    clearTimeout(this.#timer);
    await this.#stopWorker();
    this.#reportDrops();
    if (failure !== undefined) {
      const lost = this.#retry.length + this.#pending.length;
      throw new MitsuError(
        'MITSU_STORE_UNAVAILABLE',
        `${lost} events could not be stored before close`,
        'check the store path and the free disk space',
        { cause: failure },
      );
    }
    if (this.#closeError !== undefined) throw this.#closeError;
  }

  async #stopWorker(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (worker === undefined) return;
    this.#worker = undefined;
    await new Promise((resolve) => {
      const timer = setTimeout(() => void worker.terminate(), WORKER_CLOSE_TIMEOUT_MS);
      worker.once('exit', () => resolve(clearTimeout(timer)));
      worker.postMessage({ type: 'close' });
    });
  }

  #arm(): void {
    this.#timer ??= setTimeout(() => this.#post(false), this.#limits.batchMaxMs);
  }

  /** Sends retried then pending events; `force` restarts a lost worker at once. */
  #post(force: boolean): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#reportDrops();
    if (this.#closed || (this.#pending.length === 0 && this.#retry.length === 0)) return;
    if (this.#worker === undefined) {
      if (!force && Date.now() - this.#lastSpawnMs < RESPAWN_MIN_INTERVAL_MS) {
        this.#arm();
        return;
      }
      this.#spawn(true).catch(() => undefined); // its failure settles the batches below
    }
    const { batchMaxEvents } = this.#limits;
    while (this.#retry.length > 0) this.#send(this.#retry.splice(0, batchMaxEvents));
    if (this.#pending.length > 0) this.#send(this.#pending.splice(0));
  }

  #send(events: MitsuEvent[]): void {
    const seq = (this.#seq += 1);
    let settle!: (err?: MitsuError) => void;
    const done = new Promise<MitsuError | undefined>((resolve) => (settle = resolve));
    this.#inFlight.set(seq, { events, settle, done });
    this.#inFlightEvents += events.length;
    try {
      this.#worker?.postMessage({ type: 'batch', seq, events, sentMs: Date.now() });
    } catch (err) {
      // Only a value that cannot be cloned lands here: retrying would fail the same way.
      this.#stats.rejected += events.length;
      this.#settle(seq, undefined, false);
      const why = `${events.length} events could not be sent to the store`;
      this.#onError(new MitsuError('MITSU_INPUT_INVALID', why, undefined, { cause: err }));
    }
  }

  #settle(seq: number, err: MitsuError | undefined, commit = true): void {
    const batch = this.#inFlight.get(seq);
    if (batch === undefined) return;
    this.#inFlight.delete(seq);
    this.#inFlightEvents -= batch.events.length;
    if (err === undefined || !commit) this.#heldBytes -= bytesOf(batch.events);
    if (err === undefined) {
      if (commit) this.#stats.committed += batch.events.length;
    } else {
      this.#keepForRetry(batch.events);
      this.#onError(err);
    }
    batch.settle(err);
  }

  #keepForRetry(events: MitsuEvent[]): void {
    for (const ev of events) this.#retry.push(ev);
    const over = this.#retry.length - this.#limits.maxRetryEvents;
    if (over <= 0) return;
    this.#heldBytes -= bytesOf(this.#retry.splice(0, over));
    this.#stats.dropped += over;
    this.#onError(new MitsuError(
      'MITSU_STORE_UNAVAILABLE',
      `${over} events dropped: at most ${this.#limits.maxRetryEvents} wait for a retry`,
      'check the store path and the free disk space',
    ));
  }

  #reportDrops(): void {
    if (this.#droppedUnreported === 0) return;
    const n = this.#droppedUnreported;
    this.#droppedUnreported = 0;
    const why = this.#closing === undefined ? 'the store is not keeping up' : 'sink closed';
    this.#onError(new MitsuError('MITSU_STORE_UNAVAILABLE', `${n} events dropped: ${why}`));
  }

  #onMessage(msg: FromWorker): void {
    if (msg.type === 'closed') {
      if (msg.error !== undefined) this.#closeError = fromWire(msg.error);
      return;
    }
    if (msg.type === 'warning') return this.#onError(fromWire(msg.error));
    if (msg.type !== 'done') return;
    if (msg.rejected !== undefined) {
      this.#stats.rejected += msg.rejected;
      this.#stats.committed -= msg.rejected;
      this.#onError(new MitsuError(
        'MITSU_INPUT_INVALID',
        `${msg.rejected} invalid events were refused by the store`,
      ));
    }
    if (msg.outputError !== undefined) {
      this.#stats.copyMissed += this.#inFlight.get(msg.seq)?.events.length ?? 0;
      this.#onError(fromWire(msg.outputError));
    }
    this.#settle(msg.seq, msg.error === undefined ? undefined : fromWire(msg.error));
  }

  /** Fails every batch in flight on `worker` (their events wait for a retry). */
  #lost(worker: Worker, err: MitsuError, report: boolean): void {
    if (this.#worker !== worker) return;
    this.#worker = undefined;
    if (this.#inFlight.size === 0 && report) this.#onError(err);
    for (const seq of [...this.#inFlight.keys()]) this.#settle(seq, err);
  }

  #spawn(report: boolean): Promise<void> {
    const { url, workerData } = workerTarget(this.#init);
    const worker = new Worker(url, { workerData });
    this.#worker = worker;
    this.#lastSpawnMs = Date.now();
    return new Promise((resolve, reject) => {
      const fail = (err: MitsuError): void => {
        this.#lost(worker, err, report);
        reject(err);
      };
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'fatal') fail(fromWire(msg.error));
        else this.#onMessage(msg);
      });
      worker.on('error', (err) => fail(lostWorker('uncaught error', err)));
      worker.on('exit', (code) => fail(lostWorker(`exit code ${code}`)));
    });
  }
}
