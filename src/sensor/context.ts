// What a connection or UDP exchange needs from the sensor that owns it.

import type { Config } from '../config/schema.js';
import type { CloseReason, MitsuEvent } from '../events/event.js';
import type { Admission } from './admission.js';

/** An open TCP connection as the sensor sees it. */
export interface OpenConnection {
  readonly startMs: number;
  stop(reason: CloseReason): void;
}

export interface SensorContext {
  readonly config: Config;
  readonly admission: Admission;
  /** Hands a finished event to the store; never blocks. */
  record(event: MitsuEvent): void;
  /** Called once when a connection has recorded its event. */
  closed(connection: OpenConnection): void;
  /** A failure of ours inside one connection: logged once per kind, then counted. */
  failure(kind: string, err: unknown): void;
}
