// Checks the JSON-lines output: one line per event, appended across reopenings, and
// rotation by size that keeps only the configured number of old files.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonlWriter } from './jsonl-writer.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-jsonl-'));
let serial = 0;
const freshPath = (): string => path.join(dir, `out-${(serial += 1)}`, 'events.jsonl');
const line = (n: number): string => JSON.stringify({ n, pad: 'x'.repeat(20) });

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('JsonlWriter', () => {
  it('writes one line per event and appends after a reopen', () => {
    const file = freshPath();
    const first = new JsonlWriter({ path: file, maxBytes: 1 << 20, keep: 2 });
    first.writeLines([line(1), line(2)]);
    first.close();
    const second = new JsonlWriter({ path: file, maxBytes: 1 << 20, keep: 2 });
    second.writeLines([line(3)]);
    second.close();
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([1, 2, 3]);
  });

  it('rotates before a file would pass maxBytes and keeps `keep` old files', () => {
    const file = freshPath();
    const size = Buffer.byteLength(line(0)) + 1;
    const writer = new JsonlWriter({ path: file, maxBytes: size * 2, keep: 2 });
    writer.writeLines([1, 2, 3, 4, 5, 6, 7].map(line));
    writer.close();
    const read = (f: string): number[] =>
      fs.readFileSync(f, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).n as number);
    expect(read(file)).toEqual([7]);
    expect(read(`${file}.1`)).toEqual([5, 6]);
    expect(read(`${file}.2`)).toEqual([3, 4]);
    expect(fs.existsSync(`${file}.3`)).toBe(false);
  });

  it('writes a line longer than maxBytes alone in its file rather than dropping it', () => {
    const file = freshPath();
    const writer = new JsonlWriter({ path: file, maxBytes: 10, keep: 1 });
    writer.writeLines([line(1), line(2)]);
    writer.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${line(2)}\n`);
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toBe(`${line(1)}\n`);
  });

  it('truncates instead of keeping old files when keep is 0', () => {
    const file = freshPath();
    const writer = new JsonlWriter({ path: file, maxBytes: 10, keep: 0 });
    writer.writeLines([line(1), line(2)]);
    writer.close();
    expect(fs.readdirSync(path.dirname(file))).toEqual(['events.jsonl']);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${line(2)}\n`);
  });

  it('loses no line when a rotation fails: it appends past the cap and reports it once', () => {
    const file = freshPath();
    const writer = new JsonlWriter({ path: file, maxBytes: 100, keep: 1 });
    writer.writeLines([line(1), line(2)]);
    // A folder where the rotated file should go makes the rename fail, as EACCES would.
    fs.mkdirSync(`${file}.1`);
    fs.writeFileSync(path.join(`${file}.1`, 'occupied'), '');
    expect(writer.writeLines([line(3), line(4)])).toBeInstanceOf(Error);
    expect(writer.writeLines([line(5), line(6)])).toBeUndefined();
    writer.close();
    const numbers = fs.readFileSync(file, 'utf8').trimEnd().split('\n')
      .map((l) => (JSON.parse(l) as { n: number }).n);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
