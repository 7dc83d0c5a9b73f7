// Test support: a batch transform for the store worker, standing in for the analysis stage
// in ThreadedSink tests. `fail: true` makes loading it fail, as a bad rule file would;
// `defer: true` stores each batch as it is and sets the template later, when idle.

import { MitsuError } from '../lib/errors.js';
import { analysisOf, type MitsuEvent } from '../events/event.js';
import type { BatchTransform } from './worker-protocol.js';

interface TestTransformOptions {
  template: string;
  fail?: boolean;
  defer?: boolean;
}

export function createTransform(options: TestTransformOptions): BatchTransform {
  if (options.fail === true) {
    throw new MitsuError('MITSU_CONFIG_INVALID', 'test transform refused to load', 'fix it');
  }
  const { template } = options;
  if (options.defer !== true) {
    return { apply: (events) => events.map((ev) => ({ ...ev, template })) };
  }
  const later: MitsuEvent[] = [];
  return {
    apply: (events) => {
      later.push(...events);
      return events;
    },
    // One event a slice, so a test sees catch-up interleave with batches.
    catchUp: () => {
      const event = later.shift();
      return event === undefined ? null : [{ ...analysisOf(event), id: event.id, template }];
    },
  };
}
