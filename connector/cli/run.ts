/** `parley run --config F`: sync, then transform — the scheduled job. */
import { runSync } from '../engine/sync.js';
import { loadSyncConfig } from '../engine/sync-config.js';
import { runDbt } from '../transform/dbt.js';
import { requireOption, type Command } from './command.js';
import { withShutdownSignal } from './shutdown.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Sync, then build the marts: the job to schedule.',
  usage: 'parley run --config sync.json',
  details: ['Extra dbt arguments after --, as for transform, e.g. -- --full-refresh.'],
  options: { config: { type: 'string' } },
  async run(values, positionals) {
    const config = loadSyncConfig(requireOption(values, 'config', 'run'));
    // Stopped by a signal: StoppedBySignal ends the command here, so no marts are built on a partial sync.
    await withShutdownSignal((signal) => runSync(config, { signal }), { failWhenStopped: true });
    await runDbt({ destination: config.destination, extraArgs: positionals });
    return 0;
  },
};
