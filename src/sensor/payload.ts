// The bytes a client sent: kept up to a cap, always counted in full. When the cap cuts the
// payload short, a running hash of everything received is kept too, so the full payload can
// still be matched against other sensors' records.

import { createHash, type Hash } from 'node:crypto';

export class PayloadBuffer {
  readonly #cap: number;
  #chunks: Buffer[] = [];
  #kept = 0;
  #total = 0;
  #fullHash: Hash | null = null;

  constructor(capBytes: number) {
    this.#cap = capBytes;
  }

  get total(): number {
    return this.#total;
  }

  get truncated(): boolean {
    return this.#total > this.#kept;
  }

  add(chunk: Buffer): void {
    this.#total += chunk.length;
    const room = this.#cap - this.#kept;
    if (chunk.length <= room) {
      this.#chunks.push(chunk);
      this.#kept += chunk.length;
      return;
    }
    if (this.#fullHash === null) {
      this.#fullHash = createHash('sha256');
      for (const kept of this.#chunks) this.#fullHash.update(kept);
    }
    this.#fullHash.update(chunk);
    if (room > 0) {
      this.#chunks.push(chunk.subarray(0, room));
      this.#kept += room;
    }
  }

  /** The kept bytes as one buffer. */
  bytes(): Buffer {
    if (this.#chunks.length !== 1) this.#chunks = [Buffer.concat(this.#chunks, this.#kept)];
    return this.#chunks[0] as Buffer;
  }

  /** SHA-256 of every byte received, or null when nothing was cut (it equals payload_sha256). */
  fullSha256(): string | null {
    return this.#fullHash === null ? null : this.#fullHash.digest('hex');
  }
}
