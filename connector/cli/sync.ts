/** `parley sync --config F`: read the source into the warehouse (records and state in one transaction). */
import { runSync } from '../engine/sync.js';
import { loadSyncConfig } from '../engine/sync-config.js';
import { requireOption, type Command } from './command.js';
import { withShutdownSignal } from './shutdown.js';

export const syncCommand: Command = {
  name: 'sync',
  summary: 'Sync the source into the warehouse (DuckDB by default).',
  usage: 'parley sync --config sync.json [--stats-json F]',
  details: [
    'sync.json: {"source": {...source config...}, "destination": {"type": "duckdb", "path": "./data/parley.duckdb"}}',
    '--stats-json F writes the summary plus the process CPU time and peak RSS to F (the benchmark reads it).',
  ],
  options: { config: { type: 'string' }, 'stats-json': { type: 'string' } },
  async run(values) {
    const config = loadSyncConfig(requireOption(values, 'config', 'sync'));
    await withShutdownSignal((signal) => runSync(config, { signal }), { statsFile: values['stats-json'], failWhenStopped: true });
    return 0;
  },
};
