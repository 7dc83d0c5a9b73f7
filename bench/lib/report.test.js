// The benchmark table: ratios, targets and formatting, from fixed figures (no timing is
// measured or asserted here).
import { describe, expect, it } from 'vitest';
import { buildRows, formatTable } from './report.js';

function shortRun(connsPerS, p99Ms, cpu) {
  return {
    conns_per_s: connsPerS,
    latency_ms: { p50: p99Ms / 2, p99: p99Ms, max: p99Ms * 2 },
    errors: { total: 0 },
    server: { peakRssKb: 90 * 1024, cpu },
  };
}

function results({ subjectRate = 9_000, subjectP99 = 20, idleHeld = 19_000 } = {}) {
  return {
    settings: { idleCount: 19_000 },
    short: [{ concurrency: 50, subject: shortRun(subjectRate, subjectP99, 0.9),
      reference: shortRun(10_000, 10, 0.8) }],
    idle: {
      subject: { open_at_end: idleHeld, kbPerConn: 4.2, rssBeforeKb: 80 * 1024,
        rssHeldKb: 160 * 1024 },
      reference: { open_at_end: 19_000, kbPerConn: 3.4, rssBeforeKb: 43 * 1024,
        rssHeldKb: 107 * 1024 },
    },
  };
}

const find = (rows, figure) => rows.find((r) => r.figure === figure);

describe('benchmark table', () => {
  it('passes a rate of at least 0.85 times the reference measured in the same run', () => {
    const rows = buildRows(results({ subjectRate: 8_500 }));
    expect(find(rows, 'short c=50: conn/s')).toMatchObject({ ratio: 0.85, pass: true });
  });

  it('fails a rate below 0.85 times the reference', () => {
    const rows = buildRows(results({ subjectRate: 8_400 }));
    expect(find(rows, 'short c=50: conn/s').pass).toBe(false);
  });

  it('judges p99 latency against 50 ms, whatever the reference does', () => {
    expect(find(buildRows(results({ subjectP99: 49.9 })), 'short c=50: p99 latency ms').pass)
      .toBe(true);
    expect(find(buildRows(results({ subjectP99: 50 })), 'short c=50: p99 latency ms').pass)
      .toBe(false);
  });

  it('derives server CPU per connection from the CPU share and the rate', () => {
    const row = find(buildRows(results()), 'short c=50: server CPU us/conn');
    expect(row.subject).toBeCloseTo(100);
    expect(row.reference).toBeCloseTo(80);
  });

  it('needs every requested idle connection held and at most 5 KB each', () => {
    const rows = buildRows(results({ idleHeld: 18_999 }));
    expect(find(rows, 'idle: connections held').pass).toBe(false);
    expect(find(rows, 'idle: KB per connection').pass).toBe(true);
  });

  it('leaves the idle rows out when that phase was skipped', () => {
    const rows = buildRows({ ...results(), idle: null });
    expect(rows.some((r) => r.figure.startsWith('idle'))).toBe(false);
  });

  it('prints one aligned line per figure under a header naming both servers', () => {
    const rows = buildRows(results());
    const lines = formatTable(rows, 'mitsu', 'node net').split('\n');
    expect(lines[0]).toMatch(/^figure\s+mitsu\s+node net \(same run\)\s+ratio\s+target$/);
    expect(lines).toHaveLength(rows.length + 2);
    expect(lines.find((l) => l.startsWith('short c=50: conn/s'))).toMatch(/0\.90x .* pass$/);
  });
});
