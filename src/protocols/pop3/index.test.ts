// The pop3 probe beside FTP's shared USER command, and the Dovecot banner.

import { describe, expect, it } from 'vitest';

import { identify, PROBE_MIN } from '../identify.js';
import { pop3 } from './index.js';

describe('pop3 probe', () => {
  it('takes CAPA, STLS and APOP', () => {
    const apop = 'APOP mrose c4c9334bac560ecc979e58001b3e22fb\r\n';
    for (const line of ['CAPA\r\n', 'STLS\r\n', apop]) {
      expect(pop3.probe(Buffer.from(line)), line).toBeGreaterThanOrEqual(PROBE_MIN);
    }
  });

  it('leaves USER to FTP, which scores it higher', () => {
    const user = Buffer.from('USER root\r\n');
    expect(identify(user, 'tcp').protocol?.name).toBe('ftp');
  });
});

describe('pop3 greeting', () => {
  it('is the +OK line of Dovecot on Ubuntu', () => {
    expect(pop3.greeting?.(110).toString('latin1')).toBe('+OK Dovecot (Ubuntu) ready.\r\n');
  });
});
