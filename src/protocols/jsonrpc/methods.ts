// Answers per method, each modelled on a named server: Claymore's Dual Ethereum miner 15.0
// remote manager (miner_*), a Stratum V1 pool (mining.*), an EthereumStratum proxy
// (eth_submitLogin, eth_getWork) and Geth 1.10.26's JSON-RPC (eth_*, net_*, web3_*).

import { randomBytes } from 'node:crypto';

export interface Answer {
  result?: unknown;
  error?: { code: number; message: string };
  /** Server-initiated notifications sent after the answer (Stratum difficulty and job). */
  then?: unknown[];
  /** The server closes after answering (Claymore's manager serves one request a connection). */
  close?: boolean;
}

type Method = (params: unknown[]) => Answer;

const GETH = 'Geth/v1.10.26-stable-e5eb32ac/linux-amd64/go1.18.8';
/** A mainnet block height of late 2022, advanced by time so repeated scans see it move. */
const BLOCK_BASE = 16_000_000;
const BLOCK_BASE_MS = Date.UTC(2022, 10, 18);
const BLOCK_MS = 12_000;
const EXTRANONCE1 = randomBytes(4).toString('hex');

function blockNumber(): string {
  return `0x${(BLOCK_BASE + Math.floor((Date.now() - BLOCK_BASE_MS) / BLOCK_MS)).toString(16)}`;
}

/** Claymore's reply: version, minutes up, total hashrate;shares;rejects, per-GPU rates... */
function minerStat(): Answer {
  const minutes = String(1200 + Math.floor((Date.now() / 60_000) % 5000));
  return { result: ['15.0 - ETH', minutes, '152378;3071;0',
    '25432;25398;25601;25355;25310;25282', '0;0;0', 'off;off;off;off;off;off',
    '62;45;64;48;60;44;63;47;61;45;65;49', 'eth-eu1.nanopool.org:9999', '0;0;0;0'],
  close: true };
}

function stratumJob(): unknown[] {
  const hex = (n: number) => randomBytes(n).toString('hex');
  return [
    { id: null, method: 'mining.set_difficulty', params: [65536] },
    { id: null, method: 'mining.notify', params: [hex(4), hex(32), hex(60), hex(40), [],
      '20000000', '1703a8c1', Math.floor(Date.now() / 1000).toString(16), true] },
  ];
}

/** Geth's generic server error (-32000) with its message. */
function failure(message: string): Answer {
  return { error: { code: -32000, message } };
}

const hash = () => `0x${randomBytes(32).toString('hex')}`;
const TARGET = `0x${'0'.repeat(8)}${'f'.repeat(56)}`;

export const METHODS: Record<string, Method> = {
  miner_getstat1: minerStat,
  miner_getstat2: minerStat,
  miner_restart: () => ({ close: true }),
  miner_reboot: () => ({ close: true }),
  miner_file: () => ({ close: true }),
  control_gpu: () => ({ close: true }),
  'mining.subscribe': () => ({ result: [[['mining.set_difficulty', randomBytes(16).toString('hex')],
    ['mining.notify', randomBytes(16).toString('hex')]], EXTRANONCE1, 4] }),
  'mining.authorize': () => ({ result: true, then: stratumJob() }),
  'mining.extranonce.subscribe': () => ({ result: true }),
  'mining.configure': () => ({ result: {} }),
  'mining.submit': () => ({ result: true }),
  eth_submitLogin: () => ({ result: true }),
  eth_getWork: () => ({ result: [hash(), hash(), TARGET] }),
  eth_submitWork: () => ({ result: true }),
  eth_submitHashrate: () => ({ result: true }),
  eth_blockNumber: () => ({ result: blockNumber() }),
  eth_accounts: () => ({ result: [] }),
  eth_chainId: () => ({ result: '0x1' }),
  eth_syncing: () => ({ result: false }),
  eth_mining: () => ({ result: false }),
  eth_hashrate: () => ({ result: '0x0' }),
  eth_gasPrice: () => ({ result: '0x2540be400' }),
  eth_getBalance: () => ({ result: '0x0' }),
  eth_getTransactionCount: () => ({ result: '0x0' }),
  eth_coinbase: () => failure('etherbase must be explicitly specified'),
  eth_sendTransaction: () => failure('unknown account'),
  eth_sign: () => failure('unknown account'),
  net_version: () => ({ result: '1' }),
  net_listening: () => ({ result: true }),
  net_peerCount: () => ({ result: '0x19' }),
  web3_clientVersion: () => ({ result: GETH }),
  personal_listAccounts: () => ({ result: [] }),
  personal_unlockAccount: () => failure('no key for given address or file'),
};

/** Geth's reply to a method it does not serve (rpc/errors.go methodNotFoundError). */
export function notFound(method: string): Answer {
  return { error: { code: -32601,
    message: `the method ${method.slice(0, 128)} does not exist/is not available` } };
}

/** Who a login names: Stratum's [user, password], eth_submitLogin's [wallet, password]. */
export function loginOf(method: string, params: unknown[]): { username: string;
  password: string } | null {
  const logins = ['mining.authorize', 'eth_submitLogin', 'personal_unlockAccount'];
  if (!logins.includes(method) || typeof params[0] !== 'string') return null;
  const password = typeof params[1] === 'string' ? params[1] : '';
  return { username: params[0], password };
}
