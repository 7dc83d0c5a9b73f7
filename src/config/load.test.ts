import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMitsuError } from '../lib/errors.js';
import { parsePortsFlag } from './flags.js';
import { loadConfig, resolvePorts } from './load.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'mitsu-config-')), 'mitsu.yaml');
  writeFileSync(path, text);
  return path;
}

function errorLine(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isMitsuError(err)) return err.toLine();
    throw err;
  }
  throw new Error('expected a MitsuError');
}

describe('configuration', () => {
  it('fills every default when no file is given', () => {
    const config = loadConfig(undefined);
    expect(config.mode).toBe('bind');
    expect(config.connection.max_payload_bytes).toBe(65536);
    expect(config.store.batch_max_events).toBe(1000);
    expect(resolvePorts(config.ports).tcp).toContain(8545);
  });

  it('reads port lists, ranges and profile names from YAML', () => {
    const path = configFile('ports:\n  tcp: [22, 80, "1000-1002"]\n  udp: [53]\n');
    const ports = resolvePorts(loadConfig(path).ports);
    expect(ports).toEqual({ tcp: [22, 80, 1000, 1001, 1002], udp: [53] });
  });

  it('names an unknown key and says how to fix it', () => {
    const path = configFile('connection:\n  idle_timout_ms: 5\n');
    const line = errorLine(() => loadConfig(path));
    expect(line).toContain('connection.idle_timout_ms');
    expect(line).toContain('MITSU_CONFIG_INVALID');
    expect(line.split('\n')).toHaveLength(1);
  });

  it('names a bad port range with its position', () => {
    const path = configFile('ports:\n  tcp: [22, "1000-99999"]\n');
    expect(errorLine(() => loadConfig(path))).toMatch(/ports\.tcp\[1\].*"1000-99999"/);
  });

  it('lets flags override the file', () => {
    const path = configFile('store:\n  path: /tmp/a.db\n');
    const config = loadConfig(path, { store: { path: '/tmp/b.db' }, mode: 'redirect' });
    expect(config.store.path).toBe('/tmp/b.db');
    expect(config.store.batch_max_ms).toBe(100);
    expect(config.mode).toBe('redirect');
  });

  it('parses the --ports flag as a profile or a list', () => {
    expect(parsePortsFlag('all')).toBe('all');
    expect(parsePortsFlag('tcp:22,tcp:8000-8100,udp:53')).toEqual({
      tcp: ['22', '8000-8100'],
      udp: ['53'],
    });
  });
});
