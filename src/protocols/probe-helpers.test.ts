// The shared probe helpers: prefix scores that know a partial match, case folding, bounded
// first lines.

import { describe, expect, it } from 'vitest';

import {
  ascii, firstLine, prefixScore, prefixTable, PROBE_PARTIAL, tableScore,
} from './probe-helpers.js';

describe('prefixScore', () => {
  const prefixes = [ascii('SSH-')];

  it('gives the full score to a complete prefix and waits on a shorter start of one', () => {
    expect(prefixScore(ascii('SSH-2.0-x'), prefixes, 0.9)).toBe(0.9);
    expect(prefixScore(ascii('SS'), prefixes, 0.9)).toBe(PROBE_PARTIAL);
  });

  it('gives nothing to an empty buffer or a mismatch, and folds case only when asked', () => {
    expect(prefixScore(Buffer.alloc(0), prefixes, 0.9)).toBe(0);
    expect(prefixScore(ascii('SSX'), prefixes, 0.9)).toBe(0);
    expect(prefixScore(ascii('ssh-'), prefixes, 0.9)).toBe(0);
    expect(prefixScore(ascii('ssh-'), prefixes, 0.9, true)).toBe(0.9);
  });
});

describe('tableScore', () => {
  it('takes the best row, with case folded', () => {
    const table = prefixTable({ 'USER ': 0.6, 'EHLO ': 0.95 });
    expect(tableScore(ascii('ehlo x'), table)).toBe(0.95);
    expect(tableScore(ascii('us'), table)).toBe(PROBE_PARTIAL);
    expect(tableScore(ascii('QUIT'), table)).toBe(0);
  });
});

describe('firstLine', () => {
  it('returns the line without CR LF or LF, or null while it is unfinished', () => {
    expect(firstLine(ascii('GET / HTTP/1.1\r\nHost: x\r\n'))).toBe('GET / HTTP/1.1');
    expect(firstLine(ascii('PING\n'))).toBe('PING');
    expect(firstLine(ascii('GET / HT'))).toBeNull();
  });

  it('stops looking after the byte limit', () => {
    expect(firstLine(ascii(`${'a'.repeat(20)}\n`), 10)).toBeNull();
  });
});
