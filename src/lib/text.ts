// Attacker text made safe to store: control characters (NUL included) become \xNN escapes,
// never dropped or cut at, and long text is clipped to a named limit.

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** Escapes C0 controls and DEL as `\xNN`; every other character is kept as typed. */
export function escapeControls(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    out += isControl(code) ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}

/** Escaped, then clipped to `max` characters. */
export function storable(text: string, max: number): string {
  const escaped = escapeControls(text);
  return escaped.length > max ? escaped.slice(0, max) : escaped;
}

/** Bytes outside printable ASCII become \xNN: NULs and the rest are kept, never cut at. */
export function escapeBytes(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) {
    out += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte)
      : `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}
