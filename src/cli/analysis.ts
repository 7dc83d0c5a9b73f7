// Wires the analysis stage for the commands: the analyzer spec from the config, and the
// transform the store worker loads. Rules are loaded once here first, so a bad rule file
// stops start-up with one line before any port is bound.

import { Classifier, BUILTIN_RULES_DIR } from '../classify/classifier.js';
import type { AnalyzerSpec } from '../analyze/analyzer.js';
import type { AnalysisTransformOptions } from '../analyze/worker-transform.js';
import type { Config } from '../config/schema.js';
import type { TransformSpec } from '../store/worker-protocol.js';

export function analyzerSpecOf(analysis: Config['analysis']): AnalyzerSpec {
  return {
    builtinRules: analysis.builtin_rules,
    rules: analysis.rules,
    enrich: analysis.enrich,
    scanners: analysis.scanners,
  };
}

/** Loads the rules the spec names, throwing their MitsuError; returns how many. */
export function checkRules(spec: AnalyzerSpec): Classifier {
  return Classifier.load([...(spec.builtinRules ? [BUILTIN_RULES_DIR] : []), ...spec.rules]);
}

/** A sibling module's URL, `.ts` when running from source (tests), `.js` from dist/. */
function moduleUrl(relative: string): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`${relative}${ext}`, import.meta.url).href;
}

/** The store worker's analysis transform, or none when analysis is off. */
export function analysisTransform(config: Config): TransformSpec | undefined {
  if (!config.analysis.enabled) return undefined;
  const spec = analyzerSpecOf(config.analysis);
  checkRules(spec);
  const options: AnalysisTransformOptions = { spec, logLevel: config.log_level };
  return { module: moduleUrl('../analyze/worker-transform'), options };
}
