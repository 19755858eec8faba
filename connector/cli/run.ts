/** `parley run --config F`: sync, then transform, then source freshness — the scheduled job. */
import { SystemError } from '../core/errors.js';
import { runSync } from '../engine/sync.js';
import { loadSyncConfig } from '../engine/sync-config.js';
import { runDbt } from '../transform/dbt.js';
import { freshnessLines, sourceFreshness } from '../transform/freshness.js';
import { requireOption, type Command } from './command.js';
import { withShutdownSignal } from './shutdown.js';

export const runCommand: Command = {
  name: 'run',
  summary: 'Sync, then build the marts, then check source freshness: the job to schedule.',
  usage: 'parley run --config sync.json',
  details: [
    'Extra dbt arguments after --, as for transform, e.g. -- --full-refresh (they go to dbt build).',
    'After the build, dbt source freshness checks the synced vendor\'s raw tables (_extracted_at; thresholds: vars',
    'source_freshness_warn_after_hours / source_freshness_error_after_hours in transformations/dbt_project.yml):',
    'a warning is reported; an error makes the run exit 1, the marts built all the same.',
  ],
  options: { config: { type: 'string' } },
  async run(values, positionals) {
    const config = loadSyncConfig(requireOption(values, 'config', 'run'));
    // Stopped by a signal: StoppedBySignal ends the command here, so no marts are built on a partial sync.
    await withShutdownSignal((signal) => runSync(config, { signal }), { failWhenStopped: true });
    await runDbt({ destination: config.destination, extraArgs: positionals });
    const vendor = String((config.source as { vendor?: unknown }).vendor);
    const { lines, errors } = freshnessLines(await sourceFreshness(config.destination, vendor));
    for (const line of [`source freshness (${vendor}: newest _extracted_at of each raw table):`, ...lines]) process.stderr.write(`${line}\n`);
    if (errors.length > 0) throw new SystemError(`source freshness: ${errors.join('; ')}. The marts are built; the sync loaded nothing new for that long (see the sync summary's warnings).`);
    return 0;
  },
};
