// Attacker text made safe to store: control characters (NUL included) become \xNN escapes,
// never dropped or cut at, and long text is clipped to a named limit.

// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const CONTROL = /[\x00-\x1f\x7f]/g;

/** Escapes C0 controls and DEL as `\xNN`; every other character is kept as typed. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Escaped, then clipped to `max` characters. */
export function storable(text: string, max: number): string {
  const escaped = escapeControls(text);
  return escaped.length > max ? escaped.slice(0, max) : escaped;
}
