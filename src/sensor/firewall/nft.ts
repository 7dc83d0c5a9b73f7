// Runs `nft` to load or delete Mitsu's table. Only Mitsu's own text reaches nft's standard
// input and only nft's own messages reach the error: never any attacker data.

import { spawn } from 'node:child_process';
import { MitsuError } from '../../lib/errors.js';
import { applyScript, type FirewallPlan, removeScript } from './ruleset.js';

export const NFT_TIMEOUT_MS = 10_000;
/** Enough for nft's error lines; more is cut off. */
export const MAX_NFT_OUTPUT_BYTES = 16 * 1024;
/** How much of nft's complaint goes into the error message. */
const MAX_SUMMARY_LINES = 3;

function failed(message: string, hint: string, cause?: unknown): MitsuError {
  return new MitsuError('MITSU_FIREWALL_FAILED', message, hint, { cause });
}

/** nft's first few error lines, without the echo of our own text under them. */
export function summariseNftError(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim())
    .filter((l) => /error/i.test(l)).slice(0, MAX_SUMMARY_LINES);
  const text = lines.length > 0 ? lines.join(' | ') : stderr.trim().split('\n')[0] ?? '';
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 300) || 'no message';
}

/** How to run nft: `['nft']`, or a prefix such as `['ip', 'netns', 'exec', NS, 'nft']`. */
export type NftCommand = readonly [string, ...string[]];

/** Feeds `script` to `nft -f -` and resolves when nft accepted it. */
export function runNftScript(script: string, nft: NftCommand = ['nft']): Promise<void> {
  const [command, ...prefix] = nft;
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...prefix, '-f', '-'], { stdio: ['pipe', 'ignore', 'pipe'],
      timeout: NFT_TIMEOUT_MS });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_NFT_OUTPUT_BYTES) stderr += chunk.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'ENOENT'
        ? failed('the nft command is not installed', 'apt-get install nftables', err)
        : failed(`nft could not be run (${err.code ?? 'error'})`, 'run as root', err));
    });
    child.on('close', (code, signal) => {
      if (code === 0) return resolve();
      const why = signal === null ? summariseNftError(stderr) : `stopped by ${signal}`;
      reject(failed(`nft refused the rules: ${why}`,
        'run as root on a kernel with nf_tables, and check `mitsu firewall print`'));
    });
    child.stdin.on('error', () => {
      // EPIPE when nft exits early: its exit code and stderr above already say why.
    });
    child.stdin.end(script);
  });
}

/** Creates or replaces Mitsu's table in one transaction. */
export function applyFirewall(plan: FirewallPlan, nft?: NftCommand): Promise<void> {
  return runNftScript(applyScript(plan), nft);
}

/** Deletes Mitsu's table; succeeds when it was not there. */
export function removeFirewall(nft?: NftCommand): Promise<void> {
  return runNftScript(removeScript(), nft);
}
