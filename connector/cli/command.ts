/** The shape of a CLI command: one file per command, each with its own options and help text. */
import type { ParseArgsConfig } from 'node:util';

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Extra help lines after the usage line. */
  details?: string[];
  options: NonNullable<ParseArgsConfig['options']>;
  /** Protocol commands report failures as Airbyte TRACE messages on stdout too. */
  protocol?: boolean;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

export function requireOption(values: Record<string, string | boolean | undefined>, name: string, command: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(`parley ${command}: --${name} <file> is required. See: parley ${command} --help`);
  }
  return value;
}

export class UsageError extends Error {}
