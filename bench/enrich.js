// `node bench/enrich.js`: how long the offline enrichment databases take to load, the memory
// they hold, and how many source addresses a second the Enricher labels. Runs the built code in
// dist/ (`npm run build` first). Addresses are generated, looked up locally, never contacted.
// BENCH_ENRICH_LOOKUPS (default 1,000,000) sets the lookups per round; three rounds, best kept.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const DIST = join(ROOT, 'dist', 'enrich');
const ROUNDS = 3;
const MAX_LOOKUPS = 100_000_000;
const WORKING_SET = 10_000;
const MB = 1024 * 1024;

function say(text) {
  process.stderr.write(`bench: ${text}\n`);
}

function lookupsPerRound() {
  const text = process.env.BENCH_ENRICH_LOOKUPS;
  const value = text === undefined || text === '' ? 1_000_000 : Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_LOOKUPS) {
    say(`BENCH_ENRICH_LOOKUPS=${JSON.stringify(text)} is invalid: use 1 to ${MAX_LOOKUPS}`);
    process.exit(2);
  }
  return value;
}

/** Deterministic addresses across the IPv4 space (xorshift32), some of them not public. */
function addresses(count, seed = 0x9e3779b9) {
  const out = new Array(count);
  let x = seed >>> 0;
  for (let i = 0; i < count; i++) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    out[i] = `${x >>> 24}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
  }
  return out;
}

function memory() {
  globalThis.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers, rss: m.rss };
}

function grew(before, after) {
  return {
    heapMb: (after.heap - before.heap) / MB,
    buffersMb: (after.buffers - before.buffers) / MB,
    rssMb: (after.rss - before.rss) / MB,
  };
}

function timed(fn) {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

function bestRate(count, fn) {
  let best = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const { ms } = timed(fn);
    best = Math.max(best, count / (ms / 1000));
  }
  return best;
}

function loadPhase(mods, cacheDir) {
  const { AsnDb } = mods.asn;
  const log = mods.log.silentLogger();
  const before = memory();
  const csv = timed(() => AsnDb.open({ cacheDir, log }));
  const asnMemory = grew(before, memory());
  const cache = timed(() => AsnDb.open({ cacheDir, log }).stats);
  const country = timed(() => mods.country.CountryDb.open() !== null);
  const beforeEnricher = memory();
  const enricher = timed(() => mods.enricher.Enricher.open({ cacheDir }));
  const enricherMemory = grew(beforeEnricher, memory());
  enricher.value.close();
  return { csv, cache, country, enricher, asnDb: csv.value, asnMemory, enricherMemory };
}

function lookupPhase(mods, load, cacheDir, count) {
  const pool = addresses(count);
  const hot = addresses(WORKING_SET, 0x2545f491);
  const parsed = pool.slice(0, Math.min(count, 200_000)).map(mods.address.parseAddress);
  const cold = mods.enricher.Enricher.open({ cacheDir, cacheEntries: 1 });
  const warm = mods.enricher.Enricher.open({ cacheDir });
  for (const ip of hot) warm.lookup(ip);
  return {
    asnOnly: bestRate(parsed.length, () => { for (const a of parsed) load.asnDb.lookup(a); }),
    uncached: bestRate(count, () => { for (const ip of pool) cold.lookup(ip); }),
    cached: bestRate(count, () => {
      for (let i = 0; i < count; i++) warm.lookup(hot[i % WORKING_SET]);
    }),
  };
}

function row(figure, value, unit) {
  const shown = typeof value === 'number' ? value.toLocaleString('en-US', {
    maximumFractionDigits: value < 100 ? 1 : 0,
  }) : value;
  return `${figure.padEnd(44)} ${String(shown).padStart(14)} ${unit}`;
}

function report(load, rates, count) {
  const stats = load.asnDb.stats;
  const lines = [
    row('ASN database: parse CSV (first start)', load.csv.ms, 'ms'),
    row('ASN database: open binary cache', load.cache.ms, 'ms'),
    row('country database: open MMDB', load.country.ms, 'ms'),
    row('Enricher.open (cache warm, scanner list)', load.enricher.ms, 'ms'),
    row('ASN rows (IPv4 + IPv6)', stats.ipv4Rows + stats.ipv6Rows, 'rows'),
    row('ASN organisations', stats.orgs, 'names'),
    row('ASN typed arrays', stats.arrayBytes / MB, 'MB'),
    row('ASN database (CSV parse): heap + buffers held', load.asnMemory.heapMb +
      load.asnMemory.buffersMb, 'MB'),
    row('Enricher (cache warm): heap + buffers held', load.enricherMemory.heapMb +
      load.enricherMemory.buffersMb, 'MB'),
    row('Enricher (cache warm): RSS growth', load.enricherMemory.rssMb, 'MB'),
    row('AsnDb.lookup, parsed address', rates.asnOnly, 'lookups/s'),
    row(`Enricher.lookup, ${count.toLocaleString('en-US')} distinct, no cache`, rates.uncached,
      'lookups/s'),
    row(`Enricher.lookup, ${WORKING_SET.toLocaleString('en-US')} hot addresses, cached`,
      rates.cached, 'lookups/s'),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  if (globalThis.gc === undefined) {
    const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url)],
      { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  if (!existsSync(join(DIST, 'enricher.js'))) {
    say('dist/enrich is missing: run `npm run build` first');
    process.exit(2);
  }
  const count = lookupsPerRound();
  const load = async (name) => import(pathToFileURL(join(DIST, name)).href);
  const mods = {
    asn: await load('asn-db.js'), country: await load('country-db.js'),
    enricher: await load('enricher.js'), address: await load('address.js'),
    log: await import(pathToFileURL(join(ROOT, 'dist', 'lib', 'log.js')).href),
  };
  const cacheDir = mkdtempSync(join(tmpdir(), 'mitsu-bench-enrich-'));
  try {
    say('loading databases');
    const loaded = loadPhase(mods, cacheDir);
    say(`looking up ${count} addresses, ${ROUNDS} rounds`);
    report(loaded, lookupPhase(mods, loaded, cacheDir, count), count);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  say(`failed: ${err.message}`);
  process.exit(1);
});
