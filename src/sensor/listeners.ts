// Opening listeners: many ports at once, skipping (and counting) ports that are taken or
// privileged, never more than the open-file limit allows.

import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { readFileSync } from 'node:fs';

/** File descriptors kept free for the store, logs, worker threads and the like. */
export const RESERVED_FDS = 128;
/** How many listeners are opened at once during start-up. */
const BIND_CONCURRENCY = 1024;

export type SkipReason = 'in_use' | 'privileged' | 'fd_limit' | 'unavailable' | 'failed';

export interface BindTally {
  bound: number;
  skipped: Record<SkipReason, number>;
  /** First error code seen for `failed`, for the summary line. */
  firstFailure?: string;
}

export function newTally(): BindTally {
  const skipped = { in_use: 0, privileged: 0, fd_limit: 0, unavailable: 0, failed: 0 };
  return { bound: 0, skipped };
}

/** The soft open-file limit of this process, from /proc (Node raises soft to hard at start). */
export function openFileLimit(): number {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n').find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isFinite(soft) && soft > 0 ? soft : 1024;
  } catch {
    // Not Linux or no /proc: assume the most common default.
    return 1024;
  }
}

function skipReason(code: string | undefined): SkipReason {
  if (code === 'EADDRINUSE') return 'in_use';
  if (code === 'EACCES' || code === 'EPERM') return 'privileged';
  if (code === 'EMFILE' || code === 'ENFILE') return 'fd_limit';
  if (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT') return 'unavailable';
  return 'failed';
}

export interface ListenTarget {
  host: string;
  port: number;
  /** Set on `::` when `0.0.0.0` is listened on separately. */
  ipv6Only: boolean;
}

function listenTcp(target: ListenTarget, onSocket: (s: Socket) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true }, onSocket);
    server.once('error', reject);
    server.listen({ host: target.host, port: target.port, ipv6Only: target.ipv6Only,
      backlog: 511 }, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function listenUdp(target: ListenTarget, onMessage: (s: UdpSocket, msg: Buffer,
  rinfo: { address: string; port: number }) => void): Promise<UdpSocket> {
  return new Promise((resolve, reject) => {
    const type = target.host.includes(':') ? 'udp6' : 'udp4';
    const socket = createSocket({ type, ipv6Only: target.ipv6Only, reuseAddr: false });
    socket.once('error', reject);
    socket.on('message', (msg, rinfo) => onMessage(socket, msg, rinfo));
    socket.bind({ address: target.host, port: target.port, exclusive: true }, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

/** Opens every target, BIND_CONCURRENCY at a time; failures are tallied, never thrown. */
export async function openAll<T>(targets: readonly ListenTarget[], tally: BindTally,
  open: (t: ListenTarget) => Promise<T>): Promise<T[]> {
  const opened: T[] = [];
  for (let i = 0; i < targets.length; i += BIND_CONCURRENCY) {
    const batch = targets.slice(i, i + BIND_CONCURRENCY).map(open);
    for (const result of await Promise.allSettled(batch)) {
      if (result.status === 'fulfilled') {
        opened.push(result.value);
        tally.bound++;
        continue;
      }
      const code = (result.reason as NodeJS.ErrnoException).code;
      const reason = skipReason(code);
      tally.skipped[reason]++;
      if (reason === 'failed') tally.firstFailure ??= code ?? 'unknown';
    }
  }
  return opened;
}

export { listenTcp, listenUdp };
