import { describe, expect, it } from 'vitest';
import { escapeBytes, escapeControls, storable } from './text.js';

describe('storable attacker text', () => {
  it('escapes NUL and other controls instead of cutting at them', () => {
    expect(escapeControls('root\u0000\u001b[31m')).toBe('root\\x00\\x1b[31m');
    expect(escapeBytes(Buffer.from([0x61, 0x00, 0xff, 0x62]))).toBe('a\\x00\\xffb');
  });

  it('keeps printable unicode and clips after escaping', () => {
    expect(escapeControls('パスワード')).toBe('パスワード');
    expect(storable('\u0000abc', 6)).toBe('\\x00ab');
  });
});
