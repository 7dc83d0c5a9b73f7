import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RangeTable } from './range-table.js';

function table(rows: [number, number][]): RangeTable {
  return new RangeTable(1, Uint32Array.from(rows.map((r) => r[0])),
    Uint32Array.from(rows.map((r) => r[1])), rows.length);
}

const at = (value: number): Uint32Array => Uint32Array.of(value);

describe('range table', () => {
  it('finds the row holding an address, at both ends of each range', () => {
    const t = table([[10, 19], [20, 20], [40, 0xffffffff]]);
    expect([t.find(at(10)), t.find(at(19)), t.find(at(20)), t.find(at(40))]).toEqual([0, 0, 1, 2]);
    expect(t.find(at(0xffffffff))).toBe(2);
  });

  it('finds nothing before the first range, in gaps, or in an empty table', () => {
    const t = table([[10, 19], [40, 49]]);
    const probes = [0, 9, 21, 50].map((value) => t.find(at(value)));
    expect(probes).toEqual([-1, -1, -1, -1]);
    expect(table([]).find(at(5))).toBe(-1);
  });

  it('compares IPv6 rows word by word', () => {
    const starts = Uint32Array.of(0x20010db8, 0, 0, 0, 0x20010db8, 1, 0, 0);
    const ends = Uint32Array.of(0x20010db8, 0, 0xffffffff, 0xffffffff, 0x20010db8, 1, 0, 5);
    const t = new RangeTable(4, starts, ends, 2);
    expect(t.find(Uint32Array.of(0x20010db8, 0, 7, 7))).toBe(0);
    expect(t.find(Uint32Array.of(0x20010db8, 1, 0, 5))).toBe(1);
    expect(t.find(Uint32Array.of(0x20010db8, 1, 0, 6))).toBe(-1);
    expect(t.find(Uint32Array.of(0x20010db7, 0xffffffff, 0xffffffff, 0xffffffff))).toBe(-1);
  });

  it('refuses reversed, unsorted and overlapping rows', () => {
    expect(() => table([[5, 4]])).toThrow(/range 0 ends before it starts/);
    expect(() => table([[10, 19], [5, 6]])).toThrow(/range 1 overlaps/);
    expect(() => table([[10, 19], [19, 30]])).toThrow(/range 1 overlaps/);
  });

  it('agrees with a linear scan on random disjoint ranges', () => {
    const bounds = fc.uniqueArray(fc.integer({ min: 0, max: 0xffffffff }), {
      minLength: 2, maxLength: 60,
    });
    fc.assert(fc.property(bounds, fc.array(fc.integer({ min: 0, max: 0xffffffff })),
      (raw, probes) => {
        const sorted = [...raw].sort((a, b) => a - b);
        const rows: [number, number][] = [];
        for (let i = 0; i + 1 < sorted.length; i += 2) rows.push([sorted[i]!, sorted[i + 1]!]);
        const t = table(rows);
        for (const probe of [...probes, ...sorted]) {
          const expected = rows.findIndex(([s, e]) => s <= probe && probe <= e);
          expect(t.find(at(probe))).toBe(expected);
        }
      }));
  });
});
