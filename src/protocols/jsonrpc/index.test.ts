// The jsonrpc probe on raw JSON-RPC and Stratum requests, and on other JSON.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { PROBE_SURE } from '../types.js';
import { jsonrpc } from './index.js';

describe('jsonrpc probe', () => {
  it('is sure of a request naming its jsonrpc version', () => {
    const request = '{"jsonrpc":"2.0","method":"eth_accounts","params":[],"id":1}\n';
    expect(jsonrpc.probe(Buffer.from(request))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('takes a Stratum request, which names only its method', () => {
    const subscribe = '{"id": 1, "method": "mining.subscribe", "params": []}\n';
    expect(jsonrpc.probe(Buffer.from(subscribe))).toBeGreaterThanOrEqual(PROBE_MIN);
  });

  it('does not take other JSON or an HTTP request carrying JSON-RPC', () => {
    expect(jsonrpc.probe(Buffer.from('{"hello":"world"}'))).toBeLessThan(PROBE_MIN);
    const http = 'POST / HTTP/1.1\r\n\r\n{"jsonrpc":"2.0"}';
    expect(jsonrpc.probe(Buffer.from(http))).toBe(0);
  });
});
