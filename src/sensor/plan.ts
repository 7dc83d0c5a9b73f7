// Deciding what to listen on: which addresses (dual-stack when IPv6 is there), which ports
// fit under the open-file limit (the most scanned first), and how many connections remain.

import { createServer } from 'node:net';
import type { Config } from '../config/schema.js';
import { PROFILES, type PortSet } from '../config/profiles.js';
import { openFileLimit, RESERVED_FDS, type ListenTarget } from './listeners.js';

/** File descriptors kept for connections (at most a quarter of the limit) in bind mode. */
export const MIN_CONNECTION_FDS = 512;

export interface ListenPlan {
  addresses: string[];
  tcp: ListenTarget[];
  udp: ListenTarget[];
  /** Ports (times addresses) left out because the open-file limit is too low. */
  droppedTcp: number;
  droppedUdp: number;
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

/** Orders ports so the most scanned (the default profile) come first. */
function byValue(ports: readonly number[], valued: ReadonlySet<number>): number[] {
  return [...ports.filter((p) => valued.has(p)), ...ports.filter((p) => !valued.has(p))];
}

function targets(ports: number[], hosts: string[]): ListenTarget[] {
  const both = hosts.includes('0.0.0.0');
  return ports.flatMap((port) =>
    hosts.map((host) => ({ host, port, ipv6Only: both && host === '::' })));
}

export async function planListeners(config: Config, ports: PortSet): Promise<ListenPlan> {
  const hosts = await addresses(config);
  const defaults = PROFILES.default();
  const tcpPorts = config.mode === 'redirect' ? [config.redirect.listen_port]
    : byValue(ports.tcp, new Set(defaults.tcp));
  const tcpAll = targets(tcpPorts, hosts);
  const udpAll = targets(byValue(ports.udp, new Set(defaults.udp)), hosts);
  const fdLimit = openFileLimit();
  // Redirect mode catches every TCP port with one listener: its connections, not UDP
  // listeners, should get most descriptors.
  const connectionFloor = config.mode === 'redirect' ? Math.floor(fdLimit / 2)
    : Math.min(MIN_CONNECTION_FDS, Math.floor(fdLimit / 4));
  const connectionFds = Math.min(config.connection.max_connections, connectionFloor);
  const budget = Math.max(0, fdLimit - RESERVED_FDS - connectionFds);
  const tcp = tcpAll.slice(0, budget);
  const udp = udpAll.slice(0, Math.max(0, budget - tcp.length));
  const used = tcp.length + udp.length;
  return {
    addresses: hosts, tcp, udp,
    droppedTcp: tcpAll.length - tcp.length,
    droppedUdp: udpAll.length - udp.length,
    fdsWanted: tcpAll.length + udpAll.length + RESERVED_FDS + connectionFds,
    fdLimit,
    maxConnections: Math.max(1, Math.min(config.connection.max_connections,
      fdLimit - RESERVED_FDS - used)),
  };
}
