/**
 * The same models on both warehouses: one simulated dataset goes through `parley run` into DuckDB
 * and into BigQuery (the local emulator), twice, the newest export growing in between; the three
 * marts read back from BigQuery must equal the DuckDB marts row for row.
 */
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { bigQueryClient } from '../../connector/destinations/bigquery/client.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/sources/ultimate/simulator.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { startEmulator } from '../setup/bigquery-emulator.js';

const PROJECT = 'parley-equal';
const today = todayUtc();
const MARTS = {
  fct_conversations: ['source_system', 'bot_id', 'conversation_id'],
  agg_bot_daily_metrics: ['source_system', 'bot_id', 'conversation_date'],
  agg_first_meaningful_intent_metrics: ['source_system', 'bot_id', 'first_meaningful_intent'],
} as const;

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let simulator: RunningUltimateSimulator;
let bigquery: BigQuery;

beforeAll(async () => {
  emulator = await startEmulator({ project: PROJECT });
  simulator = await startUltimateSimulator({ today, generator: { seed: 33, conversationsPerDay: 25, invalidEvery: 50 } });
  bigquery = bigQueryClient({ type: 'bigquery', project_id: PROJECT, dataset: 'unused', location: 'US', api_endpoint: emulator.url });
});
afterAll(async () => {
  await simulator?.close();
  await emulator?.stop();
});

/**
 * One comparable value: numbers rounded, BigQuery's {value} wrappers unwrapped, instants as ISO
 * UTC, and a midnight instant as its date (the DuckDB reader may hand a DATE over as a midnight
 * Date, BigQuery as 'YYYY-MM-DD'; both sides go through this, so nothing unequal becomes equal).
 */
function plain(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return plain(value.toISOString());
  if (typeof value === 'object' && 'value' in (value as object)) return plain((value as { value: unknown }).value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number') return Number.isInteger(value) ? value : Math.round(value * 1e9) / 1e9;
  if (typeof value === 'string') {
    if (/^\d+$/.test(value) && value.length < 16) return Number(value);
    if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
      const iso = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value.replace(' ', 'T')}Z`).toISOString();
      return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
    }
  }
  return value;
}

/** Rows with comparable values, sorted by key; loaded_at (each warehouse's own sync time) left out. */
function normalise(rows: Record<string, unknown>[], key: readonly string[]): Record<string, unknown>[] {
  return rows
    .map((row) => Object.fromEntries(Object.keys(row).filter((k) => k !== 'loaded_at').sort().map((k) => [k, plain(row[k])])))
    .sort((a, b) => key.map((k) => String(a[k])).join('|').localeCompare(key.map((k) => String(b[k])).join('|')));
}

describe('marts on BigQuery equal the DuckDB marts', () => {
  it('row for row, after two runs with a grown export in between', async () => {
    const dir = tempDir('equal');
    const source = { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: ['eq-bot-1', 'eq-bot-2'], start_date: addDays(today, -5), lookback_days: 2 };
    const duckdbConfig = writeJson(dir, 'duckdb.json', { source, destination: { type: 'duckdb', path: path.join(dir, 'eq.duckdb') } });
    const bigqueryConfig = writeJson(dir, 'bigquery.json', { source, destination: { type: 'bigquery', project_id: PROJECT, dataset: 'parley', location: 'US', api_endpoint: emulator.url } });
    for (const grown of [false, true]) {
      simulator.setFaults({ grown });
      for (const config of [duckdbConfig, bigqueryConfig]) {
        // overlap 0: the second run is a real incremental one (both syncs are minutes apart)
        const result = await runCli(['run', '--config', config, '--', '--vars', '{incremental_overlap_minutes: 0}'], { timeoutMs: 1_500_000 });
        expect(result.code, result.stderr.slice(-3000)).toBe(0);
        // the second run rebuilds the lookback days only (5 days loaded, 2 re-read + the day before)
        const rebuilt = /fct_conversations: rebuilding (\d+) day/.exec(result.stderr)?.[1];
        if (grown) expect(Number(rebuilt), config).toBeLessThanOrEqual(3);
        else expect(rebuilt, config).toBeUndefined();
      }
    }
    for (const [mart, key] of Object.entries(MARTS)) {
      const duck = normalise(await query(path.join(dir, 'eq.duckdb'), `SELECT * FROM ${mart}`), key);
      const [bqRows] = await bigquery.query({ query: `SELECT * FROM \`${PROJECT}.parley.${mart}\`` });
      const bq = normalise(bqRows as Record<string, unknown>[], key);
      expect(duck.length, mart).toBeGreaterThan(0);
      expect(bq, mart).toEqual(duck);
    }
  }, 3_000_000); // dbt on the emulator is slow (minutes per build): four `parley run`s, two with dbt-bigquery
});
