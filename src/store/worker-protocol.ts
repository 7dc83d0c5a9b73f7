// The messages between ThreadedSink (sensor thread) and the store worker. Plain data only:
// errors cross as their code, message and hint, and are rebuilt as MitsuError on arrival.

import { MitsuError, type ErrorCode } from '../lib/errors.js';
import type { MitsuEvent } from '../events/event.js';
import type { JsonlOutputSpec } from './jsonl-writer.js';
import type { StoreSpec } from './store-spec.js';

/**
 * A module the worker imports to rewrite each batch before it is stored (the analysis
 * stage). It exports `createTransform(options)`, resolving to a BatchTransform. Named by
 * URL so the store layer never imports what it runs.
 */
export interface TransformSpec {
  module: string;
  options: unknown;
}

export type { BatchTransform } from '../events/store.js';

export interface WorkerInit {
  store: StoreSpec;
  jsonl?: JsonlOutputSpec;
  transform?: TransformSpec;
}

export interface WireError {
  code: ErrorCode;
  message: string;
  hint?: string;
}

export type ToWorker =
  /** `sentMs`: when the sensor posted it (epoch ms), so the worker knows how late it is. */
  | { type: 'batch'; seq: number; events: MitsuEvent[]; sentMs: number }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  /** The store could not be opened; the worker ends. */
  | { type: 'fatal'; error: WireError }
  /** A batch is committed (no `error`) or not; `rejected` events were invalid and dropped. */
  | { type: 'done'; seq: number; error?: WireError; rejected?: number; outputError?: WireError }
  | { type: 'closed'; error?: WireError }
  /** Something degraded but recording goes on (the analysis stage could not be loaded). */
  | { type: 'warning'; error: WireError };

/** Any thrown value as a WireError: MitsuErrors keep their code, others become `fallback`. */
export function toWire(err: unknown, fallback: ErrorCode, context: string): WireError {
  if (err instanceof MitsuError) {
    return { code: err.code, message: err.message, ...(err.hint && { hint: err.hint }) };
  }
  const code = (err as { code?: unknown }).code;
  const detail = typeof code === 'string' ? code : String(err);
  return { code: fallback, message: `${context}: ${detail}` };
}

export function fromWire(wire: WireError): MitsuError {
  return new MitsuError(wire.code, wire.message, wire.hint);
}
