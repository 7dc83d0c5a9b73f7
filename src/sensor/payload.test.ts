import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PayloadBuffer } from './payload.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('payload buffer', () => {
  it('keeps every byte below the cap and reports no full hash', () => {
    const payload = new PayloadBuffer(10);
    payload.add(Buffer.from('abc'));
    payload.add(Buffer.from('defg'));
    expect(payload.bytes().toString()).toBe('abcdefg');
    expect(payload.total).toBe(7);
    expect(payload.truncated).toBe(false);
    expect(payload.fullSha256()).toBeNull();
  });

  it('cuts at the cap, counts the rest and hashes everything received', () => {
    const payload = new PayloadBuffer(5);
    const parts = ['abc', 'defg', 'hij'].map((s) => Buffer.from(s));
    for (const part of parts) payload.add(part);
    expect(payload.bytes().toString()).toBe('abcde');
    expect(payload.total).toBe(10);
    expect(payload.truncated).toBe(true);
    expect(payload.fullSha256()).toBe(sha256(Buffer.concat(parts)));
  });

  it('keeps nothing with a zero cap but still counts', () => {
    const payload = new PayloadBuffer(0);
    payload.add(Buffer.from('xyz'));
    expect(payload.bytes()).toHaveLength(0);
    expect(payload.total).toBe(3);
  });
});
