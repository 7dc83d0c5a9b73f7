// An Ethereum mainnet node's JSON-RPC on 8545, modelled on Geth 1.10.26 (go-ethereum rpc/http.go
// and rpc/json.go): same status codes, error codes and messages, ids echoed, batches answered.
// It has one funded, locked account, so scanners go on to unlock and transfer attempts.

import { header, jsonReply, type HttpReply, type HttpRequest, type Persona,
  type PersonaRecorder } from '../persona.js';

export const GETH_VERSION = 'Geth/v1.10.26-stable-e5eb32ac/linux-amd64/go1.18.5';
/** Calls answered per batch; Geth 1.12 caps batches at 1000, we keep it smaller. */
export const MAX_BATCH_CALLS = 100;
const MAX_METHOD_CHARS = 128;
const ACCOUNT = '0x6ad3d3a6b2a5d7a0a1e8c29d8be1cc53c0e62e51';
const JSON_TYPES = ['application/json', 'application/json-rpc', 'application/jsonrequest'];

// Block 15,000,000 was mined at this time; the chain then grows one block per ~12.1 s.
const BASE_BLOCK = 15_000_000;
const BASE_TIME_S = 1_655_778_535;
const hex = (n: number | bigint) => `0x${n.toString(16)}`;

function head(): number {
  return BASE_BLOCK + Math.floor((Date.now() / 1000 - BASE_TIME_S) / 12.1);
}

class RpcError {
  constructor(readonly code: number, readonly message: string) {}
}

type Params = unknown[];
type Handler = (params: Params, rec: PersonaRecorder) => unknown;

function block(params: Params): unknown {
  const tag = params[0];
  const n = typeof tag === 'string' && /^0x[0-9a-f]{1,12}$/i.test(tag) ? parseInt(tag, 16)
    : head();
  if (n > head()) return null;
  const word = (seed: number) => `0x${(BigInt(seed) * 0x9e3779b97f4a7c15n).toString(16)
    .padStart(64, '0').slice(-64)}`;
  return {
    number: hex(n), hash: word(n + 1), parentHash: word(n), nonce: '0x0000000000000000',
    miner: '0x95222290dd7278aa3ddd389cc1e1d165cc4bafe5', difficulty: '0x0', gasLimit: '0x1c9c380',
    gasUsed: '0xe4e1c0', timestamp: hex(BASE_TIME_S + Math.floor((n - BASE_BLOCK) * 12.1)),
    baseFeePerGas: '0x2d0c4b8f6', extraData: '0x', size: '0x1a2b', transactions: [],
    uncles: [],
  };
}

function unlock(params: Params, rec: PersonaRecorder): unknown {
  const [address, password] = params;
  if (typeof address === 'string' && typeof password === 'string') {
    rec.credential({ username: address.slice(0, 64), password: password.slice(0, 256) });
  }
  throw new RpcError(-32000, 'could not decrypt key with given password');
}

function locked(): never {
  throw new RpcError(-32000, 'authentication needed: password or unlock');
}

const METHODS: Readonly<Record<string, Handler>> = {
  web3_clientVersion: () => GETH_VERSION,
  net_version: () => '1',
  net_listening: () => true,
  net_peerCount: () => '0x32',
  eth_chainId: () => '0x1',
  eth_protocolVersion: () => '0x42',
  eth_syncing: () => false,
  eth_mining: () => false,
  eth_hashrate: () => '0x0',
  eth_gasPrice: () => '0x2f0c4b8f6',
  eth_blockNumber: () => hex(head()),
  eth_accounts: () => [ACCOUNT],
  personal_listAccounts: () => [ACCOUNT],
  eth_coinbase: () => ACCOUNT,
  eth_getBalance: (p) => (String(p[0]).toLowerCase() === ACCOUNT ? '0x1bc16d674ec80000' : '0x0'),
  eth_getTransactionCount: () => '0x0',
  eth_getBlockByNumber: (p) => block(p),
  eth_sendTransaction: locked,
  eth_sign: locked,
  eth_signTransaction: locked,
  personal_unlockAccount: unlock,
  personal_sendTransaction: (p, rec) => unlock([(p[0] as { from?: unknown } | null)?.from, p[1]],
    rec),
};

function answer(call: unknown, rec: PersonaRecorder): object | null {
  if (typeof call !== 'object' || call === null || Array.isArray(call)) {
    return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } };
  }
  const { id = null, method, params } = call as { id?: unknown; method?: unknown;
    params?: unknown };
  const echo = typeof id === 'object' && id !== null ? null : id;
  if (typeof method !== 'string') {
    return { jsonrpc: '2.0', id: echo, error: { code: -32600, message: 'invalid request' } };
  }
  const name = method.slice(0, MAX_METHOD_CHARS);
  rec.command(name);
  const result = run(name, Array.isArray(params) ? params : [], rec);
  if (!('id' in call)) return null;
  return result instanceof RpcError
    ? { jsonrpc: '2.0', id: echo, error: { code: result.code, message: result.message } }
    : { jsonrpc: '2.0', id: echo, result };
}

function run(method: string, params: Params, rec: PersonaRecorder): unknown {
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (handler === undefined) {
    return new RpcError(-32601, `the method ${method} does not exist/is not available`);
  }
  try {
    return handler(params, rec);
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
}

/** Go's http.Error: plain text, nosniff, a newline after the message. */
function httpError(status: number, message: string): HttpReply {
  return { status, headers: [['Content-Type', 'text/plain; charset=utf-8'], ['Vary', 'Origin'],
    ['X-Content-Type-Options', 'nosniff']], body: `${message}\n` };
}

function rpc(req: HttpRequest, rec: PersonaRecorder): HttpReply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    // Not JSON: Geth answers a parse error with a null id; nothing else to do with it.
    return reply({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } });
  }
  if (!Array.isArray(parsed)) return reply(answer(parsed, rec));
  if (parsed.length === 0) {
    return reply({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'empty batch' } });
  }
  const calls = parsed.slice(0, MAX_BATCH_CALLS);
  rec.note('rpc_batch', parsed.length);
  return reply(calls.map((c) => answer(c, rec)).filter((r) => r !== null));
}

function reply(value: object | null): HttpReply {
  if (value === null) return { status: 200, headers: [['Vary', 'Origin']], body: '' };
  const out = jsonReply(200, value, [], 'application/json');
  out.headers.push(['Vary', 'Origin']);
  out.body = `${String(out.body)}\n`;
  return out;
}

function isJson(req: HttpRequest): boolean {
  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return JSON_TYPES.includes(type);
}

export const geth: Persona = {
  name: 'geth',
  product: 'Geth 1.10.26 (go-ethereum JSON-RPC over HTTP)',
  ports: [8545],
  claims: (req) => req.method === 'POST' && /"jsonrpc"\s*:/.test(req.body.toString('latin1', 0,
    256)) && /"(eth|net|web3|personal|admin|miner|txpool)_/.test(req.body.toString('latin1')),
  respond(req, rec) {
    if (req.method === 'GET' && req.body.length === 0 && req.query === '') {
      return { status: 200, headers: [['Vary', 'Origin']], body: '' };
    }
    if (req.method === 'PUT' || req.method === 'DELETE') {
      return httpError(405, 'method not allowed');
    }
    if (!isJson(req)) {
      return httpError(415, 'invalid content type, only application/json is supported');
    }
    return rpc(req, rec);
  },
};
