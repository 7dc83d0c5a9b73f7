// `mitsu firewall print|apply|remove`: the nftables rules that feed redirect mode's one
// listener. Print shows the exact text apply loads; remove deletes Mitsu's table only.

import { Argument, type Command } from 'commander';
import { loadConfig, resolvePorts, type ConfigOverrides } from '../../config/load.js';
import { describePorts } from '../../lib/ports.js';
import {
  applyFirewall, assertSessionSafe, buildRuleset, capturedSessionPort, type FirewallPlan,
  type HostFacts, planFirewall, readHostFacts, removeFirewall,
} from '../../sensor/firewall/index.js';
import type { CliContext, RegisterCommand } from '../command.js';

interface FirewallFlags {
  config?: string;
  listenPort?: string;
  exempt?: string;
  interface?: string;
  address?: string;
}

const list = (text: string | undefined): string[] | undefined =>
  text?.split(',').map((item) => item.trim()).filter((item) => item !== '');

function overrides(flags: FirewallFlags): ConfigOverrides {
  const redirect: Record<string, unknown> = {};
  if (flags.listenPort !== undefined) {
    redirect['listen_port'] = /^\d{1,5}$/.test(flags.listenPort) ? Number(flags.listenPort)
      : flags.listenPort;
  }
  if (flags.exempt !== undefined) redirect['exempt_ports'] = list(flags.exempt);
  return Object.keys(redirect).length === 0 ? {} : { redirect };
}

/** The plan from config and flags plus what this host runs (sshd, current listeners). */
function plan(flags: FirewallFlags): { plan: FirewallPlan; facts: HostFacts } {
  const { redirect } = loadConfig(flags.config, overrides(flags));
  const exempt = redirect.exempt_ports;
  const facts = readHostFacts();
  return {
    plan: planFirewall({
      listenPort: redirect.listen_port,
      exemptPorts: exempt === null ? undefined : resolvePorts({ tcp: exempt, udp: [] }).tcp,
      interfaces: list(flags.interface),
      addresses: list(flags.address),
    }, facts),
    facts,
  };
}

async function print(flags: FirewallFlags, ctx: CliContext): Promise<void> {
  const { plan: p, facts } = plan(flags);
  const port = capturedSessionPort(p, facts);
  if (port !== undefined) {
    ctx.log.warn({ port }, 'these rules would redirect this SSH session\'s port; apply refuses');
  }
  ctx.stdout.write(buildRuleset(p));
}

async function apply(flags: FirewallFlags, ctx: CliContext): Promise<void> {
  const { plan: p, facts } = plan(flags);
  assertSessionSafe(p, facts);
  await applyFirewall(p);
  ctx.log.info({ port: p.listenPort, exempt: describePorts(p.exemptPorts),
    interfaces: p.interfaces, addresses: p.addresses }, 'firewall redirect applied');
}

async function remove(_flags: FirewallFlags, ctx: CliContext): Promise<void> {
  await removeFirewall();
  ctx.log.info('firewall redirect removed');
}

const ACTIONS = { print, apply, remove } as const;
type Action = keyof typeof ACTIONS;

export const registerFirewall: RegisterCommand = (program: Command, ctx) => {
  program.command('firewall')
    .description('print, apply or remove the nftables rules that send every TCP port to ' +
      'the redirect listener (see docs/redirect.md)')
    .addArgument(new Argument('<action>', 'what to do').choices(Object.keys(ACTIONS)))
    .option('-c, --config <file>', 'YAML config file (its redirect section is used)')
    .option('--listen-port <port>', 'the sensor\'s redirect listener (default 6999)')
    .option('--exempt <ports>', 'ports never redirected, e.g. 22,2222,8000-8100 or none ' +
      '(default: sshd\'s ports); ports in use by other programs are always exempt')
    .option('--interface <names>', 'redirect only traffic arriving on these, comma-separated')
    .option('--address <addrs>', 'redirect only traffic to these addresses or prefixes')
    .action((action: Action, flags: FirewallFlags) => ACTIONS[action](flags, ctx()));
};
