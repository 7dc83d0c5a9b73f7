// The benchmark's settings, read from BENCH_* environment variables with their defaults and
// bounds. A value out of bounds stops the run with a line naming the variable.
const NUMBERS = {
  BENCH_DURATION_S: { key: 'durationS', fallback: 10, min: 1, max: 600 },
  BENCH_WARMUP_S: { key: 'warmupS', fallback: 2, min: 0, max: 60 },
  BENCH_ROUNDS: { key: 'rounds', fallback: 3, min: 1, max: 9 },
  BENCH_IDLE_COUNT: { key: 'idleCount', fallback: 19_000, min: 1, max: 19_900 },
  BENCH_IDLE_HOLD_S: { key: 'idleHoldS', fallback: 5, min: 2, max: 600 },
  BENCH_IDLE_SEND_BYTES: { key: 'idleSendBytes', fallback: 0, min: 0, max: 64 },
  BENCH_MAX_S: { key: 'maxS', fallback: 900, min: 10, max: 7_200 },
};
const MAX_CONCURRENCY = 10_000;
const SUBJECTS = ['mitsu', 'baseline'];
const PHASES = ['short', 'idle'];

function fail(name, value, expected) {
  process.stderr.write(`bench: ${name}=${JSON.stringify(value)} is invalid: ${expected}\n`);
  process.exit(2);
}

function number(env, name, { min, max, fallback }) {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) {
    fail(name, text, `use a number from ${min} to ${max}`);
  }
  return value;
}

function list(env, name, fallback) {
  const text = env[name] ?? fallback;
  return text.split(',').map((item) => item.trim()).filter((item) => item !== '');
}

function concurrency(env) {
  const levels = list(env, 'BENCH_CONCURRENCY', '50,500').map(Number);
  const bad = levels.length === 0 ||
    levels.some((c) => !Number.isInteger(c) || c < 1 || c > MAX_CONCURRENCY);
  if (bad) fail('BENCH_CONCURRENCY', env.BENCH_CONCURRENCY, `list integers 1-${MAX_CONCURRENCY}`);
  return levels;
}

export function readSettings(env) {
  const settings = {};
  for (const [name, spec] of Object.entries(NUMBERS)) settings[spec.key] = number(env, name, spec);
  settings.rounds = Math.round(settings.rounds);
  settings.idleCount = Math.round(settings.idleCount);
  settings.idleSendBytes = Math.round(settings.idleSendBytes);
  settings.concurrency = concurrency(env);
  settings.subject = env.BENCH_SUBJECT || 'mitsu';
  if (!SUBJECTS.includes(settings.subject)) {
    fail('BENCH_SUBJECT', settings.subject, `use ${SUBJECTS.join(' or ')}`);
  }
  settings.skip = list(env, 'BENCH_SKIP', '');
  if (settings.skip.some((phase) => !PHASES.includes(phase))) {
    fail('BENCH_SKIP', env.BENCH_SKIP, `list phases to skip among ${PHASES.join(', ')}`);
  }
  settings.keep = env.BENCH_KEEP === '1';
  return settings;
}
