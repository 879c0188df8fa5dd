// Structured logs through pino, quiet by default: Redis's loglevel names map onto pino's levels.

import pino, { type Logger } from 'pino';

const LEVELS: Record<string, string> = {
  debug: 'debug',
  verbose: 'debug',
  notice: 'info',
  warning: 'warn',
  nothing: 'silent',
};

export type { Logger };

/** A logger for `loglevel` and `logfile` ('' = standard output). */
export function createLogger(loglevel: string, logfile: string): Logger {
  const level = LEVELS[loglevel] ?? 'info';
  const destination = logfile === '' ? pino.destination(1) : pino.destination({ dest: logfile, mkdir: true, sync: false });
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** A logger that says nothing (unit tests, tools). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export { LEVELS as LOG_LEVELS };
