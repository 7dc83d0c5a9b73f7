// The ssh probe on scanners' identification lines, and the OpenSSH banner it greets with.

import { describe, expect, it } from 'vitest';

import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { ssh } from './index.js';

describe('ssh probe', () => {
  it('is sure of the identification lines scanners send', () => {
    expect(ssh.probe(corpusBytes('seed-22-ssh-libssh2-banner'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(ssh.probe(corpusBytes('ssh-client-banner-go'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits for more bytes on a bare "SS"', () => {
    expect(ssh.probe(Buffer.from('SS'))).toBe(PROBE_PARTIAL);
  });

  it('refuses lowercase and other protocols', () => {
    expect(ssh.probe(Buffer.from('ssh-2.0-x\r\n'))).toBe(0);
    expect(ssh.probe(corpusBytes('seed-8080-http-get-root'))).toBe(0);
  });
});

describe('ssh greeting', () => {
  it('announces OpenSSH 8.9p1 of Ubuntu 22.04 in one CRLF line of at most 255 bytes', () => {
    const banner = ssh.greeting?.(22) ?? Buffer.alloc(0);
    expect(banner.toString('latin1')).toBe('SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10\r\n');
    expect(banner.length).toBeLessThanOrEqual(255);
  });
});
