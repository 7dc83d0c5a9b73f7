// Writes a command's output to stdout the way `mitsu export` does: with backpressure, and
// stopping quietly when the reader goes away (`mitsu iocs | head -1` ends with EPIPE, which is
// the reader's choice, not an error).

import { ChunkedOutput } from '../store/export.js';

/** Writes the pieces in order; false when the reader went away before the end. */
export async function writeOutput(out: NodeJS.WritableStream, pieces: Iterable<string>):
  Promise<boolean> {
  const output = new ChunkedOutput(out);
  for (const piece of pieces) {
    if (output.gone) break;
    await output.push(piece);
  }
  await output.finish();
  return !output.gone;
}
