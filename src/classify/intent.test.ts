// The event's intent: the strongest of its tags, else scan or other by whether bytes came.

import { describe, expect, it } from 'vitest';
import type { Intent } from '../events/event.js';
import { INTENT_ORDER, intentOf, intentRank } from './intent.js';

const tags = (...intents: Intent[]) => intents.map((intent) => ({ intent }));

describe('intentOf', () => {
  it('orders malware-download > exploit > brute-force > other > scan', () => {
    expect(INTENT_ORDER).toStrictEqual(['malware-download', 'exploit', 'brute-force', 'other',
      'scan']);
    expect(intentRank('malware-download')).toBeLessThan(intentRank('exploit'));
    expect(intentRank('other')).toBeLessThan(intentRank('scan'));
  });

  it('picks the strongest tag, whatever the order of the tags', () => {
    expect(intentOf(tags('scan', 'exploit', 'brute-force'), true)).toBe('exploit');
    expect(intentOf(tags('exploit', 'malware-download'), true)).toBe('malware-download');
    expect(intentOf(tags('scan', 'other'), true)).toBe('other');
    expect(intentOf(tags('brute-force', 'scan'), true)).toBe('brute-force');
  });

  it('lets a tag decide even when no payload came', () => {
    expect(intentOf(tags('scan'), false)).toBe('scan');
    expect(intentOf(tags('brute-force'), false)).toBe('brute-force');
  });

  it('says scan for a bare connection and other for a payload no rule knows', () => {
    expect(intentOf([], false)).toBe('scan');
    expect(intentOf([], true)).toBe('other');
  });
});
