// One measurement each: short connections against a running server, and idle connections
// held by a freshly started one. The generator runs on GENERATOR_CPU, servers on SERVER_CPU.
import { runLoadgen } from './loadgen.js';
import { sleep, stopGroup } from './processes.js';
import {
  cpuTicks, cpuUsage, fdCount, groupCpuSeconds, groupMemoryKb, interruptsChargedToProcesses,
  sampleMemory,
} from './procfs.js';
import { startServer } from './servers.js';

export const GENERATOR_CPU = 0;
export const SERVER_CPU = 1;
const LOADGEN_SLACK_MS = 20_000;
const IDLE_SETTLE_MS = 1_000;
const IDLE_OPEN_TIMEOUT_S = 60;
const SATURATED = 0.9;
const DISTURBED_CORES = 0.15;
const IRQ_CHARGED = interruptsChargedToProcesses();

/** Interrupt time that no process's CPU figure includes (loopback packets are handled there). */
function unchargedInterrupts(usage) {
  return usage.map((u) => (IRQ_CHARGED ? 0 : u.interrupts));
}

/**
 * CPU time (in cores) that neither the server, the generator, this runner nor interrupts
 * account for: other programs on the machine, which make the figure noisy.
 */
function otherLoad(usage, serverCpu, generatorCpu, runnerCpu) {
  const irq = unchargedInterrupts(usage);
  const busy = usage.reduce((sum, u, i) => sum + u.busy - (irq[i] ?? 0), 0);
  return Math.max(0, busy - serverCpu - generatorCpu - runnerCpu);
}

/**
 * Which side limited the rate: a saturated server, a saturated generator (its own time plus
 * the loopback interrupts on its CPU), other programs taking CPU time, or none of them.
 */
function bottleneck(serverCpu, generatorCpu, usage, other) {
  const generatorShare = generatorCpu + (unchargedInterrupts(usage)[GENERATOR_CPU] ?? 0);
  if (serverCpu >= SATURATED) return 'server';
  if (generatorShare >= SATURATED) return 'generator';
  if (other >= DISTURBED_CORES) return 'other programs';
  return 'neither';
}

/** Short-connection load at `concurrency` against `server`, which is already running. */
export async function measureShort(server, concurrency, settings) {
  const args = ['short', '--port', String(server.port), '--concurrency', String(concurrency),
    '--duration', String(settings.durationS), '--warmup', String(settings.warmupS)];
  const timeoutMs = (settings.durationS + settings.warmupS) * 1000 + LOADGEN_SLACK_MS;
  const memory = sampleMemory(server.pgid);
  let start;
  const startTimer = setTimeout(() => {
    start = {
      at: performance.now(), ticks: cpuTicks(), cpu: groupCpuSeconds(server.pgid),
      runner: process.cpuUsage(),
    };
  }, settings.warmupS * 1000);
  const result = await runLoadgen(GENERATOR_CPU, args, timeoutMs).finally(() => {
    clearTimeout(startTimer);
  });
  const mem = memory.stop();
  const seconds = (performance.now() - start.at) / 1000;
  const usage = cpuUsage(start.ticks, cpuTicks());
  const serverCpu = (groupCpuSeconds(server.pgid) - start.cpu) / seconds;
  const runner = process.cpuUsage(start.runner);
  const runnerCpu = (runner.user + runner.system) / 1e6 / seconds;
  const other = otherLoad(usage, serverCpu, result.generator_cpu, runnerCpu);
  return {
    ...result,
    server: {
      peakRssKb: mem.peakKb, meanRssKb: mem.meanKb, hwmKb: groupMemoryKb(server.pgid).hwmKb,
      cpu: round(serverCpu),
    },
    cpuBusy: usage.map((u) => round(u.busy)),
    cpuInterrupts: usage.map((u) => round(u.interrupts)),
    otherLoadCores: round(other),
    bottleneck: bottleneck(serverCpu, result.generator_cpu, usage, other),
  };
}

/** Starts `subject` fresh, opens settings.idleCount connections and holds them. */
export async function measureIdle(subject, settings, workRoot, tag) {
  const server = await startServer(subject, SERVER_CPU, workRoot, tag);
  try {
    await sleep(IDLE_SETTLE_MS);
    const before = { rssKb: groupMemoryKb(server.pgid).rssKb, fds: fdCount(server.pgid) };
    let heldLine;
    const held = new Promise((resolve) => {
      heldLine = (line) => line.phase === 'held' && resolve(line);
    });
    const done = runLoadgen(GENERATOR_CPU, idleArgs(server.port, settings), idleTimeoutMs(settings),
      (line) => heldLine(line));
    const during = await Promise.race([held.then((line) => sampleHeld(server, line)), done]);
    const result = await done;
    return summarizeIdle(result, before, during);
  } finally {
    await stopGroup(server.child);
  }
}

function idleArgs(port, settings) {
  return ['idle', '--port', String(port), '--count', String(settings.idleCount),
    '--hold', String(settings.idleHoldS), '--open-timeout', String(IDLE_OPEN_TIMEOUT_S),
    '--send-bytes', String(settings.idleSendBytes)];
}

function idleTimeoutMs(settings) {
  return (IDLE_OPEN_TIMEOUT_S + settings.idleHoldS) * 1000 + LOADGEN_SLACK_MS;
}

/** Memory and descriptors of the server once the connections are open and it has settled. */
async function sampleHeld(server, line) {
  const memory = sampleMemory(server.pgid);
  await sleep(IDLE_SETTLE_MS);
  const fds = fdCount(server.pgid);
  const mem = memory.stop();
  return { openAtSample: line.open, rssKb: mem.peakKb, fds };
}

function summarizeIdle(result, before, during) {
  if (during === undefined || during.openAtSample === undefined) {
    return { ...result, rssBeforeKb: before.rssKb, error: 'the generator never held connections' };
  }
  const grownKb = during.rssKb - before.rssKb;
  return {
    ...result,
    rssBeforeKb: before.rssKb,
    rssHeldKb: during.rssKb,
    serverFdsHeld: during.fds - before.fds,
    kbPerConn: during.openAtSample > 0 ? round(grownKb / during.openAtSample) : null,
  };
}

function round(value) {
  return Math.round(value * 1000) / 1000;
}
