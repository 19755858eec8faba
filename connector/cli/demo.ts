/**
 * `parley demo`: the whole product on this machine — every vendor's simulator (simulators/registry.ts), a
 * sync of each into the embedded DuckDB file (or a BigQuery API such as the local emulator), the dbt
 * marts over both, and a summary of them. Re-running it is an incremental sync.
 */
import fs from 'node:fs';
import path from 'node:path';
import { addDays, todayUtc } from '../core/windows.js';
import { runSync } from '../engine/sync.js';
import { DEFAULT_DUCKDB_PATH, type DestinationConfig, type SyncConfig } from '../engine/sync-config.js';
import { runDbt } from '../transform/dbt.js';
import { UsageError, type Command } from './command.js';
import { bigQueryMartsSummary, martsSummary } from './marts-summary.js';
import { SIMULATORS } from '../simulators/registry.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Every vendor simulator + sync + dbt on DuckDB, then a summary of the marts.',
  usage: 'parley demo [--path ./data/parley.duckdb] [--days 14] [--bigquery http://127.0.0.1:9050]',
  details: [
    '--bigquery URL: load into that BigQuery API instead of DuckDB (project parley-demo, dataset parley_demo),',
    'e.g. the local emulator started with `npm run emulator`.',
  ],
  options: { path: { type: 'string' }, days: { type: 'string' }, bigquery: { type: 'string' } },
  async run(values) {
    const databasePath = typeof values.path === 'string' ? values.path : DEFAULT_DUCKDB_PATH;
    const days = typeof values.days === 'string' ? Number(values.days) : 14;
    if (!Number.isInteger(days) || days < 1 || days > 30) throw new UsageError(`parley demo: --days ${String(values.days)}: use a whole number of days from 1 to 30.`);
    const bigquery = typeof values.bigquery === 'string' ? values.bigquery : undefined;
    if (bigquery !== undefined && !/^https?:\/\/[^/]+/.test(bigquery)) throw new UsageError(`parley demo: --bigquery ${bigquery}: give the API's http(s) URL, e.g. http://127.0.0.1:9050.`);
    const destination: DestinationConfig = bigquery
      ? { type: 'bigquery', project_id: 'parley-demo', dataset: 'parley_demo', location: 'US', api_endpoint: bigquery }
      : { type: 'duckdb', path: databasePath };
    const startDate = addDays(todayUtc(), -days);
    const running: { vendor: string; url: string; close(): Promise<void> }[] = [];
    try {
      const configs: { vendor: string; config: SyncConfig }[] = [];
      for (const entry of SIMULATORS) {
        const runtime = await entry.load();
        const simulator = await runtime.demo.start();
        running.push({ vendor: entry.vendor, ...simulator, close: () => simulator.close() });
        configs.push({ vendor: entry.vendor, config: { source: runtime.demo.source(simulator.url, startDate), destination } });
      }
      const folder = path.dirname(path.resolve(databasePath));
      fs.mkdirSync(folder, { recursive: true });
      for (const { vendor, config } of configs) fs.writeFileSync(path.join(folder, `demo-${vendor}-config.json`), `${JSON.stringify(config, null, 2)}\n`);
      process.stderr.write(`demo: ${running.map((s) => `${s.vendor} simulator at ${s.url}`).join(', ')}; configs written to ${folder}/demo-*-config.json\n`);
      for (const { config } of configs) await runSync(config);
      await runDbt({ destination });
    } finally {
      for (const simulator of running) await simulator.close();
    }
    if (destination.type === 'bigquery') {
      process.stdout.write(`\n${await bigQueryMartsSummary(destination)}\n\nThe marts are in ${destination.project_id}.${destination.dataset} at ${bigquery}.\n`);
    } else {
      process.stdout.write(`\n${await martsSummary(path.resolve(databasePath))}\n\nThe marts are in ${databasePath}: try \`SELECT * FROM fct_conversations LIMIT 10\`.\n`);
    }
    return 0;
  },
};
