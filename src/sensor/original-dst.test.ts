import { existsSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectFromClient, createNetnsPair, netnsSkipReason, type NetnsPair,
  SENSOR_V4, SENSOR_V6, startOriginalDstListener, waitUntil,
} from '../../test/helpers/netns.js';
import { applyFirewall } from './firewall/index.js';
import { originalDst } from './original-dst.js';

const ADDON = fileURLToPath(new URL('../../native/build/Release/original_dst.node',
  import.meta.url));
const ADDON_SKIP = existsSync(ADDON) ? undefined : 'the addon is not built (npm run build:native)';
const LISTEN_PORT = 6999;

/** Accepts one loopback connection and hands both ends to `use`. */
async function withLoopbackPair<T>(use: (server: Socket) => T): Promise<T> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  const client = connect(port, '127.0.0.1');
  const socket = await accepted;
  try {
    return use(socket);
  } finally {
    client.destroy();
    socket.destroy();
    server.close();
  }
}

const skipped = (reason: string | undefined): string =>
  reason === undefined ? '' : `: skipped, ${reason}`;

describe.skipIf(ADDON_SKIP !== undefined)(`originalDst${skipped(ADDON_SKIP)}`, () => {
  it('reports no redirect, or the listener itself, for a direct connection', async () => {
    const [dst, port] = await withLoopbackPair((s) => [originalDst(s), s.localPort] as const);
    if (dst !== null) expect(dst).toEqual({ address: '127.0.0.1', port });
  });

  it('returns null for a socket that is already closed', async () => {
    const socket = await withLoopbackPair((s) => s);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(originalDst(socket)).toBeNull();
  });
});

const NETNS_SKIP = ADDON_SKIP ?? netnsSkipReason();

const REDIRECT_TITLE = `a redirected connection${skipped(NETNS_SKIP)}`;

describe.skipIf(NETNS_SKIP !== undefined)(REDIRECT_TITLE, { timeout: 30_000 }, () => {
  let pair: NetnsPair | undefined;

  beforeAll(async () => {
    pair = createNetnsPair('od');
    const plan = { listenPort: LISTEN_PORT, exemptPorts: [22], interfaces: [], addresses: [] };
    await applyFirewall(plan, [...pair.exec(pair.sensor), 'nft']);
  });

  afterAll(() => pair?.destroy());

  it('recovers the IPv4 and IPv6 ports the client dialled', async () => {
    const ns = pair as NetnsPair;
    const listener = await startOriginalDstListener(ns, ADDON, LISTEN_PORT);
    try {
      expect(await connectFromClient(ns, SENSOR_V4, [1, 4444])).toEqual({ 1: 'connected',
        4444: 'connected' });
      expect(await connectFromClient(ns, SENSOR_V6, [31337])).toEqual({ 31337: 'connected' });
      expect(await connectFromClient(ns, SENSOR_V4, [22])).toEqual({ 22: 'ECONNREFUSED' });
      await waitUntil(() => listener.seen.length >= 3);
      const dsts = listener.seen.map((s) => s.dst).sort((a, b) => (a?.port ?? 0) - (b?.port ?? 0));
      expect(dsts).toEqual([{ address: SENSOR_V4, port: 1 }, { address: SENSOR_V4, port: 4444 },
        { address: SENSOR_V6, port: 31337 }]);
      expect(listener.seen.every((s) => s.local === LISTEN_PORT)).toBe(true);
    } finally {
      listener.stop();
    }
  });
});
