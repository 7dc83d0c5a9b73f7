// Wires the analysis stage for the commands: the analyzer spec from the config, and the
// transform the store worker loads. Rules are loaded once here first, so a bad rule file
// stops start-up with one line before any port is bound, and the operator's own rules are
// timed on hostile payloads, so one slow rule cannot stall the storage of every event.

import { Classifier, BUILTIN_RULES_DIR } from '../classify/classifier.js';
import { slowRules, type SlowRule } from '../classify/hostile.js';
import type { AnalyzerSpec } from '../analyze/analyzer.js';
import type { AnalysisTransformOptions } from '../analyze/worker-transform.js';
import type { Config } from '../config/schema.js';
import { MitsuError } from '../lib/errors.js';
import type { Logger } from '../lib/log.js';
import { dissect } from '../protocols/dissect.js';
import type { TransformSpec } from '../store/worker-protocol.js';
import { MAX_RULE_MS } from './commands/rules.js';

/**
 * An added rule this slow on a hostile payload is refused at load: every event of its
 * protocol would pay it. Between MAX_RULE_MS and this it loads with a warning, as a busy
 * machine can make a sound rule look slow.
 */
export const REFUSED_RULE_MS = 4 * MAX_RULE_MS;

export function analyzerSpecOf(analysis: Config['analysis']): AnalyzerSpec {
  return {
    builtinRules: analysis.builtin_rules,
    rules: analysis.rules,
    enrich: analysis.enrich,
    scanners: analysis.scanners,
  };
}

function sourcesOf(spec: AnalyzerSpec): string[] {
  return [...(spec.builtinRules ? [BUILTIN_RULES_DIR] : []), ...spec.rules];
}

function slowest(slow: readonly SlowRule[]): SlowRule {
  return slow.reduce((a, b) => (b.ms > a.ms ? b : a));
}

/**
 * Loads the rules the spec names, throwing their MitsuError, and times the rules not shipped
 * with Mitsu (CI times those): refused past REFUSED_RULE_MS, a warning past MAX_RULE_MS.
 */
export async function checkRules(spec: AnalyzerSpec, log: Logger): Promise<Classifier> {
  const classifier = Classifier.load(sourcesOf(spec));
  const added = new Set(classifier.rules.filter((r) => !r.file.startsWith(BUILTIN_RULES_DIR))
    .map((r) => r.id));
  const slow = await slowRules(classifier, dissect, MAX_RULE_MS, 3, added);
  const refused = slow.filter((s) => s.ms > REFUSED_RULE_MS);
  if (refused.length > 0) {
    const worst = slowest(refused);
    throw new MitsuError('MITSU_CONFIG_INVALID',
      `rule ${worst.id} takes ${worst.ms.toFixed(0)} ms on the hostile payload ` +
      `"${worst.payload}" (limit ${REFUSED_RULE_MS} ms), which would stall event storage`,
      'rewrite it (`mitsu rules test --rules FILE` shows why; prefer * to a large {m,n}) ' +
      'or remove it from analysis.rules');
  }
  if (slow.length > 0) {
    const ids = [...new Set(slow.map((s) => s.id))];
    log.warn({ rules: ids, worst_ms: Number(slowest(slow).ms.toFixed(1)) },
      `${ids.length} added rules are slow on hostile payloads (over ${MAX_RULE_MS} ms); ` +
      'run `mitsu rules test` to see them');
  }
  log.debug({ rules: classifier.rules.length, added: added.size,
    rules_version: classifier.version }, 'rules loaded');
  return classifier;
}

/** A sibling module's URL, `.ts` when running from source (tests), `.js` from dist/. */
function moduleUrl(relative: string): string {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`${relative}${ext}`, import.meta.url).href;
}

export interface LiveAnalysis {
  /** What the store worker loads. */
  transform: TransformSpec;
  /** The rules as checked here (the worker loads the same files). */
  classifier: Classifier;
}

/** The store worker's analysis transform, or none when analysis is off. */
export async function analysisTransform(config: Config, log: Logger):
  Promise<LiveAnalysis | undefined> {
  if (!config.analysis.enabled) return undefined;
  const spec = analyzerSpecOf(config.analysis);
  const classifier = await checkRules(spec, log);
  const options: AnalysisTransformOptions = { spec, logLevel: config.log_level };
  return { transform: { module: moduleUrl('../analyze/worker-transform'), options }, classifier };
}
