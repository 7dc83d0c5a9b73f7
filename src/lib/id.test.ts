import { describe, expect, it } from 'vitest';
import { eventId } from './id.js';

/** Decodes a ULID's time part back into epoch milliseconds. */
function timeOf(id: string): number {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  return [...id.slice(0, 10)].reduce((t, c) => t * 32 + alphabet.indexOf(c), 0);
}

describe('event ids', () => {
  it('are 26 Crockford base32 characters whose time part is the given time', () => {
    const ms = Date.UTC(2026, 11, 3, 17, 0, 0, 123);
    const id = eventId(ms);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(timeOf(id)).toBe(ms);
  });

  it('sort in creation order within one millisecond and across milliseconds', () => {
    const ms = Date.UTC(2027, 0, 1);
    const ids = [...Array.from({ length: 1000 }, () => eventId(ms)), eventId(ms + 1)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sort by their own time when made out of time order', () => {
    const later = eventId(Date.UTC(2027, 5, 1));
    const earlier = eventId(Date.UTC(2027, 4, 1));
    expect(earlier < later).toBe(true);
    expect(timeOf(earlier)).toBe(Date.UTC(2027, 4, 1));
  });
});
