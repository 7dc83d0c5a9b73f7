import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBounded } from './read-bounded.js';

describe('reading a system file with a byte cap', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mitsu-read-'));
  const file = join(dir, 'text');
  writeFileSync(file, 'x'.repeat(100_000));

  it('returns the whole text when it fits, across several chunks', () => {
    expect(readBounded(file, 100_000)).toHaveLength(100_000);
  });

  it('throws RangeError once the text passes the cap', () => {
    expect(() => readBounded(file, 99_999)).toThrow(RangeError);
  });

  it('returns undefined for a file that does not exist', () => {
    expect(readBounded(join(dir, 'missing'), 10)).toBeUndefined();
  });

  it('reads /proc files, which report a size of zero', () => {
    expect(readBounded('/proc/self/status', 1024 * 1024)).toContain('Pid:');
  });
});
