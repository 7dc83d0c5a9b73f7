// Turns a validated condition tree into one closure per rule: targets resolved, needles
// lower-cased and regexes compiled once at load, so matching an event does no parsing.

import { requiredLiterals } from './literals.js';
import { compilePattern } from './regex.js';
import type { Condition, StringOperator } from './schema.js';
import type { EventView } from './view.js';

export type Matcher = (view: EventView) => boolean;

type StringTest = (value: string, needle: string) => boolean;

const STRING_TESTS: Record<StringOperator, StringTest> = {
  equals: (value, needle) => value === needle,
  contains: (value, needle) => value.includes(needle),
  prefix: (value, needle) => value.startsWith(needle),
};

function compileString(target: string, op: StringOperator, needles: string[],
  nocase: boolean): Matcher {
  const wanted = nocase ? needles.map((n) => n.toLowerCase()) : needles;
  const valuesOf = nocase
    ? (view: EventView) => view.lowerValues(target)
    : (view: EventView) => view.values(target);
  if (op === 'equals') {
    const set = new Set(wanted);
    return (view) => valuesOf(view).some((value) => set.has(value));
  }
  const test = STRING_TESTS[op];
  return (view) => valuesOf(view).some((value) => wanted.some((n) => test(value, n)));
}

/**
 * A regex test that first looks for a literal every match must contain: a value without one
 * cannot match, and a substring search is far cheaper than a call into RE2. Lower-cased
 * literals are only trusted on ASCII values, where lower-casing folds case as RE2 does.
 */
function compileRegex(target: string, pattern: string): Matcher {
  const re = compilePattern(pattern);
  const required = requiredLiterals(pattern);
  if (required === null) {
    return (view) => view.regexInputs(target).some((input) => re.test(input));
  }
  const { literals, nocase } = required;
  return (view) => {
    const values = nocase ? view.lowerValues(target) : view.values(target);
    for (let i = 0; i < values.length; i++) {
      const sure = !nocase || view.isAscii(target, i);
      if (sure && !literals.some((literal) => values[i]!.includes(literal))) continue;
      if (re.test(view.regexInput(target, i))) return true;
    }
    return false;
  };
}

function compileAll(parts: Matcher[]): Matcher {
  return (view) => {
    for (const part of parts) if (!part(view)) return false;
    return true;
  };
}

function compileAny(parts: Matcher[]): Matcher {
  return (view) => {
    for (const part of parts) if (part(view)) return true;
    return false;
  };
}

/** Every target the condition's tests read. */
export function targetsOf(condition: Condition): string[] {
  switch (condition.kind) {
    case 'all': case 'any': return condition.of.flatMap(targetsOf);
    case 'not': return targetsOf(condition.of);
    default: return [condition.target];
  }
}

/**
 * A closure that runs every test of `condition`, whatever the combinators would skip: the
 * most work the rule can cost on an event crafted to pass its cheap tests (for timing).
 */
export function compileWorstCase(condition: Condition): (view: EventView) => void {
  switch (condition.kind) {
    case 'all': case 'any': {
      const parts = condition.of.map(compileWorstCase);
      return (view) => parts.forEach((part) => part(view));
    }
    case 'not': return compileWorstCase(condition.of);
    default: {
      const test = compileCondition(condition);
      return (view) => {
        test(view);
      };
    }
  }
}

/** One closure that tells whether `condition` holds for an event. */
export function compileCondition(condition: Condition): Matcher {
  switch (condition.kind) {
    case 'all': return compileAll(condition.of.map(compileCondition));
    case 'any': return compileAny(condition.of.map(compileCondition));
    case 'not': {
      const inner = compileCondition(condition.of);
      return (view) => !inner(view);
    }
    case 'string':
      return compileString(condition.target, condition.op, condition.values, condition.nocase);
    case 'regex': return compileRegex(condition.target, condition.pattern);
    case 'bytes': {
      const bytes = condition.bytes;
      return (view) => view.payload.includes(bytes);
    }
    case 'exists': {
      const { target, exists } = condition;
      return (view) => (view.values(target).length > 0) === exists;
    }
  }
}
