// The raw JSON-RPC session on Claymore, Stratum and eth-proxy requests, and on junk.

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { startSession } from '../test-session.js';
import { jsonrpc } from './index.js';
import { MAX_LINE_BYTES, readLine } from './parse.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url));

function replies(text: string): unknown[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}

describe('jsonrpc session', () => {
  it('answers Claymore miner_getstat1 without a newline, then closes as Claymore does', () => {
    const { ctx, session } = startSession(jsonrpc, { dstPort: 3333 });
    session.data(fixture('claymore-getstat1.bin'));
    const [reply] = replies(ctx.text()) as [{ jsonrpc: string; id: number; result: string[] }];
    expect(reply).toMatchObject({ jsonrpc: '2.0', id: 0 });
    expect(reply.result[0]).toBe('15.0 - ETH');
    expect(reply.result).toHaveLength(9);
    expect(ctx.ended).toBe(true);
    expect(ctx.commands).toEqual(['miner_getstat1 null']);
  });

  it('subscribes and authorizes a Stratum worker, recording it, then sends a job', () => {
    const { ctx, session } = startSession(jsonrpc, { dstPort: 3333 });
    session.data(fixture('stratum-subscribe-authorize.bin'));
    const [subscribe, authorize, difficulty, notify] = replies(ctx.text()) as
      Record<string, unknown>[];
    expect(subscribe).toMatchObject({ id: 1, error: null,
      result: [[['mining.set_difficulty', expect.any(String)], ['mining.notify',
        expect.any(String)]], expect.stringMatching(/^[0-9a-f]{8}$/), 4] });
    expect(authorize).toEqual({ id: 2, result: true, error: null });
    expect(difficulty).toMatchObject({ id: null, method: 'mining.set_difficulty' });
    expect(notify).toMatchObject({ id: null, method: 'mining.notify' });
    expect(ctx.credentials).toEqual([{ username: 'bc1qexampleworker.rig1', password: 'x' }]);
    expect(ctx.fields['methods']).toEqual(['mining.subscribe', 'mining.authorize']);
    expect(ctx.ended).toBe(false);
  });

  it('takes an eth-proxy login and hands out work', () => {
    const { ctx, session } = startSession(jsonrpc);
    session.data(fixture('ethproxy-login-getwork.bin'));
    const [login, work] = replies(ctx.text()) as Record<string, unknown>[];
    expect(login).toEqual({ jsonrpc: '2.0', id: 1, result: true });
    expect(work).toMatchObject({ id: 2, result: [expect.stringMatching(/^0x[0-9a-f]{64}$/),
      expect.any(String), expect.stringMatching(/^0x0{8}f{56}$/)] });
    expect(ctx.credentials[0]?.username).toBe('0x407d73d8a49eeb85d32cf465507dd71d507100c1');
  });

  it('answers node methods like Geth and batches in one array', () => {
    const { ctx, session } = startSession(jsonrpc);
    session.data(Buffer.from('[{"jsonrpc":"2.0","id":1,"method":"web3_clientVersion"},' +
      '{"jsonrpc":"2.0","id":2,"method":"eth_accounts","params":[]},' +
      '{"jsonrpc":"2.0","id":3,"method":"debug_x"}]\n'));
    expect(replies(ctx.text())).toEqual([[
      { jsonrpc: '2.0', id: 1, result: 'Geth/v1.10.26-stable-e5eb32ac/linux-amd64/go1.18.8' },
      { jsonrpc: '2.0', id: 2, result: [] },
      { jsonrpc: '2.0', id: 3, error: { code: -32601,
        message: 'the method debug_x does not exist/is not available' } }]]);
  });

  it('answers a block number that moves forward in hex', () => {
    const { ctx, session } = startSession(jsonrpc);
    session.data(Buffer.from('{"jsonrpc":"2.0","method":"eth_blockNumber","id":30}\n'));
    const [reply] = replies(ctx.text()) as [{ result: string }];
    expect(Number.parseInt(reply.result, 16)).toBeGreaterThan(16_000_000);
  });

  it('records a passphrase tried on personal_unlockAccount', () => {
    const { ctx, session } = startSession(jsonrpc);
    session.data(Buffer.from('{"jsonrpc":"2.0","method":"personal_unlockAccount","params":' +
      '["0x407d73d8a49eeb85d32cf465507dd71d507100c1","123456",0],"id":2}\n'));
    expect(ctx.credentials).toEqual([{ username: '0x407d73d8a49eeb85d32cf465507dd71d507100c1',
      password: '123456' }]);
    expect(replies(ctx.text())[0]).toMatchObject({ error: { code: -32000 } });
  });

  it('answers junk with a parse error and closes', () => {
    const { ctx, session } = startSession(jsonrpc);
    session.data(Buffer.from('{"method": nope}\n'));
    expect(replies(ctx.text())).toEqual([{ jsonrpc: '2.0', id: null,
      error: { code: -32700, message: 'parse error' } }]);
    expect(ctx.reasons).toEqual(['invalid_json']);
    expect(ctx.ended).toBe(true);
  });

  it('survives parameters nested too deeply to print', () => {
    const { ctx, session } = startSession(jsonrpc);
    const deep = '['.repeat(30_000) + ']'.repeat(30_000);
    session.data(Buffer.from(`{"id":1,"method":"mining.submit","params":${deep}}\n`));
    expect(replies(ctx.text())[0]).toEqual({ id: 1, result: true, error: null });
  });
});

describe('jsonrpc line reader', () => {
  it('refuses a line longer than the cap before parsing it', () => {
    const result = readLine(Buffer.alloc(MAX_LINE_BYTES + 1, 0x20));
    expect(result).toMatchObject({ kind: 'malformed', reason: 'line_too_long' });
  });

  it('waits for a value cut in the middle', () => {
    expect(readLine(Buffer.from('{"id":1,"method":"mining.sub'))).toEqual({ kind: 'incomplete' });
  });
});
