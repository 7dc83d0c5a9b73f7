// Builds the nftables text for redirect mode: Mitsu's own `inet mitsu` table whose nat
// prerouting chain sends every TCP port, save the exempt ones, to the one listener.
// Pure: no I/O, so `mitsu firewall print` and the tests see exactly what `apply` loads.

import { portRanges } from '../../lib/ports.js';

export const TABLE = 'inet mitsu';

export interface FirewallPlan {
  /** The sensor's redirect listener; always exempt, so it can be reached directly too. */
  listenPort: number;
  /** Sorted TCP ports that keep their own destination (includes listenPort). */
  exemptPorts: readonly number[];
  /** Only traffic arriving on these interfaces is redirected; empty means all. */
  interfaces: readonly string[];
  /** Only traffic to these addresses (or CIDR prefixes) is redirected; empty means all. */
  addresses: readonly string[];
}

// nft set elements must not overlap: portRanges gives exactly that ("22", "8000-8100").
export { portRanges };

function elements(items: readonly string[]): string {
  return `{ ${items.join(', ')} }`;
}

/** The redirect rules after the exemptions: one per address family that is limited. */
function redirectRules(plan: FirewallPlan): string[] {
  const to = `redirect to :${plan.listenPort}`;
  if (plan.addresses.length === 0) return [`meta l4proto tcp ${to}`];
  const v4 = plan.addresses.filter((a) => !a.includes(':'));
  const v6 = plan.addresses.filter((a) => a.includes(':'));
  const rules: string[] = [];
  if (v4.length > 0) rules.push(`ip daddr ${elements(v4)} meta l4proto tcp ${to}`);
  if (v6.length > 0) rules.push(`ip6 daddr ${elements(v6)} meta l4proto tcp ${to}`);
  return rules;
}

function chainRules(plan: FirewallPlan): string[] {
  const rules = ['tcp dport @exempt_tcp return'];
  if (plan.interfaces.length > 0) {
    rules.push(`iifname != ${elements(plan.interfaces.map((i) => `"${i}"`))} return`);
  }
  return [...rules, ...redirectRules(plan)];
}

/** The table definition, as `nft list table inet mitsu` would show it. */
export function buildRuleset(plan: FirewallPlan): string {
  const exempt = portRanges([...plan.exemptPorts, plan.listenPort]);
  return [
    '# Written by `mitsu firewall`: redirect mode sends TCP connections to one listener.',
    '# Undo with `mitsu firewall remove` (or `nft delete table inet mitsu`).',
    `table ${TABLE} {`,
    '\tset exempt_tcp {',
    '\t\ttype inet_service',
    '\t\tflags interval',
    `\t\telements = ${elements(exempt)}`,
    '\t}',
    '',
    '\tchain prerouting {',
    '\t\ttype nat hook prerouting priority dstnat; policy accept;',
    ...chainRules(plan).map((rule) => `\t\t${rule}`),
    '\t}',
    '}',
    '',
  ].join('\n');
}

/**
 * One nft transaction that creates or replaces the table: `add` makes sure it exists so
 * `delete` cannot fail, then the new definition loads. nft applies a file atomically, so
 * the old rules stay if any line is rejected.
 */
export function applyScript(plan: FirewallPlan): string {
  return `add table ${TABLE}\ndelete table ${TABLE}\n${buildRuleset(plan)}`;
}

/** Removes the table whether or not it exists, again as one transaction. */
export function removeScript(): string {
  return `add table ${TABLE}\ndelete table ${TABLE}\n`;
}
