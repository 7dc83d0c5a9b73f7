import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshdConfig, readSshdPorts, sshSessionPort } from './sshd.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;

describe('SSH ports from sshd_config', () => {
  it('reads Port lines case-insensitively and ports on ListenAddress lines', () => {
    const found = parseSshdConfig('PORT 2222\n# Port 22\nListenAddress [::]:2200\n' +
      'ListenAddress 192.0.2.1:2201\nListenAddress 192.0.2.1\n');
    expect(found.ports).toEqual([2222, 2200, 2201]);
  });

  it('stops at the first Match block, where Port is not allowed', () => {
    expect(parseSshdConfig('Port 2222\nMatch User x\n  Port 2999\n').ports).toEqual([2222]);
  });

  it('ignores ports that are not numbers in 1-65535', () => {
    expect(parseSshdConfig('Port 0\nPort 70000\nPort ssh\nPort\n').ports).toEqual([]);
  });

  it('follows Include globs relative to the config folder', () => {
    expect(readSshdPorts(join(FIXTURES, 'sshd_config'))).toEqual([2022, 2200, 2222]);
  });

  it('falls back to port 22 when the config is missing or names no port', () => {
    expect(readSshdPorts('/nonexistent/sshd_config')).toEqual([22]);
  });
});

describe('the SSH session port', () => {
  it('is the fourth field of SSH_CONNECTION', () => {
    expect(sshSessionPort({ SSH_CONNECTION: '192.0.2.2 51234 192.0.2.1 2222' })).toBe(2222);
  });

  it('is undefined outside SSH or when the variable is malformed', () => {
    expect(sshSessionPort({})).toBeUndefined();
    expect(sshSessionPort({ SSH_CONNECTION: '192.0.2.2 51234' })).toBeUndefined();
    expect(sshSessionPort({ SSH_CONNECTION: 'a b c port' })).toBeUndefined();
  });
});
