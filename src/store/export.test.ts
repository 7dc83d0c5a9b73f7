// Checks export output byte for byte: JSON lines that parse back to the stored events, CSV
// that follows RFC 4180, waiting on a slow reader, and a quiet stop when the reader leaves.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { makeEvent } from './fixtures.js';
import { CSV_COLUMNS, csvCell, exportEvents } from './export.js';
import { SqliteStore } from './sqlite/sqlite-store.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-export-'));
let serial = 0;

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function storeWith(count: number) {
  const store = SqliteStore.open(path.join(dir, `e-${(serial += 1)}.db`));
  const events = Array.from({ length: count }, (_, i) =>
    makeEvent(i * 1_000, { commands: [`echo "${i}", done`] }, Buffer.from([0, i % 256])));
  await store.append(events);
  return { store, events };
}

function collector(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe('exportEvents', () => {
  it('writes one JSON line per event that parses back to the stored event', async () => {
    const { store, events } = await storeWith(3);
    const { out, text } = collector();
    const result = await exportEvents(store, out, 'jsonl');
    expect(result).toEqual({ events: 3, readerGone: false });
    const lines = text().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((l) => JSON.parse(l))).toStrictEqual(events);
    await store.close();
  });

  it('writes CSV with one header row, CRLF lines and RFC 4180 quoting', async () => {
    const { store, events } = await storeWith(2);
    const { out, text } = collector();
    await exportEvents(store, out, 'csv', { since: events[1]!.start });
    const rows = text().split('\r\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe('');
    expect(rows[1]).toContain(',"[""echo \\""1\\"", done""]",');
    expect(rows[1]).toContain(`,${events[1]!.payload_b64},`);
    await store.close();
  });

  it('quotes a CSV cell only when it holds a comma, a quote or a line break', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(false)).toBe('false');
    expect(csvCell({ a: 1 })).toBe('"{""a"":1}"');
  });

  it('defuses a cell a spreadsheet would run as a formula with a leading quote', () => {
    expect(csvCell('=HYPERLINK("http://198.51.100.7/x","y")'))
      .toBe('"\'=HYPERLINK(""http://198.51.100.7/x"",""y"")"');
    expect(csvCell('+1+cmd|\' /C calc\'!A0')).toBe("'+1+cmd|' /C calc'!A0");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('a=1')).toBe('a=1');
    expect(csvCell(-1)).toBe('-1');
    expect(csvCell(['=1'])).toBe('"[""=1""]"');
  });

  it('defuses attacker-chosen cells of exported events', async () => {
    const store = SqliteStore.open(path.join(dir, `e-${(serial += 1)}.db`));
    // 0xf8 first makes the payload's base64 start with `+`.
    await store.append([makeEvent(0, { sensor: '=cmd|\'/C calc\'!A0', as_org: '@x' },
      Buffer.from([0xf8, 0x41]))]);
    const { out, text } = collector();
    await exportEvents(store, out, 'csv');
    const row = text().split('\r\n')[1]!;
    expect(row).toContain(",'=cmd|'/C calc'!A0,");
    // Base64 is kept exact: it cannot call anything, and a quote would corrupt the bytes.
    expect(row).toContain(',+EE=,');
    expect(row).toContain(",'@x,");
    expect(row.split(',').filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual(['+EE=']);
    await store.close();
  });

  it('waits for a slow reader instead of buffering the whole export', async () => {
    const { store } = await storeWith(3_000);
    let maxBuffered = 0;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, done) {
        maxBuffered = Math.max(maxBuffered, this.writableLength);
        setTimeout(done, 1);
      },
    });
    const result = await exportEvents(store, slow, 'jsonl');
    expect(result.events).toBe(3_000);
    expect(maxBuffered).toBeLessThan(256 * 1024);
    await store.close();
  });

  it('stops quietly when the reader goes away with EPIPE', async () => {
    const { store } = await storeWith(3_000);
    let written = 0;
    const closing = new Writable({
      write(chunk: Buffer, _enc, done) {
        written += chunk.length;
        if (written < 100_000) return done();
        done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const result = await exportEvents(store, closing, 'jsonl');
    expect(result.readerGone).toBe(true);
    expect(result.events).toBeLessThan(3_000);
    await store.append([makeEvent(99_999_999)]);
    await store.close();
  });
});
