// Sorted, non-overlapping address ranges in flat typed arrays, searched by bisection.
// An address is `width` big-endian 32-bit words: 1 for IPv4, 4 for IPv6. A lookup allocates
// nothing; callers keep their own per-row data (ASN, organisation, scanner) by row index.

/** An address as big-endian 32-bit words, reused by the caller between lookups. */
export type Words = Uint32Array;

/** Compares row `row` of `table` with `address`: negative, zero or positive like a sort. */
function compareAt(table: Uint32Array, row: number, address: Words, width: number): number {
  const base = row * width;
  for (let i = 0; i < width; i++) {
    const a = table[base + i]!;
    const b = address[i]!;
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** Compares row `a` of table `x` with row `b` of table `y`. */
function compareRows(x: Uint32Array, a: number, y: Uint32Array, b: number, width: number): number {
  for (let i = 0; i < width; i++) {
    const p = x[a * width + i]!;
    const q = y[b * width + i]!;
    if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

export class RangeTable {
  readonly #width: number;
  readonly #starts: Uint32Array;
  readonly #ends: Uint32Array;
  readonly size: number;

  /**
   * `starts` and `ends` hold `size * width` words, row by row, inclusive at both ends.
   * Throws a plain Error naming the first row that is reversed, unsorted or overlapping.
   */
  constructor(width: 1 | 4, starts: Uint32Array, ends: Uint32Array, size: number) {
    if (starts.length < size * width || ends.length < size * width) {
      throw new Error(`range table arrays hold fewer than ${size} rows`);
    }
    this.#width = width;
    this.#starts = starts;
    this.#ends = ends;
    this.size = size;
    this.#check();
  }

  #check(): void {
    const w = this.#width;
    for (let row = 0; row < this.size; row++) {
      if (compareRows(this.#starts, row, this.#ends, row, w) > 0) {
        throw new Error(`range ${row} ends before it starts`);
      }
      if (row > 0 && compareRows(this.#ends, row - 1, this.#starts, row, w) >= 0) {
        throw new Error(`range ${row} overlaps or precedes range ${row - 1}`);
      }
    }
  }

  /** The row whose range holds `address`, or -1. O(log n), no allocation. */
  find(address: Words): number {
    const w = this.#width;
    let lo = 0;
    let hi = this.size - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareAt(this.#starts, mid, address, w) <= 0) {
        last = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (last === -1 || compareAt(this.#ends, last, address, w) < 0) return -1;
    return last;
  }

  /** Bytes held by the typed arrays, for the benchmark's memory figure. */
  get byteLength(): number {
    return this.#starts.byteLength + this.#ends.byteLength;
  }
}
