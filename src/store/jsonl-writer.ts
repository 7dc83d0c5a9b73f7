// Appends events to a file as JSON lines, one event a line, rotating by size the way
// logrotate does: `events.jsonl` → `.1` → `.2`…, the oldest beyond `keep` deleted.
// Synchronous on purpose: it runs inside the store worker, never on the sensor's thread.

import fs from 'node:fs';
import path from 'node:path';

export interface JsonlOutputSpec {
  path: string;
  /** Rotate before a line would take the file past this size. */
  maxBytes: number;
  /** Rotated files kept beside the current one. */
  keep: number;
}

export const DEFAULT_JSONL_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_JSONL_KEEP = 5;

export class JsonlWriter {
  readonly #spec: JsonlOutputSpec;
  #fd: number;
  #size: number;
  /** After a rotation fails (a folder the sensor user cannot write), keep appending. */
  #rotationFailed = false;

  constructor(spec: JsonlOutputSpec) {
    this.#spec = spec;
    fs.mkdirSync(path.dirname(spec.path), { recursive: true });
    this.#fd = fs.openSync(spec.path, 'a');
    this.#size = fs.fstatSync(this.#fd).size;
  }

  /**
   * Writes each line (without its newline), rotating between lines when the cap is met.
   * Throws if lines were not written; a failed rotation loses no line (the file grows past
   * its cap instead) and is returned, once, for the caller to report.
   */
  writeLines(lines: readonly string[]): Error | undefined {
    let chunk = '';
    let chunkBytes = 0;
    let rotation: Error | undefined;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line) + 1;
      const full = this.#size + chunkBytes + bytes > this.#spec.maxBytes;
      if (full && this.#size + chunkBytes > 0 && !this.#rotationFailed) {
        this.#write(chunk);
        chunk = '';
        chunkBytes = 0;
        rotation = this.#tryRotate();
      }
      chunk += `${line}\n`;
      chunkBytes += bytes;
    }
    this.#write(chunk);
    return rotation;
  }

  #tryRotate(): Error | undefined {
    try {
      this.#rotate();
      return undefined;
    } catch (err) {
      return err instanceof Error ? err : new Error(String(err));
    }
  }

  close(): void {
    fs.closeSync(this.#fd);
  }

  #write(text: string): void {
    if (text === '') return;
    const buf = Buffer.from(text);
    let done = 0;
    while (done < buf.length) done += fs.writeSync(this.#fd, buf, done);
    this.#size += buf.length;
  }

  /**
   * Renames while the current file is still open, so a failure (EACCES) leaves a working
   * descriptor: the writer then appends past the cap and reports the error once.
   */
  #rotate(): void {
    const base = this.#spec.path;
    const { keep } = this.#spec;
    let next: number;
    try {
      if (keep === 0) fs.rmSync(base, { force: true });
      else fs.rmSync(`${base}.${keep}`, { force: true });
      for (let n = keep - 1; n >= 1; n -= 1) renameIfThere(`${base}.${n}`, `${base}.${n + 1}`);
      if (keep > 0) fs.renameSync(base, `${base}.1`);
      next = fs.openSync(base, 'a');
    } catch (err) {
      this.#rotationFailed = true;
      throw err;
    }
    fs.closeSync(this.#fd);
    this.#fd = next;
    this.#size = 0;
  }
}

function renameIfThere(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    // Fewer rotated files than `keep` exist yet: nothing to move.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
