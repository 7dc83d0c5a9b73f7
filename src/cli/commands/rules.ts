// `mitsu rules test` classifies every rule's embedded examples through the sensor's own
// parsers and reports each one that comes out wrong, then times every rule on hostile
// payloads and reports the slow ones; `mitsu rules list` prints the rule set.

import type { Command } from 'commander';
import { BUILTIN_RULES_DIR, Classifier, type RuleInfo } from '../../classify/classifier.js';
import { describeFailure, testRules } from '../../classify/examples.js';
import { slowRules, type SlowRule } from '../../classify/hostile.js';
import { dissect } from '../../protocols/dissect.js';
import type { CliContext, RegisterCommand } from '../command.js';
import { writeOutput } from '../output.js';

/** A rule over this on a hostile payload (best of 3, every test run) fails `rules test`. */
export const MAX_RULE_MS = 5;

interface RulesFlags {
  /** Extra rule files or folders, loaded after the built-in ones. */
  rules?: string[];
  /** False with --no-builtin. */
  builtin: boolean;
}

interface TestFlags extends RulesFlags {
  /** False with --no-timing. */
  timing: boolean;
}

interface ListFlags extends RulesFlags {
  json?: boolean;
}

function load(flags: RulesFlags): Classifier {
  return Classifier.load([...(flags.builtin ? [BUILTIN_RULES_DIR] : []), ...flags.rules ?? []]);
}

/** `mitsu rules list | head` closes the pipe early: the output stops there, quietly. */
async function write(ctx: CliContext, lines: string[]): Promise<void> {
  await writeOutput(ctx.stdout, lines.map((line) => `${line}\n`));
}

function describeSlow(slow: SlowRule): string {
  return `SLOW ${slow.id}: ${slow.ms.toFixed(1)} ms on the hostile payload "${slow.payload}" ` +
    `(limit ${MAX_RULE_MS} ms); prefer * to a large {m,n} repeat, see docs/rules.md`;
}

async function runTest(flags: TestFlags, ctx: CliContext): Promise<void> {
  const classifier = load(flags);
  const result = await testRules(classifier, dissect);
  const slow = flags.timing ? await slowRules(classifier, dissect, MAX_RULE_MS) : [];
  const failed = result.failures.length;
  const verdict = failed + slow.length === 0 ? 'all pass'
    : [failed > 0 && `${failed} failed`, slow.length > 0 && `${slow.length} slow`]
      .filter(Boolean).join(', ');
  await write(ctx, [
    ...result.failures.map(describeFailure),
    ...slow.map(describeSlow),
    `${result.rules} rules, ${result.examples} examples, ${result.counterExamples} ` +
      `counter-examples: ${verdict} (rules version ${classifier.version})`,
  ]);
  // As `mitsu replay` does: failures are the command's answer, not an error of Mitsu's.
  if (failed + slow.length > 0) process.exitCode = 1;
}

function columns(rules: readonly RuleInfo[]): string[] {
  const rows = rules.map((r) => [r.id, r.intent, r.cve.join(',') || '-', r.name]);
  const widths = [0, 1, 2].map((i) => Math.max(0, ...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
    .trimEnd());
}

async function runList(flags: ListFlags, ctx: CliContext): Promise<void> {
  const classifier = load(flags);
  if (flags.json === true) {
    await write(ctx, [JSON.stringify({ version: classifier.version, rules: classifier.rules })]);
    return;
  }
  await write(ctx, columns(classifier.rules));
}

function withRuleSources(command: Command): Command {
  return command
    .option('--rules <path...>', 'more rule files or folders, after the built-in ones')
    .option('--no-builtin', 'leave out the rules shipped with Mitsu');
}

export const registerRules: RegisterCommand = (program: Command, ctx) => {
  const rules = program.command('rules')
    .description('test or list the signature rules (rules/ and any --rules folders)');
  withRuleSources(rules.command('test'))
    .description('check every rule against its examples and counter-examples, and time it ' +
      `on hostile payloads (at most ${MAX_RULE_MS} ms each); exit 1 if any fails`)
    .option('--no-timing', 'leave out the timing on hostile payloads')
    .action((flags: TestFlags) => runTest(flags, ctx()));
  withRuleSources(rules.command('list'))
    .description('print id, intent, CVEs and name of every rule')
    .option('--json', 'print the rules and the rule set version as one JSON object')
    .action((flags: ListFlags) => runList(flags, ctx()));
};
