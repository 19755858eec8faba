/**
 * Logging to stderr (stdout belongs to the Airbyte protocol). Every line passes through `redact`.
 * Level from PARLEY_LOG_LEVEL (debug|info|warn|error, default info).
 */
import { redact } from './redact.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function threshold(): number {
  const level = (process.env.PARLEY_LOG_LEVEL ?? 'info').toLowerCase() as LogLevel;
  return ORDER[level] ?? ORDER.info;
}

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Where log lines go; the protocol `read` command swaps this for Airbyte LOG messages. */
export type LogSink = (level: LogLevel, message: string) => void;

let sink: LogSink = (level, message) => {
  process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}\n`);
};

export function setLogSink(next: LogSink): void {
  sink = next;
}

export function logger(scope: string): Logger {
  const emit = (level: LogLevel) => (message: string) => {
    if (ORDER[level] < threshold()) return;
    sink(level, redact(`[${scope}] ${message}`));
  };
  return { debug: emit('debug'), info: emit('info'), warn: emit('warn'), error: emit('error') };
}
