import { Writable } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../lib/log.js';
import type { CliContext } from '../command.js';
import { registerFirewall } from './firewall.js';

/** Runs `mitsu firewall ...` in process and returns what it wrote to stdout. */
async function firewall(...args: string[]): Promise<string> {
  let out = '';
  const stdout = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  const ctx: CliContext = { log: silentLogger(), stdout };
  const program = new Command('mitsu').exitOverride()
    .configureOutput({ writeErr: () => {}, writeOut: () => {} });
  registerFirewall(program, () => ctx);
  await program.parseAsync(['node', 'mitsu', 'firewall', ...args]);
  return out;
}

/**
 * The ports the printed `exempt_tcp` set covers. The set also holds whatever this host has
 * listening when the test runs, so ranges may merge with the flags' ports.
 */
function exemptPorts(text: string): Set<number> {
  const elements = /elements = \{([^}]*)\}/.exec(text)?.[1] ?? '';
  return new Set(elements.split(',').flatMap((item) => {
    const [low, high] = item.trim().split('-').map(Number) as [number, number | undefined];
    return Array.from({ length: (high ?? low) - low + 1 }, (_, i) => low + i);
  }));
}

/** Each run reads /proc/net/tcp, which takes seconds on a busy host with 100,000 sockets. */
const HOST_READ_TIMEOUT_MS = 30_000;

describe('mitsu firewall', { timeout: HOST_READ_TIMEOUT_MS }, () => {
  it('prints the table apply would load, with the listener and sshd\'s port exempt', async () => {
    const text = await firewall('print');
    expect(text).toContain('table inet mitsu {');
    expect(text).toContain('meta l4proto tcp redirect to :6999');
    expect(text).toMatch(/elements = \{[^}]*\b6999\b/);
  });

  it('takes the listener port, exemptions, interfaces and addresses from flags', async () => {
    const text = await firewall('print', '--listen-port', '7000', '--exempt', '2222,8000-8002',
      '--interface', 'eth0', '--address', '192.0.2.1,2001:db8::/32');
    const exempt = exemptPorts(text);
    for (const port of [2222, 7000, 8000, 8001, 8002]) expect(exempt.has(port)).toBe(true);
    expect(text).toContain('iifname != { "eth0" } return');
    expect(text).toContain('ip daddr { 192.0.2.1 } meta l4proto tcp redirect to :7000');
    expect(text).toContain('ip6 daddr { 2001:db8::/32 } meta l4proto tcp redirect to :7000');
  });

  it('rejects a listener port that is not a port as a configuration error', async () => {
    await expect(firewall('print', '--listen-port', 'http')).rejects
      .toMatchObject({ code: 'MITSU_CONFIG_INVALID' });
    await expect(firewall('print', '--exempt', '22,x')).rejects
      .toMatchObject({ code: 'MITSU_CONFIG_INVALID' });
  });

  it('refuses an action it does not know', async () => {
    await expect(firewall('flush')).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });
});
