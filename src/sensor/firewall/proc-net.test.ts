import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMitsuError } from '../../lib/errors.js';
import { parseListeningPorts, readListeningPorts } from './proc-net.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

describe('listening ports from /proc/net/tcp', () => {
  it('keeps only sockets in LISTEN state, once each, sorted', () => {
    const text = 'header\n   0: 00000000:1B58 00000000:0000 0A 0\n' +
      '   1: 00000000:0016 00000000:0000 0A 0\n   2: 010200C0:0050 020200C0:D431 01 0\n' +
      '   3: 00000000:1B58 00000000:0000 0A 0\n';
    expect(parseListeningPorts(text)).toEqual([22, 7000]);
  });

  it('reads listeners bound to any address, loopback included, and skips other states', () => {
    expect(readListeningPorts(join(FIXTURES, 'proc-net-tcp.txt'), '/nonexistent'))
      .toEqual([22, 5432, 7000]);
  });

  it('merges the IPv6 table, whose addresses are 32 hex digits', () => {
    expect(readListeningPorts(join(FIXTURES, 'proc-net-tcp.txt'),
      join(FIXTURES, 'proc-net-tcp6.txt'))).toEqual([22, 3306, 5432, 7000, 8080]);
  });

  it('ignores the header, blank lines and lines it cannot read', () => {
    expect(parseListeningPorts('')).toEqual([]);
    expect(parseListeningPorts('  sl  local_address\n\n garbage 0A\n 0: nocolon x 0A\n'))
      .toEqual([]);
  });

  it('fails with MITSU_FIREWALL_FAILED when the IPv4 table is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mitsu-proc-'));
    writeFileSync(join(dir, 'tcp6'), 'header\n');
    expect(() => readListeningPorts(join(dir, 'tcp'), join(dir, 'tcp6')))
      .toThrow(expect.objectContaining({ code: 'MITSU_FIREWALL_FAILED' }));
  });

  it('reads this machine\'s own tables when they exist', { timeout: 30_000 }, () => {
    try {
      expect(Array.isArray(readListeningPorts())).toBe(true);
    } catch (err) {
      expect(isMitsuError(err, 'MITSU_FIREWALL_FAILED')).toBe(true);
    }
  });
});
