// Redirect mode's firewall: plan the exemptions, build the nftables text, load or remove it.
// The CLI (`mitsu firewall`) and the sensor import from here only.

export { applyFirewall, removeFirewall, type NftCommand } from './nft.js';
export {
  assertSessionSafe, capturedSessionPort, planFirewall, readHostFacts,
  type FirewallOptions, type HostFacts,
} from './plan.js';
export { buildRuleset, TABLE, type FirewallPlan } from './ruleset.js';
