/** `parley transform --config F`: dbt build of the marts in the config's warehouse. */
import { UsageError, requireOption, type Command } from './command.js';
import { loadSyncConfig } from '../engine/sync-config.js';
import { runDbt } from '../transform/dbt.js';

export const transformCommand: Command = {
  name: 'transform',
  summary: 'Build the dbt models (staging → marts) in the warehouse, with their tests.',
  usage: 'parley transform --config sync.json [--target duckdb]',
  details: ['Creates .venv with the pinned dbt on first use. Extra dbt arguments after --, e.g. -- --select marts.'],
  options: { config: { type: 'string' }, target: { type: 'string' } },
  async run(values, positionals) {
    const config = loadSyncConfig(requireOption(values, 'config', 'transform'));
    if (values.target !== undefined && values.target !== config.destination.type) {
      throw new UsageError(`parley transform: --target ${String(values.target)} does not match destination.type "${config.destination.type}" in the config.`);
    }
    await runDbt({ destination: config.destination, extraArgs: positionals });
    return 0;
  },
};
