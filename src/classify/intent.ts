// An event's intent from its tags: the strongest tag wins (docs/rules.md, "Intent").

import type { Intent, Tag } from '../events/event.js';

/** Strongest first: what the payload itself does, from fetching malware down to probing. */
export const INTENT_ORDER: readonly Intent[] = [
  'malware-download', 'exploit', 'brute-force', 'other', 'scan',
];

const RANK: ReadonlyMap<Intent, number> = new Map(INTENT_ORDER.map((intent, i) => [intent, i]));

/** Lower is stronger; 0 is `malware-download`. */
export function intentRank(intent: Intent): number {
  return RANK.get(intent) ?? INTENT_ORDER.length;
}

/**
 * The strongest intent among `tags`. Without tags: `scan` for a bare connection (nothing
 * sent), `other` for a payload no rule recognised.
 */
export function intentOf(tags: readonly Pick<Tag, 'intent'>[], hasPayload: boolean): Intent {
  let best: Intent | null = null;
  for (const { intent } of tags) {
    if (best === null || intentRank(intent) < intentRank(best)) best = intent;
  }
  return best ?? (hasPayload ? 'other' : 'scan');
}
