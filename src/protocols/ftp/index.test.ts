// The ftp probe's low-confidence commands, and the vsftpd banner.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { PROBE_SURE } from '../types.js';
import { ftp } from './index.js';

describe('ftp probe', () => {
  it('takes USER, AUTH TLS and FEAT at low confidence, in either case', () => {
    for (const line of ['USER anonymous\r\n', 'auth tls\r\n', 'FEAT\r\n']) {
      const score = ftp.probe(Buffer.from(line));
      expect(score, line).toBeGreaterThanOrEqual(PROBE_MIN);
      expect(score, line).toBeLessThan(PROBE_SURE);
    }
  });

  it('refuses what SMTP and HTTP clients send', () => {
    expect(ftp.probe(Buffer.from('EHLO example.com\r\n'))).toBe(0);
    expect(ftp.probe(Buffer.from('GET / HTTP/1.0\r\n\r\n'))).toBe(0);
  });
});

describe('ftp greeting', () => {
  it('is the 220 banner of vsftpd 3.0.5', () => {
    expect(ftp.greeting?.(21).toString('latin1')).toBe('220 (vsFTPd 3.0.5)\r\n');
  });
});
