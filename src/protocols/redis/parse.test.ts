// The Redis request reader on corpus chains, inline quoting and hostile lengths.

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { MAX_ARGS, MAX_LINE_BYTES, parseRequest, splitArgs, type RequestResult } from
  './parse.js';

/** Every request in `bytes`, as latin1 argument lists, until one is not a message. */
function requests(bytes: Buffer): { args: string[][]; last: RequestResult } {
  const args: string[][] = [];
  let rest = bytes;
  for (;;) {
    const result = parseRequest(rest);
    if (result.kind !== 'message') return { args, last: result };
    args.push(result.args.map((a) => a.toString('latin1')));
    rest = rest.subarray(result.length);
  }
}

describe('redis request reader', () => {
  it('reads the RESP cron-write chain command by command', () => {
    const { args, last } = requests(corpusBytes('seed-6379-redis-cron-write-resp'));
    expect(args.map((a) => a.slice(0, 3))).toEqual([
      ['set', 'backuprd', expect.stringContaining('*/1 * * * * root')],
      ['config', 'set', 'dir'], ['config', 'set', 'dbfilename'], ['save'],
    ]);
    expect(last).toEqual({ kind: 'incomplete' });
  });

  it('reads inline commands with double-quoted escapes', () => {
    const { args } = requests(corpusBytes('seed-6379-redis-cron-write-inline'));
    expect(args[0]?.[2]).toMatch(/^\n\*\/1 \* \* \* \* root \(curl .*\|sh\n$/);
    expect(args.slice(1)).toEqual([['config', 'set', 'dir', '/etc/cron.d'],
      ['config', 'set', 'dbfilename', 'root'], ['save']]);
  });

  it('splits like sdssplitargs: single quotes, hex escapes, quotes that must end a word', () => {
    const split = (s: string) => splitArgs(Buffer.from(s, 'latin1'))?.map((a) =>
      a.toString('latin1'));
    expect(split(`set k 'it\\'s' "\\x41\\t"`)).toEqual(['set', 'k', "it's", 'A\t']);
    expect(split('set "a"b')).toBeUndefined();
    expect(split('set "open')).toBeUndefined();
  });

  it('refuses a bulk length above the cap and reports the declared length', () => {
    expect(parseRequest(corpusBytes('adv-redis-huge-bulk-length'))).toEqual({
      kind: 'malformed', reason: 'invalid_bulk_length',
      reply: 'Protocol error: invalid bulk length', declared: 2147483647,
    });
  });

  it('refuses an argument count above the cap', () => {
    const result = parseRequest(Buffer.from(`*${MAX_ARGS + 1}\r\n$1\r\na\r\n`));
    expect(result).toMatchObject({ kind: 'malformed', reason: 'invalid_multibulk_length' });
  });

  it('names the byte found where a bulk header was due', () => {
    expect(parseRequest(Buffer.from('*1\r\n:1\r\n'))).toMatchObject({
      kind: 'malformed', reply: "Protocol error: expected '$', got ':'" });
  });

  it('waits for a cut bulk and skips empty arrays and blank lines', () => {
    expect(parseRequest(Buffer.from('*1\r\n$4\r\nPI'))).toEqual({ kind: 'incomplete' });
    expect(parseRequest(Buffer.from('*0\r\n'))).toMatchObject({ kind: 'message', args: [] });
    expect(parseRequest(Buffer.from('\r\n'))).toMatchObject({ kind: 'message', args: [] });
  });

  it('refuses an inline line longer than Redis allows', () => {
    expect(parseRequest(Buffer.alloc(MAX_LINE_BYTES + 1, 0x61))).toMatchObject({
      kind: 'malformed', reason: 'inline_too_long' });
  });
});
