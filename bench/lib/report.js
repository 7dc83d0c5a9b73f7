// Turns the measurements into the one table `npm run bench` prints: each figure, the subject's
// value, the reference measured in the same run, their ratio, the target and whether it is met.
const MIN_RATE_RATIO = 0.85;
const MAX_P99_MS = 50;
const MAX_KB_PER_CONN = 5;
const KB_PER_MB = 1024;

function ratio(subject, reference) {
  if (typeof subject !== 'number' || typeof reference !== 'number' || reference === 0) return null;
  return subject / reference;
}

function row(figure, subject, reference, target, pass) {
  return { figure, subject, reference, ratio: ratio(subject, reference), target, pass };
}

function shortRows(level) {
  const { concurrency: c, subject: s, reference: r } = level;
  const rate = row(`short c=${c}: conn/s`, s.conns_per_s, r.conns_per_s,
    `>= ${MIN_RATE_RATIO}x ref`, null);
  rate.pass = rate.ratio !== null && rate.ratio >= MIN_RATE_RATIO;
  return [
    rate,
    row(`short c=${c}: p99 latency ms`, s.latency_ms.p99, r.latency_ms.p99, `< ${MAX_P99_MS} ms`,
      s.latency_ms.p99 < MAX_P99_MS),
    row(`short c=${c}: p50 latency ms`, s.latency_ms.p50, r.latency_ms.p50, '', null),
    row(`short c=${c}: errors`, s.errors.total, r.errors.total, '', null),
    row(`short c=${c}: server CPU us/conn`, cpuPerConnUs(s), cpuPerConnUs(r), '', null),
    row(`short c=${c}: peak RSS MB`, s.server.peakRssKb / KB_PER_MB,
      r.server.peakRssKb / KB_PER_MB, '', null),
  ];
}

/** Server CPU time per completed connection: the cost, which other load disturbs least. */
function cpuPerConnUs(m) {
  return m.conns_per_s > 0 ? (m.server.cpu / m.conns_per_s) * 1e6 : null;
}

function idleRows(idle, wanted) {
  const { subject: s, reference: r } = idle;
  return [
    row('idle: connections held', s.open_at_end, r.open_at_end, `>= ${wanted}`,
      s.open_at_end >= wanted),
    row('idle: KB per connection', s.kbPerConn, r.kbPerConn, `<= ${MAX_KB_PER_CONN} KB`,
      typeof s.kbPerConn === 'number' && s.kbPerConn <= MAX_KB_PER_CONN),
    row('idle: RSS before MB', s.rssBeforeKb / KB_PER_MB, r.rssBeforeKb / KB_PER_MB, '', null),
    row('idle: RSS holding MB', mb(s.rssHeldKb), mb(r.rssHeldKb), '', null),
  ];
}

function mb(kb) {
  return typeof kb === 'number' ? kb / KB_PER_MB : null;
}

export function buildRows(results) {
  const rows = results.short.flatMap(shortRows);
  if (results.idle !== null) rows.push(...idleRows(results.idle, results.settings.idleCount));
  return rows;
}

function show(value) {
  if (value === null || value === undefined) return '-';
  if (typeof value !== 'number') return String(value);
  if (Number.isInteger(value)) return String(value);
  return value >= 100 ? value.toFixed(0) : value.toFixed(2);
}

/** The table as aligned text, one line per figure. */
export function formatTable(rows, subjectLabel, referenceLabel) {
  const header = ['figure', subjectLabel, `${referenceLabel} (same run)`, 'ratio', 'target', ''];
  const body = rows.map((r) => [r.figure, show(r.subject), show(r.reference),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`, r.target,
    r.pass === null ? '' : r.pass ? 'pass' : 'FAIL']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i])
    : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

/** One line per short measurement saying what limited it, so a capped generator is visible. */
export function bottleneckNotes(results, subjectLabel, referenceLabel) {
  const notes = [];
  for (const level of results.short) {
    for (const [label, m] of [[referenceLabel, level.reference], [subjectLabel, level.subject]]) {
      const [gen, srv] = m.cpuBusy;
      notes.push(`c=${level.concurrency} ${label}: limited by ${m.bottleneck}; server ` +
        `${pct(m.server.cpu)} of a core, generator ${pct(m.generator_cpu)}, CPUs busy ` +
        `${pct(gen)}/${pct(srv)}, other programs ${pct(m.otherLoadCores)} of a core`);
    }
  }
  return notes;
}

function pct(fraction) {
  return `${Math.round((fraction ?? 0) * 100)}%`;
}
