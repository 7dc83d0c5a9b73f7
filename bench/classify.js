// `npm run bench:classify`: how fast stored events are analysed again (`mitsu reclassify`),
// beside the baseline of only reading the same events from the same SQLite store in the same
// run. Events are the attack corpus, dissected once, cycled with varied sources and times;
// measured once with every event analysed afresh, once with repeated payloads remembered.
// Settings: BENCH_CLASSIFY_EVENTS (default 1,000,000), BENCH_KEEP=1 keeps the store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (path) => import(join(ROOT, 'dist', path));

const { SqliteStore } = await dist('store/sqlite/sqlite-store.js');
const { Analyzer, DEFAULT_ANALYZER_SPEC } = await dist('analyze/analyzer.js');
const { reclassify } = await dist('analyze/reclassify.js');
const { dissect } = await dist('protocols/dissect.js');
const { emptyAnalysis } = await dist('events/event.js');
const { eventId } = await dist('lib/id.js');

const TOTAL = Number(process.env.BENCH_CLASSIFY_EVENTS ?? 1_000_000);
const BATCH = 5_000;
const DAY_MS = 86_400_000;
const START_MS = Date.UTC(2026, 10, 1);

function say(text) {
  process.stderr.write(`bench: ${text}\n`);
}

/** One prototype event per corpus record, with the fields the sensor's parsers record. */
async function prototypes() {
  const lines = readFileSync(join(ROOT, 'test/fixtures/corpus/attacks.jsonl'), 'utf8')
    .split('\n').filter((l) => l.trim() !== '');
  const out = [];
  for (const line of lines) {
    const record = JSON.parse(line);
    const payload = Buffer.from(record.payload_b64, 'base64');
    const d = await dissect(payload, { transport: record.transport, dstPort: record.port });
    out.push({ record, payload, d });
  }
  return out;
}

/** Skewed sources: a few busy public addresses and a long tail of random ones. */
function sourceIp(i) {
  if (i % 3 === 0) return `45.${(i >> 4) % 8}.${(i >> 8) % 4}.${i % 7}`;
  const n = (Math.imul(i, 2654435761) >>> 0) % 0xdfffffff + 0x01000000;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function makeEvent(proto, i) {
  const startMs = START_MS + Math.floor((i / TOTAL) * 30 * DAY_MS);
  const { record, payload, d } = proto;
  return {
    id: eventId(startMs), event: 'connection.closed', sensor: 'bench', transport: record.transport,
    src_ip: sourceIp(i), src_port: 40_000 + (i % 20_000), dst_ip: '203.0.113.10',
    dst_port: record.port, start: new Date(startMs).toISOString(),
    end: new Date(startMs + 900).toISOString(), close_reason: 'client_closed',
    bytes_in: payload.length, bytes_out: 100, payload_b64: record.payload_b64,
    payload_len: payload.length, payload_truncated: false, payload_sha256: '0'.repeat(64),
    protocol: d.protocol, ...emptyAnalysis(), credentials: d.credentials, commands: d.commands,
    fields: d.fields,
  };
}

function fill(store, protos) {
  const started = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) {
    const batch = [];
    for (let j = i; j < Math.min(TOTAL, i + BATCH); j++) {
      batch.push(makeEvent(protos[j % protos.length], j));
    }
    store.appendSync(batch);
  }
  return TOTAL / ((performance.now() - started) / 1000);
}

async function timed(run) {
  const started = performance.now();
  const result = await run();
  return { result, rate: result.events / ((performance.now() - started) / 1000) };
}

async function readAll(store) {
  const started = performance.now();
  let n = 0;
  let after;
  for (;;) {
    let last;
    let page = 0;
    for await (const ev of store.scan({ limit: 1_000, ...(after && { after }) })) {
      last = ev;
      page += 1;
    }
    n += page;
    if (last === undefined) break;
    after = { start: last.start, id: last.id };
  }
  return n / ((performance.now() - started) / 1000);
}

const dir = mkdtempSync(join(tmpdir(), 'mitsu-bench-classify-'));
try {
  const store = SqliteStore.open(join(dir, 'bench.db'));
  say(`dissecting the corpus and storing ${TOTAL.toLocaleString('en')} events`);
  const protos = await prototypes();
  const insertRate = fill(store, protos);
  say('reading every event back (baseline)');
  const readRate = await readAll(store);
  const loadStarted = performance.now();
  const fresh = Analyzer.open({ ...DEFAULT_ANALYZER_SPEC, memo: false });
  const loadMs = performance.now() - loadStarted;
  const rules = fresh.classifier.rules.length;
  say(`reclassifying afresh (${rules} rules, loaded in ${loadMs.toFixed(0)} ms)`);
  const worst = await timed(() => reclassify(store, fresh, { reenrich: true }));
  say('reclassifying again, repeated payloads remembered (as the sensor runs)');
  const remembering = Analyzer.open(DEFAULT_ANALYZER_SPEC);
  const usual = await timed(() => reclassify(store, remembering, { reenrich: true }));
  await store.close();
  const fmt = (n) => Math.round(n).toLocaleString('en');
  const ratio = (n) => `${(n / readRate).toFixed(2)}x the read rate`;
  const { hits, misses } = remembering.memoStats;
  process.stdout.write([
    `events                          ${fmt(TOTAL)} (${protos.length} distinct payloads)`,
    `store insert (events/s)         ${fmt(insertRate)}`,
    `read only, baseline (events/s)  ${fmt(readRate)}`,
    `reclassify, afresh (events/s)   ${fmt(worst.rate)}  (${ratio(worst.rate)})`,
    `reclassify, memo (events/s)     ${fmt(usual.rate)}  (${ratio(usual.rate)}; ` +
      `${fmt(hits)} hits, ${fmt(misses)} misses)`,
    `events changed (first run)      ${fmt(worst.result.changed)}`,
    `rules / load time               ${rules} / ${loadMs.toFixed(0)} ms`,
    '',
  ].join('\n'));
} finally {
  if (process.env.BENCH_KEEP !== '1') rmSync(dir, { recursive: true, force: true });
}
