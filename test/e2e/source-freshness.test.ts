/**
 * dbt source freshness in `parley run`, on real parts: the Genesys simulator over HTTP → sync into a
 * DuckDB file → dbt build → `dbt source freshness` (the real CLI) on the synced vendor's raw tables,
 * thresholds from the dbt project vars (warn after 24 h, error after 48 h).
 *
 * The data lake is stuck (its availability date does not move) and lookback_hours is 0, so a second
 * run loads no conversation and no day: the raw tables keep the _extracted_at of the first run. The
 * test backdates those (as if that run had been 30 and 50 hours ago): one table warns, the other is
 * an error, which fails the run after the marts are built.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../connector/core/windows.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { query } from '../helpers/duckdb.js';

const HOUR = 3_600_000;
const stuckMs = Math.floor((Date.now() - 8 * HOUR) / HOUR) * HOUR;
const startDate = addDays(new Date(stuckMs).toISOString().slice(0, 10), -2);
let simulator: RunningGenesysSimulator;
const dir = tempDir('freshness');
const database = path.join(dir, 'fresh.duckdb');
let config: string;

beforeAll(async () => {
  simulator = await startGenesysSimulator({ generator: { seed: 91, conversationsPerDay: 30 }, faults: { availabilityStuckAt: new Date(stuckMs).toISOString(), pendingPolls: 1 } });
  config = writeJson(dir, 'sync.json', {
    source: {
      vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate, base_url: simulator.url, login_url: simulator.url,
      job_poll_seconds: 0.02, max_requests_per_minute: 6000, lookback_hours: 0,
    },
    destination: { type: 'duckdb', path: database },
  });
});
afterAll(async () => simulator?.close());

async function sql(file: string, statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  try {
    for (const statement of statements) await connection.run(statement);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const freshnessReport = (stderr: string) => stderr.slice(stderr.lastIndexOf('source freshness (genesys'));

describe('parley run: dbt source freshness on _extracted_at', () => {
  it('right after a sync that loaded rows, the vendor\'s raw tables are fresh (and only that vendor\'s are checked)', async () => {
    const result = await runCli(['run', '--config', config]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const report = freshnessReport(result.stderr);
    expect(report).toMatch(/genesys\.raw_genesys_conversations\s+fresh: newest row loaded 0\.\d h ago/);
    expect(report).toMatch(/genesys\.raw_genesys_loaded_days\s+fresh: newest row loaded 0\.\d h ago/);
    // Flow outcomes may stay empty for good (no permission): not checked; other vendors' tables are empty here: not checked.
    expect(report).not.toMatch(/raw_genesys_flow_outcomes|raw_ultimate|raw_kore|raw_sunbird/);
    expect(report).not.toMatch(/warning|error/);
  });

  it('a run that loads nothing new: 30 hours old warns, 50 hours old is an error and the run exits 1 with the marts built', async () => {
    await sql(database, [
      "UPDATE raw_genesys_conversations SET _extracted_at = _extracted_at - INTERVAL 30 HOUR",
      "UPDATE raw_genesys_loaded_days SET _extracted_at = _extracted_at - INTERVAL 50 HOUR",
      'DROP TABLE fct_conversations',
    ]);
    const result = await runCli(['run', '--config', config]);
    expect(result.code, result.stderr.slice(-3000)).toBe(1);
    const report = freshnessReport(result.stderr);
    expect(report).toMatch(/warning: source genesys\.raw_genesys_conversations is stale: newest row loaded 3[01] h ago \(warn after 24 h\)/);
    expect(report).toMatch(/error: source genesys\.raw_genesys_loaded_days is stale: newest row loaded 5[01] h ago \(error after 48 h\)/);
    expect(result.stderr).toMatch(/source freshness: source genesys\.raw_genesys_loaded_days is stale.*The marts are built/);
    // The sync loaded nothing new (the lake is stuck at the cursor), and dbt built the marts before the check.
    expect(result.stderr).toMatch(/stream genesys_conversations: 0 records, 0 quarantined, cursor /);
    const [built] = await query<{ n: number }>(database, "SELECT count(*) AS n FROM fct_conversations WHERE source_system = 'genesys'");
    expect(built!.n).toBeGreaterThan(0);
  });
});
