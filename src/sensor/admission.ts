// Concurrency limits: connections open overall and per source address. A connection above
// either limit is still accepted, recorded as `connection.refused_limit`, and closed.

export class Admission {
  #maxTotal: number;
  readonly #maxPerSource: number;
  readonly #perSource = new Map<string, number>();
  #total = 0;

  constructor(maxTotal: number, maxPerSource: number) {
    this.#maxTotal = maxTotal;
    this.#maxPerSource = maxPerSource;
  }

  /** Lowers the overall limit (to what the open-file limit leaves for connections). */
  cap(maxTotal: number): void {
    this.#maxTotal = Math.min(this.#maxTotal, maxTotal);
  }

  get maxTotal(): number {
    return this.#maxTotal;
  }

  get open(): number {
    return this.#total;
  }

  /** Takes a slot in the overall count, or returns false when none is left. */
  enter(): boolean {
    if (this.#total >= this.#maxTotal) return false;
    this.#total++;
    return true;
  }

  leave(): void {
    this.#total--;
  }

  /** Takes a slot for one source address, or returns false at its limit. */
  enterSource(ip: string): boolean {
    const n = this.#perSource.get(ip) ?? 0;
    if (n >= this.#maxPerSource) return false;
    this.#perSource.set(ip, n + 1);
    return true;
  }

  leaveSource(ip: string): void {
    const n = this.#perSource.get(ip) ?? 0;
    if (n <= 1) this.#perSource.delete(ip);
    else this.#perSource.set(ip, n - 1);
  }
}
