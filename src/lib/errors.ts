// Mitsu's error type: a stable code that callers test, and a hint that tells the
// operator how to fix it. Codes are never reused for another meaning.

export const ERROR_CODES = {
  MITSU_CONFIG_INVALID: 'a configuration file or flag is invalid',
  MITSU_CONFIG_UNREADABLE: 'the configuration file cannot be read',
  MITSU_STORE_UNAVAILABLE: 'the event store cannot be opened or written',
  MITSU_STORE_CORRUPT: 'the store file is not a readable SQLite database',
  MITSU_STORE_FOREIGN: 'the store file is a database that Mitsu did not create',
  MITSU_STORE_TOO_NEW: 'the store was written by a newer Mitsu',
  MITSU_NATIVE_MISSING: 'the native addon is not built',
  MITSU_FIREWALL_FAILED: 'nftables rules could not be applied or removed',
  MITSU_FIREWALL_UNSAFE: 'the firewall rules would capture a port the operator needs',
  MITSU_INPUT_INVALID: 'an input file holds a record that cannot be used',
  MITSU_PRIVILEGE_DROP_FAILED: 'the sensor could not switch to the configured user',
  MITSU_RESOURCE_LIMIT: 'an operating-system limit is too low to run',
  MITSU_ENRICH_UNAVAILABLE: 'an offline enrichment database cannot be opened or read',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class MitsuError extends Error {
  readonly code: ErrorCode;
  /** One sentence telling the operator what to do about it. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MitsuError';
    this.code = code;
    this.hint = hint;
  }

  /** The one line printed to the operator: code, what went wrong, how to fix it. */
  toLine(): string {
    const fix = this.hint === undefined ? '' : `; ${this.hint}`;
    return `mitsu: ${this.message}${fix} (${this.code})`;
  }
}

export function isMitsuError(err: unknown, code?: ErrorCode): err is MitsuError {
  return err instanceof MitsuError && (code === undefined || err.code === code);
}
