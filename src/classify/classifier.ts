// The signature engine: loads rule files, compiles them, and tags events. Rules are indexed by
// protocol and transport, so an event runs only the rules that can apply to it.

import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Intent, MitsuEvent, Tag, Transport } from '../events/event.js';
import { intentOf, intentRank } from './intent.js';
import {
  compileCondition, compileWorstCase, targetsOf, type Matcher,
} from './rules/compile.js';
import { loadRules, type LoadedRule } from './rules/load.js';
import type { Condition, Example } from './rules/schema.js';
import { EventView, type ViewedEvent } from './rules/view.js';

/** The rules shipped with Mitsu: `rules/` at the package root, from `src/` and `dist/` alike. */
export const BUILTIN_RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

/** Hex digits of the SHA-256 kept as the rule set's version. */
const VERSION_HEX_CHARS = 12;
/** Protocol/transport pairs whose candidate list is kept; others are computed per event. */
const MAX_CACHED_INDEX_KEYS = 1024;

/** What reports, the dashboard and `mitsu rules list` show about a rule. */
export interface RuleInfo {
  id: string;
  name: string;
  description: { en: string; ja: string };
  intent: Intent;
  cve: string[];
  family: string | null;
  references: string[];
  /** Protocols it applies to; empty for any. */
  protocols: string[];
  transport: Transport | null;
  /** The ports its payloads usually arrive on (a hint, never a condition). */
  ports: number[];
  /** The file that defines it. */
  file: string;
}

/** A rule with its examples, as `mitsu rules test` needs it. */
export interface RuleDefinition {
  info: RuleInfo;
  examples: Example[];
  counterExamples: Example[];
}

export type ClassifiableEvent = ViewedEvent & Pick<MitsuEvent, 'payload_len'>;

export interface Classification {
  tags: Tag[];
  intent: Intent;
}

interface CompiledRule {
  index: number;
  rank: number;
  info: RuleInfo;
  tag: Tag;
  match: Matcher;
  condition: Condition;
  /** Built on first use: only timing runs need it. */
  exercise?: (view: EventView) => void;
}

function infoOf({ rule, file }: LoadedRule): RuleInfo {
  const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : [v].flat() as T[]);
  return {
    id: rule.id, name: rule.name, description: { ...rule.description }, intent: rule.intent,
    cve: rule.cve ?? [], family: rule.family ?? null, references: rule.references ?? [],
    protocols: list(rule.protocol), transport: rule.transport ?? null, ports: list(rule.port),
    file,
  };
}

function versionOf(texts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const text of texts) {
    // Length-prefixed, so moving text from one file to the next changes the version.
    hash.update(`${Buffer.byteLength(text)}\n`).update(text);
  }
  return hash.digest('hex').slice(0, VERSION_HEX_CHARS);
}

function hasPayload(event: ClassifiableEvent): boolean {
  return event.payload_len > 0 || event.payload_b64 !== '' || event.commands.length > 0;
}

export class Classifier {
  readonly version: string;
  readonly rules: readonly RuleInfo[];
  readonly #compiled: readonly CompiledRule[];
  readonly #byId: ReadonlyMap<string, CompiledRule>;
  readonly #definitions: readonly RuleDefinition[];
  readonly #index = new Map<string, readonly CompiledRule[]>();

  private constructor(loaded: readonly LoadedRule[], texts: readonly string[]) {
    this.version = versionOf(texts);
    this.#compiled = loaded.map((entry, index) => {
      const info = infoOf(entry);
      const tag: Tag = { id: info.id, name: info.name, intent: info.intent, cve: info.cve };
      return { index, rank: intentRank(info.intent), info, tag,
        match: compileCondition(entry.rule.match), condition: entry.rule.match };
    });
    this.rules = this.#compiled.map((c) => c.info);
    this.#byId = new Map(this.#compiled.map((c) => [c.info.id, c]));
    this.#definitions = loaded.map((entry, i) => ({ info: this.rules[i]!,
      examples: entry.rule.examples, counterExamples: entry.rule.counter_examples ?? [] }));
  }

  /** Loads rule files or folders in order; throws MitsuError on the first bad rule. */
  static load(sources: readonly string[]): Classifier {
    const { rules, texts } = loadRules(sources);
    return new Classifier(rules, texts);
  }

  /** Tags in a stable order (strongest intent first, then rule order) and the intent. */
  classify(event: ClassifiableEvent): Classification {
    const view = this.view(event);
    const matched = this.#candidates(event.protocol, event.transport).filter((r) => r.match(view));
    matched.sort((a, b) => a.rank - b.rank || a.index - b.index);
    const tags = matched.map((r) => ({ ...r.tag, cve: [...r.tag.cve] }));
    return { tags, intent: intentOf(tags, hasPayload(event)) };
  }

  /** What rules see of `event`, computed lazily; share one between `matchRule` calls. */
  view(event: ViewedEvent): EventView {
    return new EventView(event);
  }

  /** Whether one rule matches `event`, ignoring its protocol and transport (for timing). */
  matchRule(id: string, event: ViewedEvent | EventView): boolean {
    const rule = this.#byId.get(id);
    if (rule === undefined) throw new RangeError(`no rule ${id}`);
    return rule.match(event instanceof EventView ? event : this.view(event));
  }

  /**
   * Runs every test of one rule on `view`, even those its all/any/not would skip: the most
   * the rule can cost on an event crafted to pass its cheap tests (for timing).
   */
  exerciseRule(id: string, view: EventView): void {
    const rule = this.#byId.get(id);
    if (rule === undefined) throw new RangeError(`no rule ${id}`);
    rule.exercise ??= compileWorstCase(rule.condition);
    rule.exercise(view);
  }

  /** Every target the loaded rules read (`payload`, `field:path`, `header:user-agent`...). */
  targets(): string[] {
    return [...new Set(this.#compiled.flatMap((r) => targetsOf(r.condition)))];
  }

  /** Every rule with its examples, in load order. */
  definitions(): readonly RuleDefinition[] {
    return this.#definitions;
  }

  /** The rules an event of this protocol and transport runs, in rule order. */
  candidateIds(protocol: string, transport: Transport): string[] {
    return this.#candidates(protocol, transport).map((r) => r.info.id);
  }

  #candidates(protocol: string, transport: Transport): readonly CompiledRule[] {
    const key = `${transport}/${protocol}`;
    let list = this.#index.get(key);
    if (list === undefined) {
      list = this.#compiled.filter(({ info }) =>
        (info.protocols.length === 0 || info.protocols.includes(protocol)) &&
        (info.transport === null || info.transport === transport));
      if (this.#index.size < MAX_CACHED_INDEX_KEYS) this.#index.set(key, list);
    }
    return list;
  }
}
