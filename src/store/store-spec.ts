// Names a store to open, as plain data that can cross into a worker thread, and opens it.
// The one place that maps a spec to a concrete store; ClickHouse will add its kind here.

import type { EventStore } from '../events/store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

export interface StoreSpec {
  kind: 'sqlite';
  path: string;
  readonly?: boolean;
  busyTimeoutMs?: number;
}

export function openStore(spec: StoreSpec): EventStore {
  const { readonly, busyTimeoutMs } = spec;
  return SqliteStore.open(spec.path, {
    ...(readonly !== undefined && { readonly }),
    ...(busyTimeoutMs !== undefined && { busyTimeoutMs }),
  });
}
