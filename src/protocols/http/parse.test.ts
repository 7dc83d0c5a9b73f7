// The HTTP parser: framing on real requests, limits, and a fuzz run over mutated fixtures.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { corpusRecords } from '../test-corpus.js';
import { MAX_HEAD_BYTES, parseChunked, parsePartialHead, parseRequestHead } from './parse.js';

const HTTP_FIXTURES = corpusRecords().filter((r) => r.protocol === 'http').map((r) => r.bytes);

describe('http head parser', () => {
  it('frames a body by Content-Length and by chunked coding', () => {
    const cl = parseRequestHead(Buffer.from('POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n'));
    expect(cl).toMatchObject({ kind: 'message', head: { body: { kind: 'length', bytes: 5 } } });
    const te = parseRequestHead(Buffer.from(
      'POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n'));
    expect(te).toMatchObject({ kind: 'message', head: { body: { kind: 'chunked' } } });
  });

  it('waits for the rest of a head and names what breaks one', () => {
    expect(parseRequestHead(Buffer.from('GET / HTTP/1.1\r\nHost: a\r\n'))).toEqual(
      { kind: 'incomplete' });
    const bad = (text: string) => parseRequestHead(Buffer.from(text));
    expect(bad('GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n')).toMatchObject(
      { kind: 'malformed', reason: 'bad_content_length' });
    expect(bad('GET / HTTP/1.1\r\nno colon\r\n\r\n')).toEqual(
      { kind: 'malformed', reason: 'bad_header_line' });
    expect(bad('hello there\r\n\r\n')).toEqual({ kind: 'malformed', reason: 'bad_request_line' });
  });

  it('keeps the request line and headers of a head whose Content-Length it refuses', () => {
    const head = (length: string) => parseRequestHead(Buffer.from(
      `POST /cgi-bin/x?a=1 HTTP/1.1\r\nHost: example.com\r\nContent-Length: ${length}\r\n\r\n`));
    for (const [length, reason] of [['99999999999999999999', 'bad_content_length'],
      ['2000000', 'body_too_large']]) {
      expect(head(length ?? '')).toEqual({ kind: 'malformed', reason, head: { method: 'POST',
        target: '/cgi-bin/x?a=1', version: 'HTTP/1.1',
        headers: [['host', 'example.com'], ['content-length', length]] } });
    }
  });

  it('refuses two different Content-Length lines and accepts a repeated one', () => {
    const head = (a: string, b: string) => parseRequestHead(Buffer.from(
      `POST / HTTP/1.1\r\nContent-Length: ${a}\r\nContent-Length: ${b}\r\n\r\n`));
    expect(head('10', '20')).toMatchObject({ kind: 'malformed',
      reason: 'conflicting_content_length', head: { method: 'POST', target: '/' } });
    expect(head('20', '10')).toMatchObject({ reason: 'conflicting_content_length' });
    expect(head('10', '10')).toMatchObject({ kind: 'message',
      head: { body: { kind: 'length', bytes: 10 } } });
    expect(head('10', 'x')).toMatchObject({ reason: 'bad_content_length' });
  });

  it('stops at a header line over 8 KiB before the head ends', () => {
    const long = Buffer.from(`GET / HTTP/1.1\r\nX: ${'a'.repeat(9000)}`);
    expect(parseRequestHead(long)).toEqual({ kind: 'malformed', reason: 'header_too_large' });
  });

  it('reads the complete lines of a head that never ended', () => {
    const partial = parsePartialHead(Buffer.from('GET /x HTTP/1.1\r\nHost: a\r\nUser-Ag'));
    expect(partial).toEqual({ requestLine: 'GET /x HTTP/1.1', headers: [['host', 'a']] });
  });

  it('decodes chunked bodies with trailers and refuses bad sizes', () => {
    const body = parseChunked(Buffer.from('3\r\nabc\r\n0\r\nX-T: 1\r\n\r\nNEXT'));
    expect(body).toMatchObject({ kind: 'message', length: 21 });
    expect(body.kind === 'message' && body.body.toString()).toBe('abc');
    expect(parseChunked(Buffer.from('zz\r\n'))).toEqual(
      { kind: 'malformed', reason: 'bad_chunk_size' });
    expect(parseChunked(Buffer.from('ffffff\r\n'), 1024)).toEqual(
      { kind: 'malformed', reason: 'body_too_large' });
  });

  it('hands back the data of an unfinished chunked body, the open chunk included', () => {
    const received = (text: string) => {
      const result = parseChunked(Buffer.from(text));
      return result.kind === 'incomplete' ? Buffer.concat(result.received).toString() : null;
    };
    expect(received('3\r\nabc\r\n5\r\nde')).toBe('abcde');
    expect(received('3\r\nabc\r\n5')).toBe('abc');
    expect(received('3\r\nabc\r\n0\r\nX-T: 1\r\n')).toBe('abc');
  });
});

describe('http parser fuzzing', () => {
  const mutated = fc.tuple(fc.constantFrom(...HTTP_FIXTURES), fc.array(fc.tuple(fc.nat(),
    fc.integer({ min: 0, max: 255 })), { maxLength: 16 }), fc.nat()).map(([base, flips, cut]) => {
    const copy = Buffer.from(base);
    for (const [at, byte] of flips) if (copy.length > 0) copy[at % copy.length] = byte;
    return copy.subarray(0, cut % (copy.length + 1));
  });
  const random = fc.uint8Array({ maxLength: 4096 }).map((a) => Buffer.from(a));

  it('never throws and never reports more than it was given', () => {
    fc.assert(fc.property(fc.oneof(mutated, random), (buf) => {
      const head = parseRequestHead(buf);
      if (head.kind === 'message') expect(head.head.length).toBeLessThanOrEqual(buf.length);
      const chunked = parseChunked(buf);
      if (chunked.kind === 'message') expect(chunked.length).toBeLessThanOrEqual(buf.length);
      expect(parsePartialHead(buf).headers.length).toBeLessThanOrEqual(100);
    }), { numRuns: 2000 });
  });

  it('decides on a head of any size after MAX_HEAD_BYTES', () => {
    const big = Buffer.alloc(MAX_HEAD_BYTES + 10, 0x61);
    expect(parseRequestHead(big).kind).toBe('malformed');
  });
});
