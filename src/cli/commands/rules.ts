// `mitsu rules test` classifies every rule's embedded examples through the sensor's own
// parsers and reports each one that comes out wrong, then times every rule on hostile
// payloads and reports the slow ones; `mitsu rules list` prints the rule set, one line per
// rule cut to the terminal's width.

import type { Command } from 'commander';
import { BUILTIN_RULES_DIR, Classifier, type RuleInfo } from '../../classify/classifier.js';
import { describeFailure, testRules } from '../../classify/examples.js';
import { slowRules, type SlowRule } from '../../classify/hostile.js';
import { dissect } from '../../protocols/dissect.js';
import type { CliContext, RegisterCommand } from '../command.js';
import { writeOutput } from '../output.js';

/** A rule over this on a hostile payload (best of 3, every test run) fails `rules test`. */
export const MAX_RULE_MS = 5;
/** A name cut shorter than this makes the list leave the CVE column out (ids name most CVEs). */
const MIN_NAME_CHARS = 20;

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

/** The first CVE and how many more: one rule listing seven would widen every row. */
function cveCell(cve: readonly string[]): string {
  if (cve.length === 0) return '-';
  return cve.length === 1 ? cve[0]! : `${cve[0]!} +${cve.length - 1}`;
}

/** Cuts a line to `width`, marking the cut; lengths count columns for the ASCII ids and names. */
function fit(line: string, width: number): string {
  return line.length <= width ? line : `${line.slice(0, Math.max(0, width - 1))}\u2026`;
}

/** A terminal's width; a pipe or file gets whole lines, for grep and friends. */
function widthOf(out: NodeJS.WritableStream): number {
  const columns = (out as { columns?: number }).columns;
  return columns !== undefined && columns > 0 ? columns : Infinity;
}

/**
 * Id, intent, CVEs and name in aligned columns, each line cut to `width`: the name, last, is
 * what a narrow terminal cuts, and below MIN_NAME_CHARS of it the CVEs make way.
 */
function columns(rules: readonly RuleInfo[], width: number): string[] {
  const full = rules.map((r) => [r.id, r.intent, cveCell(r.cve), r.name]);
  const widest = (rows: string[][], i: number) => Math.max(0, ...rows.map((row) => row[i]!.length));
  const before = [0, 1, 2].reduce((sum, i) => sum + widest(full, i) + 2, 0);
  const rows = before + MIN_NAME_CHARS <= width ? full
    : full.map(([id, intent, , name]) => [id!, intent!, name!]);
  const widths = rows[0]?.slice(0, -1).map((_, i) => widest(rows, i)) ?? [];
  return rows.map((row) => fit(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ')
    .trimEnd(), width));
}

async function runList(flags: ListFlags, ctx: CliContext): Promise<void> {
  const classifier = load(flags);
  if (flags.json === true) {
    await write(ctx, [JSON.stringify({ version: classifier.version, rules: classifier.rules })]);
    return;
  }
  await write(ctx, columns(classifier.rules, widthOf(ctx.stdout)));
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
    .description('print id, intent, CVEs and name of every rule, each line cut to the ' +
      "terminal's width (whole lines in a pipe)")
    .option('--json', 'print the rules and the rule set version as one JSON object')
    .action((flags: ListFlags) => runList(flags, ctx()));
};
