// Deciding what to listen on: which addresses (dual-stack when IPv6 is there), which ports
// fit under the open-file limit (the most scanned first), and how many connections remain.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Config } from '../config/schema.js';
import { PROFILES, type PortSet } from '../config/profiles.js';
import { openFileLimit, RESERVED_FDS, type ListenTarget } from './listeners.js';

/** Linux's classic privileged range: ports below this need root or CAP_NET_BIND_SERVICE. */
const PRIVILEGED_BELOW = 1024;
/** Bit of CAP_NET_BIND_SERVICE in the capability masks (linux/capability.h). */
const CAP_NET_BIND_SERVICE = 10n;

/** File descriptors kept for connections (at most a quarter of the limit) in bind mode. */
export const MIN_CONNECTION_FDS = 512;

export interface ListenPlan {
  addresses: string[];
  tcp: ListenTarget[];
  udp: ListenTarget[];
  /** Ports (times addresses) left out because the open-file limit is too low. */
  droppedTcp: number;
  droppedUdp: number;
  /** Ports below the lowest this process may bind (no root, no CAP_NET_BIND_SERVICE). */
  privilegedTcp: number;
  privilegedUdp: number;
  /** Listeners that would fit everything: the number to raise the limit to. */
  fdsWanted: number;
  fdLimit: number;
  maxConnections: number;
}

/** True when this host can open an IPv6 socket (it may have IPv6 switched off). */
export function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host: '::', port: 0 }, () => probe.close(() => resolve(true)));
  });
}

async function addresses(config: Config): Promise<string[]> {
  if (!config.listen.includes('::') || await ipv6Available()) return config.listen;
  const rest = config.listen.filter((a) => a !== '::');
  return rest.includes('0.0.0.0') ? rest : [...rest, '0.0.0.0'];
}

interface Want {
  transport: 'tcp' | 'udp';
  target: ListenTarget;
}

function targets(transport: Want['transport'], ports: readonly number[], hosts: string[]): Want[] {
  const both = hosts.includes('0.0.0.0');
  return ports.flatMap((port) => hosts.map((host) =>
    ({ transport, target: { host, port, ipv6Only: both && host === '::' } })));
}

/**
 * Orders what to bind when not everything fits: the most scanned TCP ports, then the most
 * scanned UDP ports, then the rest of TCP, then the rest of UDP.
 */
function byValue(tcp: Want[], udp: Want[]): Want[] {
  const defaults = PROFILES.default();
  const valued = { tcp: new Set(defaults.tcp), udp: new Set(defaults.udp) };
  const isValued = (w: Want) => valued[w.transport].has(w.target.port);
  return [...tcp.filter(isValued), ...udp.filter(isValued),
    ...tcp.filter((w) => !isValued(w)), ...udp.filter((w) => !isValued(w))];
}

/** The lowest port this process may bind: 1 as root or with CAP_NET_BIND_SERVICE. */
export function lowestBindablePort(): number {
  if (process.getuid?.() === 0) return 1;
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const capEff = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1] ?? '0';
    if ((BigInt(`0x${capEff}`) >> CAP_NET_BIND_SERVICE) & 1n) return 1;
    const start = readFileSync('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8');
    return Number(start.trim()) || PRIVILEGED_BELOW;
  } catch {
    // No /proc: assume the classic rule, and let bind() have the last word.
    return PRIVILEGED_BELOW;
  }
}

export async function planListeners(config: Config, ports: PortSet): Promise<ListenPlan> {
  const hosts = await addresses(config);
  const tcpPorts = config.mode === 'redirect' ? [config.redirect.listen_port] : ports.tcp;
  const lowest = lowestBindablePort();
  const wanted = byValue(targets('tcp', tcpPorts, hosts), targets('udp', ports.udp, hosts));
  const bindable = wanted.filter((w) => w.target.port >= lowest);
  const privileged = wanted.filter((w) => w.target.port < lowest);
  const fdLimit = openFileLimit();
  // Redirect mode catches every TCP port with one listener: its connections, not UDP
  // listeners, should get most descriptors.
  const connectionFloor = config.mode === 'redirect' ? Math.floor(fdLimit / 2)
    : Math.min(MIN_CONNECTION_FDS, Math.floor(fdLimit / 4));
  const connectionFds = Math.min(config.connection.max_connections, connectionFloor);
  const budget = Math.max(0, fdLimit - RESERVED_FDS - connectionFds);
  const chosen = bindable.slice(0, budget);
  const dropped = bindable.slice(budget);
  const of = (list: Want[], t: Want['transport']) => list.filter((w) => w.transport === t);
  const used = chosen.length;
  return {
    addresses: hosts,
    tcp: of(chosen, 'tcp').map((w) => w.target),
    udp: of(chosen, 'udp').map((w) => w.target),
    droppedTcp: of(dropped, 'tcp').length,
    droppedUdp: of(dropped, 'udp').length,
    privilegedTcp: of(privileged, 'tcp').length,
    privilegedUdp: of(privileged, 'udp').length,
    fdsWanted: bindable.length + RESERVED_FDS + connectionFds,
    fdLimit,
    maxConnections: Math.max(1, Math.min(config.connection.max_connections,
      fdLimit - RESERVED_FDS - used)),
  };
}
