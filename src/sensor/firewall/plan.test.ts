import { describe, expect, it } from 'vitest';
import { assertSessionSafe, capturedSessionPort, type HostFacts, planFirewall } from './plan.js';

const FACTS: HostFacts = { sshdPorts: [2222], listeningPorts: [80, 5432], sessionPort: undefined };

describe('planning the redirect', () => {
  it('exempts the listener, sshd\'s ports and every port with a listener', () => {
    const plan = planFirewall({ listenPort: 6999 }, FACTS);
    expect(plan.exemptPorts).toEqual([80, 2222, 5432, 6999]);
    expect(plan.interfaces).toEqual([]);
    expect(plan.addresses).toEqual([]);
  });

  it('lets the operator\'s exemptions replace the sshd default', () => {
    const plan = planFirewall({ listenPort: 7000, exemptPorts: [22, 443] }, FACTS);
    expect(plan.exemptPorts).toEqual([22, 80, 443, 5432, 7000]);
  });

  it('accepts interface names and addresses or prefixes of both families', () => {
    const plan = planFirewall({ listenPort: 6999, interfaces: ['eth0'],
      addresses: ['192.0.2.1', '2001:db8::/32'] }, FACTS);
    expect(plan.interfaces).toEqual(['eth0']);
    expect(plan.addresses).toEqual(['192.0.2.1', '2001:db8::/32']);
  });

  it('rejects interface names and addresses that could break the nft text', () => {
    for (const bad of ['eth0"; flush ruleset', '', 'a-very-long-interface-name']) {
      expect(() => planFirewall({ listenPort: 6999, interfaces: [bad] }, FACTS))
        .toThrow(expect.objectContaining({ code: 'MITSU_CONFIG_INVALID' }));
    }
    for (const bad of ['192.0.2.1/33', 'example.com', '2001:db8::/129', '192.0.2.0/24/1']) {
      expect(() => planFirewall({ listenPort: 6999, addresses: [bad] }, FACTS))
        .toThrow(expect.objectContaining({ code: 'MITSU_CONFIG_INVALID' }));
    }
  });

  it('rejects a listener port outside 1-65535', () => {
    expect(() => planFirewall({ listenPort: 0 }, FACTS))
      .toThrow(expect.objectContaining({ code: 'MITSU_CONFIG_INVALID' }));
  });
});

describe('the SSH session check', () => {
  it('refuses rules that would redirect the port this SSH session came in on', () => {
    const facts = { ...FACTS, listeningPorts: [], sessionPort: 2200 };
    const plan = planFirewall({ listenPort: 6999 }, facts);
    expect(capturedSessionPort(plan, facts)).toBe(2200);
    expect(() => assertSessionSafe(plan, facts)).toThrow(expect.objectContaining({
      code: 'MITSU_FIREWALL_UNSAFE', hint: expect.stringContaining('--exempt 2200') }));
  });

  it('allows the rules when the session port is exempt or there is no session', () => {
    const facts = { ...FACTS, sessionPort: 2222 };
    expect(() => assertSessionSafe(planFirewall({ listenPort: 6999 }, facts), facts))
      .not.toThrow();
    expect(() => assertSessionSafe(planFirewall({ listenPort: 6999 }, FACTS), FACTS))
      .not.toThrow();
  });
});
