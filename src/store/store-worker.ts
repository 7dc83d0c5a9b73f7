// The worker thread that owns the event store: it opens the store named in workerData, runs
// the analysis transform on each batch the sensor thread posts, commits it, and writes the
// JSON-lines copy after the commit.
// Disk time is spent here so the sensor's event loop never waits on it.

import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { isMitsuError } from '../lib/errors.js';
import type { MitsuEvent } from '../events/event.js';
import type { EventStore } from '../events/store.js';
import { JsonlWriter } from './jsonl-writer.js';
import { openStore } from './store-spec.js';
import {
  toWire, type BatchTransform, type FromWorker, type ToWorker, type TransformSpec,
  type WireError, type WorkerInit,
} from './worker-protocol.js';

function requirePort(): MessagePort {
  if (parentPort === null) throw new Error('store-worker runs only as a worker thread');
  return parentPort;
}

const port = requirePort();
const send = (msg: FromWorker): void => port.postMessage(msg);

/** Appends events one at a time after a batch held an invalid one; returns how many failed. */
async function appendEachValid(store: EventStore, events: MitsuEvent[]): Promise<number> {
  let rejected = 0;
  for (const ev of events) {
    try {
      await store.append([ev]);
    } catch (err) {
      if (!isMitsuError(err, 'MITSU_INPUT_INVALID')) throw err;
      rejected += 1;
    }
  }
  return rejected;
}

async function commit(store: EventStore, events: MitsuEvent[]): Promise<number> {
  try {
    await store.append(events);
    return 0;
  } catch (err) {
    if (!isMitsuError(err, 'MITSU_INPUT_INVALID')) throw err;
    return appendEachValid(store, events);
  }
}

type CopyResult = { outputError?: WireError };

/** A failed write loses the batch from the copy; a failed rotation only warns. */
function writeCopy(jsonl: JsonlWriter | undefined, events: MitsuEvent[]): CopyResult {
  if (jsonl === undefined) return {};
  try {
    const rotation = jsonl.writeLines(events.map((ev) => JSON.stringify(ev)));
    if (rotation !== undefined) {
      const error = toWire(rotation, 'MITSU_STORE_UNAVAILABLE', 'JSON-lines rotation failed');
      error.message += '; the file now grows past jsonl.max_bytes';
      send({ type: 'warning', error });
    }
    return {};
  } catch (err) {
    return { outputError: toWire(err, 'MITSU_STORE_UNAVAILABLE', 'JSON-lines output failed') };
  }
}

const keep: BatchTransform = { apply: (events) => events };
/** When the transform finished loading (epoch ms). */
let loadedMs = 0;

async function loadTransform(spec: TransformSpec | undefined): Promise<BatchTransform> {
  if (spec === undefined) return keep;
  const mod = (await import(spec.module)) as {
    createTransform(options: unknown): BatchTransform | Promise<BatchTransform>;
  };
  return mod.createTransform(spec.options);
}

/**
 * The transform loads while the store already takes batches (they wait for it), so start-up
 * never waits on rule and database loading. If it cannot load, events are stored without it
 * (`mitsu reclassify` can analyse them later) and the sensor is told once.
 */
function startTransform(spec: TransformSpec | undefined): Promise<BatchTransform> {
  return loadTransform(spec).catch((err: unknown) => {
    const wire = toWire(err, 'MITSU_CONFIG_INVALID', 'analysis stage failed');
    wire.message = `events are stored unanalysed: ${wire.message}`;
    send({ type: 'warning', error: wire });
    return keep;
  });
}

async function serve(init: WorkerInit): Promise<void> {
  let store: EventStore;
  let jsonl: JsonlWriter | undefined;
  let opening = 'the event store cannot be opened';
  try {
    store = openStore(init.store);
    opening = `the JSON-lines output ${JSON.stringify(init.jsonl?.path)} cannot be opened`;
    if (init.jsonl !== undefined) jsonl = new JsonlWriter(init.jsonl);
  } catch (err) {
    send({ type: 'fatal', error: toWire(err, 'MITSU_STORE_UNAVAILABLE', opening) });
    port.close();
    return;
  }
  send({ type: 'ready' });
  const transform = startTransform(init.transform).then((loaded) => {
    // Batches that waited for the transform to load are not late because of the load.
    loadedMs = Date.now();
    return loaded;
  });
  let chain = Promise.resolve();
  let queued = 0;
  let closed = false;
  // Put-off analysis runs one slice at a time while no message waits, so it never delays
  // storing a batch by more than one slice.
  const idle = (): void => {
    if (queued > 0 || closed) return;
    chain = chain.then(async () => {
      if (queued === 0 && !closed && await catchUp(store, await transform)) setImmediate(idle);
    });
  };
  port.on('message', (msg: ToWorker) => {
    queued += 1;
    if (msg.type === 'close') closed = true;
    // One message at a time, in order: a batch never overtakes the one before it.
    chain = chain.then(async () => {
      await handle(msg, store, await transform, jsonl);
      queued -= 1;
      setImmediate(idle);
    });
  });
}

/** What close spends on put-off analysis: well within ThreadedSink's wait for the worker. */
const CLOSE_CATCH_UP_MS = 4_000;

async function finishLateWork(store: EventStore, transform: BatchTransform): Promise<void> {
  const deadline = Date.now() + CLOSE_CATCH_UP_MS;
  while (Date.now() < deadline && await catchUp(store, transform));
}

/** Stores one slice of put-off analysis; whether there may be more. */
async function catchUp(store: EventStore, transform: BatchTransform): Promise<boolean> {
  let updates;
  try {
    updates = transform.catchUp?.() ?? null;
    if (updates === null) return false;
    await store.updateAnalysis(updates);
    return true;
  } catch (err) {
    const wire = toWire(err, 'MITSU_STORE_UNAVAILABLE', 'late analysis failed');
    send({ type: 'warning', error: wire });
    return false;
  }
}

async function handle(
  msg: ToWorker, store: EventStore, transform: BatchTransform, jsonl?: JsonlWriter,
): Promise<void> {
  if (msg.type === 'close') {
    await finishLateWork(store, transform);
    let error;
    try {
      transform.close?.();
      jsonl?.close();
      await store.close();
    } catch (err) {
      error = toWire(err, 'MITSU_STORE_UNAVAILABLE', 'store close failed');
    }
    send({ type: 'closed', ...(error && { error }) });
    port.close();
    return;
  }
  try {
    const events = transform.apply(msg.events, Date.now() - Math.max(msg.sentMs, loadedMs));
    const rejected = await commit(store, events);
    const copy = writeCopy(jsonl, events);
    send({ type: 'done', seq: msg.seq, ...(rejected > 0 && { rejected }), ...copy });
  } catch (err) {
    const error = toWire(err, 'MITSU_STORE_UNAVAILABLE', 'store append failed');
    send({ type: 'done', seq: msg.seq, error });
  }
}

await serve(workerData as WorkerInit);
