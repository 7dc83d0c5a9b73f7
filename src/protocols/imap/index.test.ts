// The imap probe on tagged commands and its look-alikes, and the Dovecot banner.

import { describe, expect, it } from 'vitest';

import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { imap } from './index.js';

describe('imap probe', () => {
  it('is sure of a tagged CAPABILITY or LOGIN', () => {
    expect(imap.probe(Buffer.from('a001 CAPABILITY\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
    expect(imap.probe(Buffer.from('1 login root toor\r\n'))).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('refuses SMTP AUTH LOGIN and an HTTP line whose target is "login.cgi"', () => {
    expect(imap.probe(Buffer.from('AUTH LOGIN\r\n'))).toBe(0);
    expect(imap.probe(corpusBytes('seed-81-goahead-login-cgi'))).toBe(0);
  });
});

describe('imap greeting', () => {
  it('is an untagged OK with capabilities, as Dovecot sends', () => {
    const banner = imap.greeting?.(143).toString('latin1') ?? '';
    expect(banner).toMatch(/^\* OK \[CAPABILITY IMAP4rev1 [^\]]+\] Dovecot \(Ubuntu\) ready\.\r\n$/);
  });
});
