// Event ids: ULIDs (26 Crockford base32 characters, time first), so sorting ids sorts events
// by start time, and ids made on different sensors never collide.

import { monotonicFactory } from 'ulid';

const next = monotonicFactory();

/** A new id whose time part is `ms` (epoch milliseconds). */
export function eventId(ms: number = Date.now()): string {
  return next(ms);
}
