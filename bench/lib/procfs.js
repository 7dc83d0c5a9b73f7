// What the benchmark reads from /proc: memory and CPU time of a process group, busy time of
// each CPU, and open file descriptors. Linux only; every read tolerates a process that has
// just exited.
import { readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';

const CLOCK_TICKS_PER_S = 100; // USER_HZ, 100 on every Linux architecture Node supports
const SAMPLE_INTERVAL_MS = 200;

function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process exited between listing and reading; it counts as nothing
  }
}

/** Fields of /proc/PID/stat after the command name (which may hold spaces). */
function statFields(pid) {
  const text = readText(`/proc/${pid}/stat`);
  const end = text.lastIndexOf(')');
  return end < 0 ? [] : text.slice(end + 2).split(' ');
}

/** Every process whose process group is `pgid` (the leader and anything it started). */
export function groupPids(pgid) {
  const pids = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    if (Number(statFields(name)[2]) === pgid) pids.push(Number(name));
  }
  return pids;
}

function statusKb(pid, key) {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readText(`/proc/${pid}/status`));
  return match === null ? 0 : Number(match[1]);
}

/** Resident memory of the group now, and the sum of each member's peak (VmHWM), in kB. */
export function groupMemoryKb(pgid) {
  let rssKb = 0;
  let hwmKb = 0;
  for (const pid of groupPids(pgid)) {
    rssKb += statusKb(pid, 'VmRSS');
    hwmKb += statusKb(pid, 'VmHWM');
  }
  return { rssKb, hwmKb };
}

/** User plus system CPU seconds used so far by the group's live members. */
export function groupCpuSeconds(pgid) {
  let ticks = 0;
  for (const pid of groupPids(pgid)) {
    const fields = statFields(pid);
    ticks += Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  }
  return ticks / CLOCK_TICKS_PER_S;
}

/** Busy, interrupt and total clock ticks of each CPU since boot, from /proc/stat. */
export function cpuTicks() {
  const out = [];
  for (const line of readText('/proc/stat').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (match === null) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2]
      .split(' ').map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    out[Number(match[1])] = { busy, interrupts: irq + softirq, total: busy + idle + iowait };
  }
  return out;
}

function kernelConfig() {
  try {
    return gunzipSync(readFileSync('/proc/config.gz')).toString('latin1');
  } catch {
    return readText(`/boot/config-${release()}`); // '' when neither can be read
  }
}

/**
 * Whether interrupt time is also charged to the process that was running, as it is when the
 * kernel lacks CONFIG_IRQ_TIME_ACCOUNTING. Most distribution kernels have it, so an unknown
 * configuration counts as having it.
 */
export function interruptsChargedToProcesses() {
  return /^# CONFIG_IRQ_TIME_ACCOUNTING is not set$/m.test(kernelConfig());
}

/**
 * Between two cpuTicks() readings: the fraction of each CPU that was busy, and of it the
 * fraction spent in interrupts (loopback packets are processed there, charged to no process).
 */
export function cpuUsage(before, after) {
  return after.map((a, i) => {
    const b = before[i] ?? { busy: 0, interrupts: 0, total: 0 };
    const total = a.total - b.total;
    if (total <= 0) return { busy: 0, interrupts: 0 };
    return { busy: (a.busy - b.busy) / total, interrupts: (a.interrupts - b.interrupts) / total };
  });
}

export function fdCount(pid) {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return 0; // exited
  }
}

/** Samples the group's resident memory every SAMPLE_INTERVAL_MS until stop(). */
export function sampleMemory(pgid) {
  const samples = [];
  const take = () => samples.push(groupMemoryKb(pgid).rssKb);
  take();
  const timer = setInterval(take, SAMPLE_INTERVAL_MS);
  return {
    stop() {
      clearInterval(timer);
      take();
      const peakKb = Math.max(...samples);
      const meanKb = samples.reduce((sum, kb) => sum + kb, 0) / samples.length;
      return { peakKb, meanKb: Math.round(meanKb), samples: samples.length };
    },
  };
}
