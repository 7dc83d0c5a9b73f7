// Opens the store a sensor already wrote, for the commands that read or rewrite it. Only
// `mitsu start` may create a store: anywhere else a mistyped --db must give one error line,
// not a new empty store and directory.

import { checkBeforeRead } from '../store/sqlite/open-check.js';
import { SqliteStore } from '../store/sqlite/sqlite-store.js';

/** Throws MITSU_STORE_UNAVAILABLE ("no event store at ...; check --db") when none is there. */
export function openExistingStore(file: string, options: { readonly?: boolean } = {}):
  SqliteStore {
  // A read-only open makes the same check itself; a read-write one would create the file.
  if (options.readonly !== true) checkBeforeRead(file);
  return SqliteStore.open(file, options);
}
