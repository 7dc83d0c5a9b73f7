import { describe, expect, it } from 'vitest';
import { Admission } from './admission.js';

describe('admission', () => {
  it('refuses past the overall limit until a slot is released', () => {
    const admission = new Admission(2, 10);
    expect(admission.enter()).toBe(true);
    expect(admission.enter()).toBe(true);
    expect(admission.enter()).toBe(false);
    admission.leave();
    expect(admission.enter()).toBe(true);
  });

  it('counts each source on its own and forgets sources that left', () => {
    const admission = new Admission(100, 1);
    expect(admission.enterSource('192.0.2.1')).toBe(true);
    expect(admission.enterSource('192.0.2.1')).toBe(false);
    expect(admission.enterSource('2001:db8::1')).toBe(true);
    admission.leaveSource('192.0.2.1');
    expect(admission.enterSource('192.0.2.1')).toBe(true);
  });

  it('can only lower the overall limit', () => {
    const admission = new Admission(5, 5);
    admission.cap(3);
    admission.cap(10);
    expect(admission.maxTotal).toBe(3);
  });
});
