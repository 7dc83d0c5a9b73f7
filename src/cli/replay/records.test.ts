// Tests for reading replay files: the project's corpus loads, and each kind of bad line is
// reported with its line number before anything would be sent.

import { Readable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMitsuError } from '../../lib/errors.js';
import { MAX_UDP_PAYLOAD_BYTES, loadRecords, parseRecords } from './records.js';

const CORPUS = new URL('../../../test/fixtures/corpus/', import.meta.url);
const GOOD = '{"id":"a","port":80,"transport":"tcp","payload_b64":"R0VUIC8="}';

function errorLine(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    if (isMitsuError(err, 'MITSU_INPUT_INVALID')) return err.message;
    throw err;
  }
  throw new Error('expected MITSU_INPUT_INVALID');
}

describe('loadRecords', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mitsu-replay-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads every record of the project corpus with its bytes decoded', async () => {
    const attacks = await loadRecords(new URL('attacks.jsonl', CORPUS).pathname, process.stdin);
    const hostile = await loadRecords(new URL('hostile.jsonl', CORPUS).pathname, process.stdin);
    expect(attacks.length).toBe(40);
    expect(hostile.length).toBe(6);
    expect(attacks.filter((r) => r.transport === 'udp').map((r) => r.id))
      .toEqual(['udp-ntp-monlist', 'udp-ssdp-msearch-all']);
    const giant = hostile.find((r) => r.id === 'adv-giant-http-header');
    expect(giant?.payload.subarray(0, 16).toString('latin1')).toBe('GET / HTTP/1.1\r\n');
    expect(hostile.find((r) => r.id === 'adv-zero-length-session')?.payload.length).toBe(0);
  });

  it('reads standard input when the file is -', async () => {
    const records = await loadRecords('-', Readable.from([Buffer.from(`${GOOD}\n`)]));
    expect(records.map((r) => [r.id, r.payload.toString('latin1')])).toEqual([['a', 'GET /']]);
  });

  it('reports a missing file and a file without records as input errors', async () => {
    const invalid = (text: string) => ({
      code: 'MITSU_INPUT_INVALID', message: expect.stringContaining(text),
    });
    await expect(loadRecords(join(dir, 'missing.jsonl'), process.stdin)).rejects
      .toMatchObject(invalid('ENOENT'));
    await writeFile(join(dir, 'empty.jsonl'), '\n\n');
    await expect(loadRecords(join(dir, 'empty.jsonl'), process.stdin)).rejects
      .toMatchObject(invalid('no records'));
  });
});

describe('parseRecords', () => {
  it('skips blank lines, accepts CRLF and keeps the optional source address', () => {
    const src = '{"id":"b","port":23,"transport":"tcp","payload_b64":"","src_ip":"203.0.113.5",' +
      '"src_port":40000,"description":"ignored","expect":{"protocol":"telnet"}}';
    const records = parseRecords(`${GOOD}\r\n\r\n${src}\r\n`, 'f');
    expect(records.map((r) => [r.line, r.id, r.srcIp, r.srcPort])).toEqual([
      [1, 'a', undefined, undefined],
      [3, 'b', '203.0.113.5', 40000],
    ]);
  });

  it('names the line of malformed JSON', () => {
    expect(errorLine(() => parseRecords(`${GOOD}\n\n{"id":`, 'in.jsonl')))
      .toBe('in.jsonl line 3 is not valid JSON');
  });

  it.each([
    ['a port that is not a number', '"port":"80"', 'port'],
    ['a port out of range', '"port":70000', 'port'],
    ['an unknown transport', '"transport":"sctp"', 'transport'],
    ['payload that is not base64', '"payload_b64":"R0V*"', 'payload_b64'],
    ['an id with a space', '"id":"a b"', 'id'],
    ['a source that is not an address', '"src_ip":"example.com"', 'src_ip'],
  ])('names the line and field of %s', (_name, field, expected) => {
    const record = { ...JSON.parse(GOOD), ...JSON.parse(`{${field}}`) };
    const message = errorLine(() => parseRecords(`${GOOD}\n${JSON.stringify(record)}`, 'f'));
    expect(message).toMatch(new RegExp(`^f line 2: ${expected} `));
  });

  it('refuses a UDP payload larger than one datagram', () => {
    const big = Buffer.alloc(MAX_UDP_PAYLOAD_BYTES + 3).toString('base64');
    const line = JSON.stringify({ id: 'u', port: 53, transport: 'udp', payload_b64: big });
    expect(errorLine(() => parseRecords(line, 'f'))).toContain('f line 1: payload is over');
  });
});
