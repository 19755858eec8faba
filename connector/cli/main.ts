/**
 * `parley <command>`: dispatch, `--help`, and the one place that turns errors into exit codes and
 * clear messages. A user mistake prints its message, never a stack trace (set PARLEY_DEBUG=1 for one).
 */
import { parseArgs } from 'node:util';
import { asParleyError } from '../core/errors.js';
import { checkFailpoint } from '../core/failpoint.js';
import { redact } from '../core/redact.js';
import { MessageWriter, traceError } from '../protocol/writer.js';
import { checkCommand } from './check.js';
import { UsageError, type Command } from './command.js';
import { demoCommand } from './demo.js';
import { discoverCommand } from './discover.js';
import { readCommand } from './read.js';
import { runCommand } from './run.js';
import { StoppedBySignal } from './shutdown.js';
import { simulateCommand } from './simulate.js';
import { specCommand } from './spec.js';
import { syncCommand } from './sync.js';
import { transformCommand } from './transform.js';

export const COMMANDS: Command[] = [specCommand, checkCommand, discoverCommand, readCommand, syncCommand, transformCommand, runCommand, simulateCommand, demoCommand];

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'parley — incremental ELT for conversational-AI analytics (Airbyte protocol source, DuckDB/BigQuery sync, dbt marts)',
    '',
    'Usage: parley <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `parley <command> --help` for a command\'s options.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const options = Object.entries(command.options).map(([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}`);
  return [`Usage: ${command.usage}`, '', command.summary, ...(command.details ? ['', ...command.details] : []), ...(options.length ? ['', 'Options:', ...options, '  --help'] : [])].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stderr.write(`${mainHelp()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`parley: unknown command "${name}".\n\n${mainHelp()}\n`);
    return 2;
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`parley ${name}: ${(error as Error).message}\n\n${commandHelp(command)}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  try {
    checkFailpoint(); // a test's crash point (core/failpoint.ts): a bad value stops here, before any work
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    if (error instanceof StoppedBySignal) {
      process.stderr.write(`parley ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    const failure = asParleyError(error);
    const message = redact(failure.message);
    if (command.protocol && !(error as { reported?: boolean }).reported) {
      const writer = new MessageWriter();
      await writer.write(traceError(message, failure.failureType, failure.failureType === 'config_error' ? undefined : redact(failure.stack ?? '')));
      await writer.flush();
    }
    const label = failure.failureType === 'config_error' ? 'configuration error' : failure.failureType === 'transient_error' ? 'temporary failure' : 'error';
    process.stderr.write(`parley ${name}: ${label}: ${message}\n`);
    if (process.env.PARLEY_DEBUG && failure.stack) process.stderr.write(`${redact(failure.stack)}\n`);
    return 1;
  }
}
