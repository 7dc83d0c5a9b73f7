// The analysis of one event: signatures and intent, payload template, IOCs, and what is
// known of its source. The store worker runs it on live events, `mitsu reclassify` on stored
// ones and importers on foreign logs, so all three always agree.

import { Classifier, BUILTIN_RULES_DIR } from '../classify/classifier.js';
import { intentOf } from '../classify/intent.js';
import { extractIocs } from '../classify/iocs/index.js';
import { templateOf } from '../classify/template.js';
import { Enricher } from '../enrich/enricher.js';
import {
  emptyIocs, type Analysis, type MitsuEvent,
} from '../events/event.js';
import { AnalysisMemo, memoKey, type PayloadAnalysis } from './memo.js';

/** Plain data, so it can cross into a worker thread. */
export interface AnalyzerSpec {
  /** Load the rule set shipped with Mitsu first. */
  builtinRules: boolean;
  /** More rule files or folders, loaded after the built-in ones. */
  rules: string[];
  /** Country and ASN from the offline databases. */
  enrich: boolean;
  /** A scanner list to use instead of the shipped one. */
  scanners: string | null;
  /** Remember the analysis of repeated payloads (default on; off to measure the worst case). */
  memo?: boolean;
}

export const DEFAULT_ANALYZER_SPEC: AnalyzerSpec = {
  builtinRules: true, rules: [], enrich: true, scanners: null,
};

/** Which stage failed on an event, for a caller that logs once and counts. */
export type StageFailure = (stage: string, err: unknown) => void;

export interface AnalyzeOptions {
  /** Keep the source fields the event already has instead of looking them up again. */
  keepSource?: boolean;
}

export class Analyzer {
  readonly classifier: Classifier;
  readonly #enricher: Enricher;
  readonly #onFailure: StageFailure;
  readonly #memo: AnalysisMemo | null;

  private constructor(classifier: Classifier, enricher: Enricher, onFailure: StageFailure,
    memo: boolean) {
    this.classifier = classifier;
    this.#enricher = enricher;
    this.#onFailure = onFailure;
    this.#memo = memo ? new AnalysisMemo() : null;
  }

  /** Loads rules and databases; throws MitsuError naming what to fix. */
  static open(spec: AnalyzerSpec, onFailure: StageFailure = () => undefined): Analyzer {
    const sources = [...(spec.builtinRules ? [BUILTIN_RULES_DIR] : []), ...spec.rules];
    const classifier = Classifier.load(sources);
    const enricher = Enricher.open({
      geo: spec.enrich, asn: spec.enrich,
      ...(spec.scanners !== null && { scannersFile: spec.scanners }),
    });
    return new Analyzer(classifier, enricher, onFailure, spec.memo !== false);
  }

  get version(): string {
    return this.classifier.version;
  }

  /** The event with its analysis filled in; a stage that throws leaves its fields empty. */
  apply(event: MitsuEvent, options: AnalyzeOptions = {}): MitsuEvent {
    return { ...event, ...this.analyze(event, options) };
  }

  analyze(event: MitsuEvent, options: AnalyzeOptions = {}): Analysis {
    const source = options.keepSource === true && event.src_scope !== null
      ? sourceOf(event)
      : this.#stage<Source>('enrich', () => this.#lookup(event), UNKNOWN_SOURCE);
    return { ...this.#payloadAnalysis(event), ...source, rules_version: this.classifier.version };
  }

  /** An importer whose logs name the source's reverse-DNS name puts it in `fields.src_ptr`. */
  #lookup(event: MitsuEvent): Source {
    const ptr = event.fields['src_ptr'];
    return this.#enricher.lookup(event.src_ip, typeof ptr === 'string' ? ptr : undefined);
  }

  /** Tags, intent, IOCs and template: remembered by content, as repeats are the rule. */
  #payloadAnalysis(event: MitsuEvent): PayloadAnalysis {
    const key = this.#memo === null ? null : memoKey(event);
    const known = key === null ? undefined : this.#memo?.get(key);
    if (known !== undefined) return known;
    const verdict = this.#stage('classify', () => this.classifier.classify(event), null);
    const hasPayload = event.payload_len > 0 || event.commands.length > 0;
    const tags = verdict?.tags ?? [];
    const result: PayloadAnalysis = {
      tags,
      intent: verdict?.intent ?? intentOf([], hasPayload),
      iocs: this.#stage('iocs', () => extractIocs(event), emptyIocs()),
      template: this.#stage('template', () => templateOf(event, tags.map((t) => t.id)), null),
    };
    if (key !== null) this.#memo?.set(key, result);
    return result;
  }

  /** How often the payload analysis was found remembered. */
  get memoStats(): { hits: number; misses: number } {
    return { hits: this.#memo?.hits ?? 0, misses: this.#memo?.misses ?? 0 };
  }

  #stage<T>(stage: string, work: () => T, fallback: T): T {
    try {
      return work();
    } catch (err) {
      this.#onFailure(stage, err);
      return fallback;
    }
  }
}

type Source = Pick<Analysis, 'country' | 'asn' | 'as_org' | 'src_scope' | 'scanner'>;

const UNKNOWN_SOURCE: Source = {
  country: null, asn: null, as_org: null, src_scope: null, scanner: null,
};

function sourceOf(event: MitsuEvent): Source {
  const { country, asn, as_org, src_scope, scanner } = event;
  return { country, asn, as_org, src_scope, scanner };
}
