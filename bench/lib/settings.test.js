// Benchmark settings from BENCH_* variables: defaults, lists and bounds.
import { describe, expect, it, vi } from 'vitest';
import { readSettings } from './settings.js';

describe('benchmark settings', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(readSettings({})).toMatchObject({
      durationS: 10, warmupS: 2, rounds: 3, concurrency: [50, 500], idleCount: 19_000,
      idleHoldS: 5, idleSendBytes: 0, subject: 'mitsu', skip: [], keep: false,
    });
  });

  it('reads concurrency levels and skipped phases as comma-separated lists', () => {
    const settings = readSettings({ BENCH_CONCURRENCY: '10, 100', BENCH_SKIP: 'idle' });
    expect(settings.concurrency).toEqual([10, 100]);
    expect(settings.skip).toEqual(['idle']);
  });

  it('stops with exit code 2 on a value out of bounds, naming the variable', () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation(() => {
      throw new Error('exit');
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => readSettings({ BENCH_IDLE_COUNT: '20000' })).toThrow('exit');
      expect(exit).toHaveBeenCalledWith(2);
      expect(String(stderr.mock.calls[0]?.[0])).toContain('BENCH_IDLE_COUNT');
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });
});
