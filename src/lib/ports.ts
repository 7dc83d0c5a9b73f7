// Port list parsing: numbers, "a-b" ranges, and the CLI's "tcp:RANGE,udp:RANGE" form.
// Errors carry the offending item so the caller can name it to the operator.

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export class PortSpecError extends Error {
  readonly item: string;

  constructor(item: string, reason: string) {
    super(`${JSON.stringify(item)} ${reason}`);
    this.item = item;
  }
}

function parsePort(text: string, item: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new PortSpecError(item, 'is not a port number');
  const port = Number(text);
  if (port < MIN_PORT || port > MAX_PORT) {
    throw new PortSpecError(item, `is outside ${MIN_PORT}-${MAX_PORT}`);
  }
  return port;
}

/** Expands one item (`22`, `"8000-8100"`) into the ports it names. */
export function expandPortItem(item: number | string): number[] {
  const text = String(item).trim();
  const dash = text.indexOf('-');
  if (dash === -1) return [parsePort(text, text)];
  const low = parsePort(text.slice(0, dash), text);
  const high = parsePort(text.slice(dash + 1), text);
  if (low > high) throw new PortSpecError(text, 'is a range whose start is above its end');
  const ports: number[] = [];
  for (let p = low; p <= high; p++) ports.push(p);
  return ports;
}

/** Sorted, de-duplicated ports named by a list of items. */
export function expandPortList(items: readonly (number | string)[]): number[] {
  const set = new Set<number>();
  for (const item of items) for (const p of expandPortItem(item)) set.add(p);
  return [...set].sort((a, b) => a - b);
}

/** Compresses ports into sorted, non-overlapping "a-b" ranges: ["22", "80-90", "443"]. */
export function portRanges(ports: readonly number[]): string[] {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < sorted.length) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts;
}

/** Ports for display: 22,80-90,443. */
export function describePorts(ports: readonly number[]): string {
  return portRanges(ports).join(',');
}
