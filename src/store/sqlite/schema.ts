// The SQLite store's schema: the application id that marks a file as Mitsu's, and the
// ordered migrations. A migration, once released, is never edited: add a new one instead.

import type { Database } from 'better-sqlite3';

/** `PRAGMA application_id` of every Mitsu store: the bytes 'MITS' read as a big-endian int. */
export const MITSU_APPLICATION_ID = 0x4d495453;

/** One step of the schema; the store's `user_version` counts the steps applied. */
export type Migration = string | ((db: Database) => void);

export const MIGRATIONS: readonly Migration[] = [
  `CREATE TABLE events (
     id TEXT PRIMARY KEY NOT NULL,
     start_ms INTEGER NOT NULL,
     end_ms INTEGER NOT NULL,
     event TEXT NOT NULL,
     sensor TEXT NOT NULL,
     transport TEXT NOT NULL,
     src_ip TEXT NOT NULL,
     src_port INTEGER NOT NULL,
     dst_ip TEXT NOT NULL,
     dst_port INTEGER NOT NULL,
     protocol TEXT NOT NULL,
     intent TEXT,
     template TEXT,
     country TEXT,
     bytes_in INTEGER NOT NULL,
     bytes_out INTEGER NOT NULL,
     payload BLOB NOT NULL,
     payload_len INTEGER NOT NULL,
     payload_truncated INTEGER NOT NULL,
     payload_sha256 TEXT NOT NULL,
     close_reason TEXT NOT NULL,
     extra_json TEXT NOT NULL
   );
   CREATE INDEX events_start ON events (start_ms, id);
   CREATE INDEX events_port_start ON events (dst_port, start_ms);
   CREATE INDEX events_src_start ON events (src_ip, start_ms);`,
];

/** The `user_version` this code writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS.length;
