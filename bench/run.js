// `npm run bench`: measures the Mitsu sensor beside a bare Node `net` server in the same run
// (short connections at each concurrency, then idle connections held) and prints one table.
// Settings come from BENCH_* environment variables; docs/benchmarks.md describes them.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureLoadgen } from './lib/loadgen.js';
import { measureIdle, measureShort, SERVER_CPU } from './lib/measure.js';
import { installCleanup, killAll, stopGroup } from './lib/processes.js';
import { bottleneckNotes, buildRows, formatTable } from './lib/report.js';
import {
  baselineSubject, mitsuSubject, mitsuUnavailable, startServer,
} from './lib/servers.js';
import { readSettings } from './lib/settings.js';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const RESULTS_FILE = join(BENCH_DIR, 'results', 'latest.json');

function say(text) {
  process.stderr.write(`bench: ${text}\n`);
}

/** The fastest round: other programs on the machine only ever slow a round down. */
function fastest(measurements) {
  return measurements.reduce((best, m) => (m.conns_per_s > best.conns_per_s ? m : best));
}

/**
 * Both servers stay up. Each round measures every concurrency level on both, one right after
 * the other, the order swapped every round so neither always runs on a warmer machine.
 */
async function shortPhase(reference, subject, settings, workRoot) {
  const servers = [];
  try {
    servers.push(await startServer(reference, SERVER_CPU, workRoot, 'short-reference'));
    servers.push(await startServer(subject, SERVER_CPU, workRoot, 'short-subject'));
    const runs = settings.concurrency.map(() => [[], []]);
    for (let round = 0; round < settings.rounds; round++) {
      for (const [level, concurrency] of settings.concurrency.entries()) {
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const side of order) {
          say(`short c=${concurrency}: ${servers[side].label} (round ${round + 1})`);
          runs[level][side].push(await measureShort(servers[side], concurrency, settings));
        }
      }
    }
    return settings.concurrency.map((concurrency, level) => ({
      concurrency,
      reference: fastest(runs[level][0]),
      subject: fastest(runs[level][1]),
      rounds: { reference: runs[level][0], subject: runs[level][1] },
    }));
  } finally {
    for (const server of servers) await stopGroup(server.child);
  }
}

async function idlePhase(reference, subject, settings, workRoot) {
  say(`idle ${settings.idleCount}: ${reference.label}`);
  const ref = await measureIdle(reference, settings, workRoot, 'idle-reference');
  say(`idle ${settings.idleCount}: ${subject.label}`);
  const sub = await measureIdle(subject, settings, workRoot, 'idle-subject');
  return { reference: ref, subject: sub };
}

function chooseSubject(settings) {
  if (settings.subject === 'baseline') return baselineSubject('node net #2');
  const reason = mitsuUnavailable();
  if (reason !== undefined) {
    say(`cannot benchmark the sensor: ${reason}`);
    say('set BENCH_SUBJECT=baseline to check the harness against a second baseline server');
    process.exit(2);
  }
  return mitsuSubject(settings.idleCount);
}

function report(results, subject, reference) {
  const rows = buildRows(results);
  process.stdout.write(`${formatTable(rows, subject.label, reference.label)}\n\n`);
  for (const note of bottleneckNotes(results, subject.label, reference.label)) {
    process.stdout.write(`${note}\n`);
  }
  mkdirSync(dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...results, rows }, null, 2)}\n`);
  process.stdout.write(`\nresults: ${RESULTS_FILE}\n`);
}

async function main() {
  const settings = readSettings(process.env);
  installCleanup();
  setTimeout(() => {
    say(`stopped: the run took longer than BENCH_MAX_S=${settings.maxS}`);
    killAll();
    process.exit(1);
  }, settings.maxS * 1000).unref();

  ensureLoadgen();
  const reference = baselineSubject();
  const subject = chooseSubject(settings);
  const workRoot = mkdtempSync(join(tmpdir(), 'mitsu-bench-'));
  const results = {
    when: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
    settings,
    subject: subject.label,
    reference: reference.label,
    short: settings.skip.includes('short') ? [] : await shortPhase(reference, subject, settings,
      workRoot),
    idle: settings.skip.includes('idle') ? null : await idlePhase(reference, subject, settings,
      workRoot),
  };
  report(results, subject, reference);
  if (settings.keep) say(`server logs and databases kept in ${workRoot}`);
  else rmSync(workRoot, { recursive: true, force: true });
}

main().catch((err) => {
  say(`failed: ${err.message}`);
  killAll();
  process.exit(1);
});
