import { describe, expect, it } from 'vitest';
import { applyScript, buildRuleset, portRanges, removeScript } from './ruleset.js';
import type { FirewallPlan } from './ruleset.js';

const PLAN: FirewallPlan = { listenPort: 6999, exemptPorts: [22, 6999], interfaces: [],
  addresses: [] };

describe('the nftables ruleset', () => {
  it('redirects every TCP port to the listener after returning early for exempt ports', () => {
    const text = buildRuleset(PLAN);
    expect(text).toContain('table inet mitsu {');
    expect(text).toContain('elements = { 22, 6999 }');
    expect(text).toContain('type nat hook prerouting priority dstnat; policy accept;');
    const rules = text.split('\n').map((l) => l.trim());
    const exempt = rules.indexOf('tcp dport @exempt_tcp return');
    const redirect = rules.indexOf('meta l4proto tcp redirect to :6999');
    expect(exempt).toBeGreaterThan(0);
    expect(redirect).toBeGreaterThan(exempt);
  });

  it('always exempts the listener port, even when the plan forgot it', () => {
    expect(buildRuleset({ ...PLAN, exemptPorts: [22] })).toContain('elements = { 22, 6999 }');
  });

  it('writes consecutive ports as ranges so the interval set has no overlaps', () => {
    expect(portRanges([8002, 22, 8000, 8001, 22, 443])).toEqual(['22', '443', '8000-8002']);
    expect(portRanges([])).toEqual([]);
  });

  it('limits the redirect to the given interfaces', () => {
    const text = buildRuleset({ ...PLAN, interfaces: ['eth0', 'ens3'] });
    expect(text).toContain('iifname != { "eth0", "ens3" } return');
  });

  it('limits the redirect per address family when addresses are given', () => {
    const v4 = buildRuleset({ ...PLAN, addresses: ['192.0.2.1', '198.51.100.0/24'] });
    expect(v4).toContain('ip daddr { 192.0.2.1, 198.51.100.0/24 } meta l4proto tcp redirect');
    expect(v4).not.toContain('ip6 daddr');
    expect(v4).not.toContain('\t\tmeta l4proto tcp redirect');
    const both = buildRuleset({ ...PLAN, addresses: ['192.0.2.1', '2001:db8::1'] });
    expect(both).toContain('ip6 daddr { 2001:db8::1 } meta l4proto tcp redirect to :6999');
  });

  it('replaces the table in one transaction that cannot fail on a missing table', () => {
    const script = applyScript(PLAN);
    expect(script.startsWith('add table inet mitsu\ndelete table inet mitsu\n')).toBe(true);
    expect(script).toContain(buildRuleset(PLAN));
    expect(removeScript()).toBe('add table inet mitsu\ndelete table inet mitsu\n');
  });
});
