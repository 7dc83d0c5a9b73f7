// Turns the operator's options and what this host runs into a FirewallPlan: which ports
// stay exempt and where the redirect applies. Refuses a plan that would capture the port
// of the SSH session the operator is using.

import { isIP } from 'node:net';
import { MitsuError } from '../../lib/errors.js';
import { readListeningPorts } from './proc-net.js';
import type { FirewallPlan } from './ruleset.js';
import { readSshdPorts, sshSessionPort } from './sshd.js';

/** Linux IFNAMSIZ is 16 with the NUL; names are limited to safe characters for nft text. */
const INTERFACE_NAME = /^[A-Za-z0-9_.:@-]{1,15}$/;

export interface FirewallOptions {
  listenPort: number;
  /** Ports the operator keeps out of the redirect; undefined means sshd's ports. */
  exemptPorts?: readonly number[] | undefined;
  interfaces?: readonly string[] | undefined;
  addresses?: readonly string[] | undefined;
}

/** What the plan depends on from this host; readHostFacts gathers it, tests make it up. */
export interface HostFacts {
  sshdPorts: readonly number[];
  listeningPorts: readonly number[];
  /** The server port of the SSH session running this command, if any. */
  sessionPort: number | undefined;
}

export function readHostFacts(): HostFacts {
  return {
    sshdPorts: readSshdPorts(),
    listeningPorts: readListeningPorts(),
    sessionPort: sshSessionPort(),
  };
}

function invalid(message: string, hint: string): MitsuError {
  return new MitsuError('MITSU_CONFIG_INVALID', message, hint);
}

function checkInterface(name: string): string {
  if (!INTERFACE_NAME.test(name)) {
    throw invalid(`interface name ${JSON.stringify(name)} is not valid`,
      'give names as `ip link` shows them, such as eth0');
  }
  return name;
}

/** An address or CIDR prefix, rewritten by nothing: nft reads it as given. */
function checkAddress(text: string): string {
  const [address = '', prefix, extra] = text.split('/');
  const family = isIP(address);
  const maxPrefix = family === 6 ? 128 : 32;
  const prefixOk =
    prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
  if (family === 0 || !prefixOk || extra !== undefined) {
    throw invalid(`address ${JSON.stringify(text)} is not an IP address or prefix`,
      'give addresses like 192.0.2.1, 2001:db8::1 or 192.0.2.0/24');
  }
  return text;
}

export function planFirewall(options: FirewallOptions, facts: HostFacts): FirewallPlan {
  const { listenPort } = options;
  if (!Number.isInteger(listenPort) || listenPort < 1 || listenPort > 65535) {
    throw invalid(`listen port ${listenPort} is outside 1-65535`, 'pick a free TCP port');
  }
  const chosen = options.exemptPorts ?? facts.sshdPorts;
  const exempt = new Set([listenPort, ...chosen, ...facts.listeningPorts]);
  return {
    listenPort,
    exemptPorts: [...exempt].sort((a, b) => a - b),
    interfaces: (options.interfaces ?? []).map(checkInterface),
    addresses: (options.addresses ?? []).map(checkAddress),
  };
}

/** The SSH session's port when the plan would redirect it, else undefined. */
export function capturedSessionPort(plan: FirewallPlan, facts: HostFacts): number | undefined {
  const port = facts.sessionPort;
  return port !== undefined && !plan.exemptPorts.includes(port) ? port : undefined;
}

/** Throws MITSU_FIREWALL_UNSAFE when applying the plan could lock the operator out. */
export function assertSessionSafe(plan: FirewallPlan, facts: HostFacts): void {
  const port = capturedSessionPort(plan, facts);
  if (port === undefined) return;
  throw new MitsuError('MITSU_FIREWALL_UNSAFE',
    `the rules would redirect TCP port ${port}, which this SSH session came in on`,
    `add it to the exemptions (--exempt ${port}, or redirect.exempt_ports in the config)`);
}
