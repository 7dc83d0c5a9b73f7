// Drives ThreadedSink against a real SQLite file in a real worker thread: batching by count
// and by time, flush and close, the JSON-lines copy, and what happens when commits fail.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { MitsuError } from '../lib/errors.js';
import { makeEvent } from './fixtures.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import { ThreadedSink, type ThreadedSinkOptions } from './threaded-sink.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mitsu-sink-'));
let serial = 0;
const freshPath = (): string => path.join(dir, `sink-${(serial += 1)}.db`);

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function countIn(file: string): Promise<number> {
  const store = SqliteStore.open(file, { readonly: true });
  try {
    return await store.count();
  } finally {
    await store.close();
  }
}

/** The template of every event stored in `file`, in scan order. */
async function storedTemplates(file: string): Promise<(string | null)[]> {
  const store = SqliteStore.open(file, { readonly: true });
  const out = [];
  for await (const ev of store.scan()) out.push(ev.template);
  await store.close();
  return out;
}

function openSink(file: string, over: Partial<ThreadedSinkOptions> = {}) {
  const errors: MitsuError[] = [];
  const sink = ThreadedSink.open({
    store: { kind: 'sqlite', path: file },
    onError: (err) => errors.push(err),
    ...over,
  });
  return { sink, errors };
}

/** A store spec whose lock wait is short, so a locked file fails a commit quickly. */
function lockable(file: string): ThreadedSinkOptions['store'] {
  return { kind: 'sqlite', path: file, busyTimeoutMs: 20 };
}

/** Holds SQLite's write lock on `file` from another connection until released. */
function lockWrites(file: string): () => void {
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('COMMIT');
    db.close();
  };
}

