// Test support: a batch transform for the store worker, standing in for the analysis stage
// in ThreadedSink tests. `fail: true` makes loading it fail, as a bad rule file would.

import { MitsuError } from '../lib/errors.js';
import type { MitsuEvent } from '../events/event.js';
import type { BatchTransform } from './worker-protocol.js';

export function createTransform(options: { template: string; fail?: boolean }): BatchTransform {
  if (options.fail === true) {
    throw new MitsuError('MITSU_CONFIG_INVALID', 'test transform refused to load', 'fix it');
  }
  return (events: MitsuEvent[]) => events.map((ev) => ({ ...ev, template: options.template }));
}
