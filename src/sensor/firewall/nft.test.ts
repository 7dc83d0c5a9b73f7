import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runNftScript, summariseNftError } from './nft.js';
import { applyScript } from './ruleset.js';

const NFT_CHECK_SKIP = process.getuid?.() !== 0 ? 'needs root to ask the kernel'
  : spawnSync('nft', ['--version']).error !== undefined ? 'nft is not installed' : undefined;

describe('running nft', () => {
  it('keeps nft\'s error lines and drops the echo of the rules', () => {
    const stderr = '/dev/stdin:3:41-41: Error: syntax error, unexpected \'}\'\n' +
      '    tcp dport != 6999 redirect to :6999 }\n                                        ^\n';
    expect(summariseNftError(stderr)).toBe('/dev/stdin:3:41-41: Error: syntax error, ' +
      'unexpected \'}\'');
  });

  it('replaces control bytes and bounds the summary', () => {
    expect(summariseNftError('Error: \u001b[31mbad\n')).toBe('Error: ?[31mbad');
    expect(summariseNftError(`Error: ${'x'.repeat(1000)}`)).toHaveLength(300);
    expect(summariseNftError('')).toBe('no message');
  });

  it('reports a missing nft command as MITSU_FIREWALL_FAILED naming the package', async () => {
    await expect(runNftScript('', ['/nonexistent/nft'])).rejects.toMatchObject({
      code: 'MITSU_FIREWALL_FAILED', hint: expect.stringContaining('nftables') });
  });

  it('turns a refusal into MITSU_FIREWALL_FAILED carrying nft\'s message', async () => {
    const fake = ['sh', '-c', 'cat >/dev/null; echo "Error: Operation not permitted" >&2; exit 1',
      'nft'] as const;
    await expect(runNftScript('add table inet mitsu\n', fake)).rejects.toMatchObject({
      code: 'MITSU_FIREWALL_FAILED',
      message: expect.stringContaining('Error: Operation not permitted') });
  });

  it.skipIf(NFT_CHECK_SKIP !== undefined)('builds rules the kernel accepts (nft -c, ' +
    `nothing applied)${NFT_CHECK_SKIP === undefined ? '' : `: skipped, ${NFT_CHECK_SKIP}`}`,
  async () => {
    const plan = { listenPort: 6999, exemptPorts: [22, 8000, 8001, 8002], interfaces: ['eth0'],
      addresses: ['192.0.2.1', '198.51.100.0/24', '2001:db8::1'] };
    await expect(runNftScript(applyScript(plan), ['nft', '-c'])).resolves.toBeUndefined();
  });
});
