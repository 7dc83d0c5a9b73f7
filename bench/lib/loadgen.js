// Builds bench/loadgen.c with `cc -O2` into bench/build/ when the binary is missing or older
// than its source, and runs it pinned to the generator CPU with a hard time limit, reading
// its JSON lines.
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPinned, stopGroup } from './processes.js';

const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
const SOURCE = join(BENCH_DIR, 'loadgen.c');
const BUILD_DIR = join(BENCH_DIR, 'build');
const BINARY = join(BUILD_DIR, 'loadgen');
const MAX_OUTPUT_BYTES = 64 * 1024;

function mtimeMs(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -1; // missing
  }
}

/** Compiles the generator if needed; returns the binary's path. */
export function ensureLoadgen() {
  if (mtimeMs(BINARY) > mtimeMs(SOURCE)) return BINARY;
  mkdirSync(BUILD_DIR, { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-Wextra', '-o', BINARY, SOURCE], { stdio: 'inherit' });
  return BINARY;
}

/**
 * Runs the generator on `cpu` with `args`; calls onLine(object) for every JSON line and
 * resolves with the last one (phase "done"). Killed and rejected after `timeoutMs`.
 */
export async function runLoadgen(cpu, args, timeoutMs, onLine = () => {}) {
  const child = startPinned(cpu, BINARY, args, { pipeStdout: true });
  const lines = readJsonLines(child, onLine);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopGroup(child);
  }, timeoutMs);
  try {
    const [code, results] = await Promise.all([exitCode(child), lines]);
    if (timedOut) throw new Error(`loadgen ${args[0]} still running after ${timeoutMs} ms`);
    if (code !== 0) throw new Error(`loadgen ${args[0]} exited with ${code}`);
    const done = results.find((r) => r.phase === 'done');
    if (done === undefined) throw new Error(`loadgen ${args[0]} printed no result`);
    return done;
  } finally {
    clearTimeout(timer);
    await stopGroup(child);
  }
}

function exitCode(child) {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
  });
}

function readJsonLines(child, onLine) {
  return new Promise((resolve) => {
    const results = [];
    let pending = '';
    let seen = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      seen += chunk.length;
      if (seen > MAX_OUTPUT_BYTES) return; // a runaway generator; its exit code tells
      pending += chunk;
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
        const result = parseLine(pending.slice(0, at));
        pending = pending.slice(at + 1);
        results.push(result);
        onLine(result);
      }
    });
    child.stdout.once('end', () => resolve(results));
  });
}

function parseLine(line) {
  try {
    return JSON.parse(line);
  } catch {
    return { phase: 'unparsable', line: line.slice(0, 200) };
  }
}