describe('ThreadedSink', () => {
  it('has committed every event written once flush resolves', async () => {
    const file = freshPath();
    const { sink, errors } = openSink(file, { batchMaxEvents: 1_000 });
    const s = await sink;
    for (let i = 0; i < 2_500; i += 1) s.write(makeEvent(i));
    await s.flush();
    expect(await countIn(file)).toBe(2_500);
    expect(s.stats).toMatchObject({ written: 2_500, committed: 2_500, retrying: 0, dropped: 0 });
    await s.close();
    expect(errors).toEqual([]);
  });

  it('posts a small batch by itself once batchMaxMs has passed', async () => {
    const file = freshPath();
    const s = await openSink(file, { batchMaxMs: 20 }).sink;
    s.write(makeEvent(0));
    s.write(makeEvent(1));
    const deadline = Date.now() + 5_000;
    while (s.stats.committed < 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await countIn(file)).toBe(2);
    await s.close();
  });

  it('flushes on close, ends its worker, and drops what is written afterwards', async () => {
    const file = freshPath();
    const { sink, errors } = openSink(file);
    const s = await sink;
    s.write(makeEvent(0));
    await s.close();
    await s.close();
    expect(await countIn(file)).toBe(1);
    s.write(makeEvent(1));
    expect(s.stats.dropped).toBe(1);
    expect(errors.map((e) => e.code)).toEqual(['MITSU_STORE_UNAVAILABLE']);
  });

  it('refuses to open on a file that belongs to another application', async () => {
    const file = freshPath();
    const db = new Database(file);
    db.exec('CREATE TABLE mine (a)');
    db.close();
    await expect(openSink(file).sink).rejects.toMatchObject({ code: 'MITSU_STORE_FOREIGN' });
  });

  it('runs the transform module on each batch before storing it', async () => {
    const file = freshPath();
    const module = new URL('./test-transform.ts', import.meta.url).href;
    const { sink } = openSink(file, { transform: { module, options: { template: 't-x' } } });
    const opened = await sink;
    opened.write(makeEvent(0));
    opened.write(makeEvent(1));
    await opened.close();
    expect(await storedTemplates(file)).toEqual(['t-x', 't-x']);
  });

  it('writes put-off analysis back to stored events when the worker is idle', async () => {
    const file = freshPath();
    const module = new URL('./test-transform.ts', import.meta.url).href;
    const options = { template: 't-late', defer: true };
    const opened = await openSink(file, { transform: { module, options } }).sink;
    for (let i = 0; i < 5; i++) opened.write(makeEvent(i));
    await opened.flush();
    await vi.waitFor(async () =>
      expect(await storedTemplates(file)).toEqual(Array(5).fill('t-late')));
    await opened.close();
  });

  it('finishes put-off analysis before it closes the store', async () => {
    const file = freshPath();
    const module = new URL('./test-transform.ts', import.meta.url).href;
    const options = { template: 't-late', defer: true };
    const opened = await openSink(file, { transform: { module, options } }).sink;
    for (let i = 0; i < 5; i++) opened.write(makeEvent(i));
    await opened.close();
    expect(await storedTemplates(file)).toEqual(Array(5).fill('t-late'));
  });

  it('drops events past the in-flight byte bound and reports how many', async () => {
    const file = freshPath();
    const payload = Buffer.alloc(3000, 1);
    const { sink, errors } = openSink(file, { maxInFlightBytes: 10_000, batchMaxMs: 10_000 });
    const opened = await sink;
    for (let i = 0; i < 5; i++) opened.write(makeEvent(i, {}, payload));
    await opened.close();
    expect(opened.stats).toMatchObject({ written: 2, committed: 2, dropped: 3 });
    expect(errors.map((e) => e.message)).toContain('3 events dropped: the store is not keeping up');
  });

  it('stores events unanalysed and reports once when the transform cannot load', async () => {
    const file = freshPath();
    const module = new URL('./test-transform.ts', import.meta.url).href;
    const options = { template: 't', fail: true };
    const { sink, errors } = openSink(file, { transform: { module, options } });
    const opened = await sink;
    opened.write(makeEvent(0));
    await opened.close();
    expect(errors.map((e) => e.code)).toEqual(['MITSU_CONFIG_INVALID']);
    expect(errors[0]?.message).toBe('events are stored unanalysed: test transform refused to load');
    expect(await storedTemplates(file)).toEqual([null]);
  });

  it('writes the JSON-lines copy of each committed event', async () => {
    const file = freshPath();
    const jsonl = { path: path.join(dir, `copy-${serial}.jsonl`), maxBytes: 1 << 20, keep: 1 };
    const s = await openSink(file, { jsonl }).sink;
    const events = [makeEvent(0), makeEvent(1, {}, Buffer.from([0, 0xff]))];
    for (const ev of events) s.write(ev);
    await s.close();
    const lines = fs.readFileSync(jsonl.path, 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toStrictEqual(events);
  });

  it('stores events whose JSON-lines copy cannot be written, and counts them', async () => {
    const file = freshPath();
    // Every write to /dev/full fails with ENOSPC, as a full disk would.
    const jsonl = { path: '/dev/full', maxBytes: 1 << 20, keep: 1 };
    const { sink, errors } = openSink(file, { jsonl });
    const s = await sink;
    s.write(makeEvent(0));
    s.write(makeEvent(1));
    await s.close();
    expect(s.stats).toMatchObject({ committed: 2, copyMissed: 2 });
    expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/JSON-lines/)]);
  });

  it('reports a failed commit, keeps the batch, and stores it on the next flush', async () => {
    const file = freshPath();
    const { sink, errors } = openSink(file, { store: lockable(file) });
    const s = await sink;
    const release = lockWrites(file);
    for (let i = 0; i < 3; i += 1) s.write(makeEvent(i));
    await expect(s.flush()).rejects.toMatchObject({ code: 'MITSU_STORE_UNAVAILABLE' });
    expect(s.stats).toMatchObject({ committed: 0, retrying: 3 });
    expect(errors.map((e) => e.code)).toEqual(['MITSU_STORE_UNAVAILABLE']);
    release();
    await s.flush();
    expect(await countIn(file)).toBe(3);
    expect(s.stats).toMatchObject({ committed: 3, retrying: 0, dropped: 0 });
    await s.close();
  });

  it('keeps at most maxRetryEvents for a retry, dropping the oldest and saying so', async () => {
    const file = freshPath();
    const { sink, errors } = openSink(file, { store: lockable(file), maxRetryEvents: 2 });
    const s = await sink;
    const release = lockWrites(file);
    const events = [0, 1, 2, 3, 4].map((i) => makeEvent(i));
    for (const ev of events) s.write(ev);
    await expect(s.flush()).rejects.toThrow();
    expect(s.stats).toMatchObject({ retrying: 2, dropped: 3 });
    expect(errors.some((e) => /3 events dropped/.test(e.message))).toBe(true);
    release();
    await s.close();
    const store = SqliteStore.open(file, { readonly: true });
    const kept: string[] = [];
    for await (const ev of store.scan()) kept.push(ev.id);
    await store.close();
    expect(kept).toEqual([events[3]!.id, events[4]!.id]);
  });

  it('rejects close, counting the events lost, when the store stays unwritable', async () => {
    const file = freshPath();
    const s = await openSink(file, { store: lockable(file) }).sink;
    const release = lockWrites(file);
    s.write(makeEvent(0));
    s.write(makeEvent(1));
    await expect(s.close()).rejects.toThrow(/2 events could not be stored/);
    release();
  });

  it('drops an event the store refuses as invalid and commits the rest of its batch', async () => {
    const file = freshPath();
    const { sink, errors } = openSink(file);
    const s = await sink;
    s.write(makeEvent(0));
    s.write(makeEvent(1, { start: 'not a time' }));
    s.write(makeEvent(2));
    await s.flush();
    expect(s.stats).toMatchObject({ committed: 2, rejected: 1, retrying: 0 });
    expect(errors.map((e) => e.code)).toEqual(['MITSU_INPUT_INVALID']);
    await s.close();
    expect(await countIn(file)).toBe(2);
  });

  it('refuses to open when the JSON-lines output cannot be created, naming it', async () => {
    const blocker = path.join(dir, `blocker-${serial}`);
    fs.writeFileSync(blocker, 'a file where a directory should be');
    const jsonl = { path: path.join(blocker, 'events.jsonl'), maxBytes: 1 << 20, keep: 1 };
    const opening = openSink(freshPath(), { jsonl }).sink;
    await expect(opening).rejects.toMatchObject({ code: 'MITSU_STORE_UNAVAILABLE' });
    await expect(opening).rejects.toThrow(/JSON-lines output .*events\.jsonl.* cannot be opened: E[A-Z]+/);
  });
});
