// Time helpers: events carry ISO 8601 UTC timestamps with milliseconds.

export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}
