/** `parley check --config F`: validates the config and makes a real request; CONNECTION_STATUS on stdout. */
import { readJsonFile } from '../core/config-file.js';
import { asParleyError } from '../core/errors.js';
import { redact } from '../core/redact.js';
import { MessageWriter } from '../protocol/writer.js';
import { loadSource } from '../sources/registry.js';
import { requireOption, type Command } from './command.js';

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check the source config and credentials (Airbyte CONNECTION_STATUS).',
  usage: 'parley check --config source.json',
  options: { config: { type: 'string' } },
  protocol: true,
  async run(values) {
    const file = requireOption(values, 'config', 'check');
    const writer = new MessageWriter();
    let status: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED';
    let message: string | undefined;
    try {
      const { source, config } = loadSource(readJsonFile(file, 'config'));
      const checked = await source.check({ config, session: source.session(config), now: new Date(), signal: new AbortController().signal });
      // Warnings (it works, but something is wrong) ride along with SUCCEEDED: Airbyte shows the message.
      const warnings = checked ? checked.warnings : [];
      message = `${source.vendor}: credentials and settings work${warnings.map((w) => `; warning: ${redact(w)}`).join('')}`;
    } catch (error) {
      status = 'FAILED';
      message = redact(asParleyError(error).message);
    }
    await writer.write({ type: 'CONNECTION_STATUS', connectionStatus: { status, ...(message ? { message } : {}) } });
    await writer.flush();
    if (status === 'FAILED') process.stderr.write(`parley check: ${message}\n`);
    return 0; // Airbyte convention: a failed check is a message, not a crash.
  },
};
