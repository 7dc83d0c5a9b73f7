// The telnet probe on IAC negotiation and on bots typing at once, and the BusyBox greeting.

import { describe, expect, it } from 'vitest';

import { PROBE_MIN } from '../identify.js';
import { PROBE_PARTIAL } from '../probe-helpers.js';
import { corpusBytes } from '../test-corpus.js';
import { PROBE_SURE } from '../types.js';
import { telnet } from './index.js';

const IAC = 0xff;

describe('telnet probe', () => {
  it('is sure of a client opening with IAC DO / WILL negotiation', () => {
    const negotiation = Buffer.from([IAC, 0xfd, 0x03, IAC, 0xfb, 0x18, IAC, 0xfb, 0x1f]);
    expect(telnet.probe(negotiation)).toBeGreaterThanOrEqual(PROBE_SURE);
  });

  it('waits after a lone IAC and refuses IAC followed by data bytes', () => {
    expect(telnet.probe(Buffer.from([IAC]))).toBe(PROBE_PARTIAL);
    expect(telnet.probe(Buffer.from([IAC, 0x41, 0x42]))).toBe(0);
  });

  it('takes a Mirai bot typing a user name, but not surely', () => {
    const score = telnet.probe(corpusBytes('telnet-mirai-login-gafgyt-dropper'));
    expect(score).toBeGreaterThanOrEqual(PROBE_MIN);
    expect(score).toBeLessThan(PROBE_SURE);
  });

  it('takes a user name ended by NUL before CR LF', () => {
    expect(telnet.probe(corpusBytes('adv-nul-bytes-telnet-and-path'))).toBeGreaterThanOrEqual(
      PROBE_MIN);
  });

  it('refuses a line with spaces, an empty line and an unfinished word', () => {
    expect(telnet.probe(Buffer.from('GET / HTTP/1.1\r\n'))).toBe(0);
    expect(telnet.probe(Buffer.from('\r\n'))).toBe(0);
    expect(telnet.probe(Buffer.from('root'))).toBe(0);
  });
});

describe('telnet greeting', () => {
  it('negotiates like BusyBox telnetd, then prompts for a login', () => {
    const greeting = telnet.greeting?.(23) ?? Buffer.alloc(0);
    expect([...greeting.subarray(0, 6)]).toEqual([IAC, 0xfd, 0x01, IAC, 0xfd, 0x1f]);
    expect(greeting.toString('latin1').endsWith(' login: ')).toBe(true);
  });
});
