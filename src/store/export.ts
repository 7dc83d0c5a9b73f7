// Writes a store's events to a stream as JSON lines (exactly the MitsuEvent shape) or CSV
// (RFC 4180, formula-looking cells defused). Streams: it waits for 'drain', and stops quietly
// when the reader goes away (`mitsu export | head` ends with EPIPE, which is not an error).

import type { MitsuEvent } from '../events/event.js';
import type { EventFilter, EventStore } from '../events/store.js';

export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Output is handed to the stream in chunks of about this many characters. */
const CHUNK_CHARS = 64 * 1024;

/** CSV columns: every MitsuEvent field, in the order the type declares them. */
export const CSV_COLUMNS: readonly (keyof MitsuEvent)[] = [
  'id', 'event', 'sensor', 'transport', 'src_ip', 'src_port', 'dst_ip', 'dst_port', 'start',
  'end', 'close_reason', 'bytes_in', 'bytes_out', 'payload_b64', 'payload_len',
  'payload_truncated', 'payload_sha256', 'protocol', 'tags', 'intent', 'iocs', 'credentials',
  'commands', 'template', 'country', 'asn', 'as_org', 'fields',
];

export interface ExportResult {
  events: number;
  /** The reader closed the stream before the end (EPIPE); the export stopped there. */
  readerGone: boolean;
}

/** What makes a spreadsheet read a cell as a formula: `=`, `+`, `-`, `@`, tab or CR first
 * (OWASP, CSV Injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: RFC 4180 section 2 rules 5-7; arrays and objects as JSON text. A string that
 * a spreadsheet would run as a formula gets a leading `'` (OWASP), so attacker bytes stay
 * text; numbers, booleans and JSON (which starts with `{` or `[`) are written as they are. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const raw = typeof value === 'object' ? JSON.stringify(value) : String(value);
  const text = typeof value === 'string' && FORMULA_START.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Base64 can start with `+` but holds no character a formula could call anything with,
 * and a quote would corrupt the bytes it carries. */
const VERBATIM_COLUMNS: ReadonlySet<string> = new Set(['payload_b64']);

export function csvRow(ev: MitsuEvent): string {
  return `${CSV_COLUMNS.map((col) => (VERBATIM_COLUMNS.has(col) ? ev[col] as string
    : csvCell(ev[col]))).join(',')}\r\n`;
}

const FORMATTERS: Record<ExportFormat, { header: string; line: (ev: MitsuEvent) => string }> = {
  jsonl: { header: '', line: (ev) => `${JSON.stringify(ev)}\n` },
  csv: { header: `${CSV_COLUMNS.join(',')}\r\n`, line: csvRow },
};

const READER_GONE = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ECONNRESET']);

/** Buffers text into chunks and writes them with backpressure; notices a vanished reader. */
export class ChunkedOutput {
  readonly #out: NodeJS.WritableStream;
  #buffer = '';
  #gone = false;
  #error: Error | undefined;
  readonly #onError = (err: NodeJS.ErrnoException): void => {
    if (READER_GONE.has(err.code ?? '')) this.#gone = true;
    else this.#error = err;
  };

  constructor(out: NodeJS.WritableStream) {
    this.#out = out;
    out.on('error', this.#onError);
  }

  get gone(): boolean {
    this.#throwIfFailed();
    return this.#gone || (this.#out as { destroyed?: boolean }).destroyed === true;
  }

  async push(text: string): Promise<void> {
    this.#buffer += text;
    if (this.#buffer.length >= CHUNK_CHARS) await this.#writeBuffer();
  }

  /** Writes what is left and waits until the stream has taken it. */
  async finish(): Promise<void> {
    await this.#writeBuffer();
    if (!this.gone) {
      await new Promise<void>((resolve) => this.#out.write('', (err) => {
        if (err) this.#onError(err);
        resolve();
      }));
    }
    this.#out.off('error', this.#onError);
    this.#throwIfFailed();
  }

  async #writeBuffer(): Promise<void> {
    const text = this.#buffer;
    this.#buffer = '';
    if (text === '' || this.gone) return;
    if (this.#out.write(text)) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#out.off('drain', done).off('close', done).off('error', done);
        resolve();
      };
      this.#out.on('drain', done).on('close', done).on('error', done);
    });
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }
}

/** Writes the events `filter` selects, oldest first, to `out` in `format`. */
export async function exportEvents(
  store: EventStore,
  out: NodeJS.WritableStream,
  format: ExportFormat,
  filter: EventFilter = {},
): Promise<ExportResult> {
  const { header, line } = FORMATTERS[format];
  const output = new ChunkedOutput(out);
  let events = 0;
  await output.push(header);
  for await (const ev of store.scan(filter)) {
    if (output.gone) break;
    await output.push(line(ev));
    events += 1;
  }
  await output.finish();
  return { events, readerGone: output.gone };
}
