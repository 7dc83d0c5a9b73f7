// Diagnostic logging for what Mitsu itself does (never for attacker activity, which is
// recorded as events). JSON lines on stderr; pretty-printed when stderr is a terminal.

import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export function createLogger(level: LogLevel = 'info', pretty = process.stderr.isTTY): Logger {
  if (pretty === true) {
    return pino({
      level,
      transport: {
        target: 'pino-pretty',
        options: { destination: 2, colorize: true, ignore: 'pid,hostname', singleLine: true },
      },
    });
  }
  return pino({ level, base: undefined }, pino.destination({ dest: 2, sync: true }));
}

/** A logger that drops everything: for tests and library callers that want silence. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
