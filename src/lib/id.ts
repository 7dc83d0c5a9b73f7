// Event ids: ULIDs (26 Crockford base32 characters: 10 of time, 16 of randomness), so sorting
// ids sorts events by start time and ids made on different sensors never collide. Monotonic
// within a millisecond, as the ULID spec asks. Written here rather than taken from the `ulid`
// package, which drew one random value per character and cost 6% of a short connection.

import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TIME_CHARS = 10;
const RANDOM_CHARS = 16;
const POOL_BYTES = 4096;

let pool = randomBytes(POOL_BYTES);
let poolAt = 0;
let lastMs = -1;
const lastRandom = new Uint8Array(RANDOM_CHARS);

function freshRandom(): void {
  if (poolAt + RANDOM_CHARS > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  for (let i = 0; i < RANDOM_CHARS; i++) lastRandom[i] = (pool[poolAt + i] as number) & 31;
  poolAt += RANDOM_CHARS;
}

/** Adds one to the random part; on the (2^80) overflow, starts a fresh random part. */
function incrementRandom(): void {
  for (let i = RANDOM_CHARS - 1; i >= 0; i--) {
    if ((lastRandom[i] as number) < 31) {
      lastRandom[i] = (lastRandom[i] as number) + 1;
      return;
    }
    lastRandom[i] = 0;
  }
  freshRandom();
}

function encodeTime(ms: number): string {
  let out = '';
  for (let i = 0, t = ms; i < TIME_CHARS; i++, t = Math.floor(t / 32)) out = ALPHABET[t % 32] + out;
  return out;
}

/**
 * A new id whose time part is `ms` (epoch milliseconds). Ids made for the same millisecond
 * in a row increase; an earlier millisecond (a long connection ending after short ones)
 * gets a fresh random part, so its id still sorts by its own start time.
 */
export function eventId(ms: number = Date.now()): string {
  if (ms === lastMs) {
    incrementRandom();
  } else {
    lastMs = ms;
    freshRandom();
  }
  let random = '';
  for (let i = 0; i < RANDOM_CHARS; i++) random += ALPHABET[lastRandom[i] as number];
  return encodeTime(lastMs) + random;
}
