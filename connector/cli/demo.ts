/**
 * `parley demo`: the whole product on this machine — the Ultimate and Genesys Cloud simulators, a
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

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Simulators (Ultimate, Genesys) + sync + dbt on DuckDB, then a summary of the marts.',
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
    const { startUltimateSimulator } = await import('../sources/ultimate/simulator.js');
    const { startGenesysSimulator } = await import('../sources/genesys/simulator.js');
    const simulator = await startUltimateSimulator({ generator: { seed: 42, conversationsPerDay: 60, invalidEvery: 400 } });
    const genesys = await startGenesysSimulator({ generator: { seed: 42, conversationsPerDay: 80, invalidEvery: 400 } });
    try {
      const config: SyncConfig = {
        source: {
          vendor: 'ultimate',
          base_url: simulator.url,
          api_key: 'sim-api-key',
          organization_id: 'sim-org',
          bot_ids: ['support-bot', 'sales-bot'],
          start_date: addDays(todayUtc(), -days),
          lookback_days: 3,
        },
        destination,
      };
      const genesysConfig: SyncConfig = {
        source: {
          vendor: 'genesys',
          base_url: genesys.url,
          login_url: genesys.url,
          client_id: 'sim-client-id',
          client_secret: 'sim-client-secret',
          start_date: addDays(todayUtc(), -days),
          job_poll_seconds: 0.1,
          max_requests_per_minute: 6000,
        },
        destination,
      };
      const folder = path.dirname(path.resolve(databasePath));
      fs.mkdirSync(folder, { recursive: true });
      for (const [name, value] of [['demo-config.json', config], ['demo-genesys-config.json', genesysConfig]] as const) {
        fs.writeFileSync(path.join(folder, name), `${JSON.stringify(value, null, 2)}\n`);
      }
      process.stderr.write(`demo: Ultimate simulator at ${simulator.url}, Genesys Cloud simulator at ${genesys.url}; configs written to ${folder}/demo-*config.json\n`);
      await runSync(config);
      await runSync(genesysConfig);
      await runDbt({ destination: config.destination });
    } finally {
      await simulator.close();
      await genesys.close();
    }
    if (destination.type === 'bigquery') {
      process.stdout.write(`\n${await bigQueryMartsSummary(destination)}\n\nThe marts are in ${destination.project_id}.${destination.dataset} at ${bigquery}.\n`);
    } else {
      process.stdout.write(`\n${await martsSummary(path.resolve(databasePath))}\n\nThe marts are in ${databasePath}: try \`SELECT * FROM fct_conversations LIMIT 10\`.\n`);
    }
    return 0;
  },
};
