// The analysis stage as the store worker loads it (see TransformSpec in src/store): each
// batch of live events is classified and enriched in the worker thread, off the sensor's
// event loop. A stage failure is logged once per stage and counted, never fatal.

import { createLogger, type LogLevel } from '../lib/log.js';
import type { MitsuEvent } from '../events/event.js';
import { Analyzer, type AnalyzerSpec } from './analyzer.js';

export interface AnalysisTransformOptions {
  spec: AnalyzerSpec;
  logLevel: LogLevel;
}

export function createTransform(
  options: AnalysisTransformOptions,
): (events: MitsuEvent[]) => MitsuEvent[] {
  const log = createLogger(options.logLevel);
  const failures = new Map<string, number>();
  const analyzer = Analyzer.open(options.spec, (stage, err) => {
    const seen = failures.get(stage) ?? 0;
    failures.set(stage, seen + 1);
    // The first failure of a stage is logged with its error; later ones are only counted.
    if (seen === 0) log.error({ err, stage }, 'analysis stage failed');
  });
  log.debug({ rules: analyzer.classifier.rules.length, version: analyzer.version },
    'analysis loaded');
  return (events) => events.map((event) => analyzer.apply(event));
}
