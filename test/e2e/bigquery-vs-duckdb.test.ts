/**
 * The same models on both warehouses: one simulated dataset of each vendor goes into DuckDB and into
 * BigQuery (the local emulator), twice — the newest Ultimate export growing and the Genesys clock
 * moving on (new window, active conversations ended) in between, and the Kore.ai clock an hour on
 * (active sessions closed, lookback windows re-read), Sunbird UCI's exhaust requests answered at once
 * (three header eras) — through `parley sync` (Genesys, Kore, Sunbird) and `parley run` (Ultimate,
 * then dbt); the three marts read back from BigQuery must equal the DuckDB marts row for row, every
 * vendor.
 */
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { bigQueryClient } from '../../connector/destinations/bigquery/client.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { startKoreSimulator, type RunningKoreSimulator } from '../../connector/simulators/kore/server.js';
import { startSunbirdSimulator, type RunningSunbirdSimulator } from '../../connector/simulators/sunbird/server.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
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
let genesys: RunningGenesysSimulator;
// Genesys's clock: a 12-hour lag puts the first watermark at midnight (conversations crossing it are active).
let genesysClock = Date.parse(`${addDays(today, -1)}T12:00:00.000Z`);
// Kore's clock: in the past (the connector reads up to real now), then an hour on.
let koreClock = Date.now() - 2 * 3_600_000;
let kore: RunningKoreSimulator;
let sunbird: RunningSunbirdSimulator;
let bigquery: BigQuery;

beforeAll(async () => {
  emulator = await startEmulator({ project: PROJECT });
  // edgeCases: NULL statuses, untimed intents, conversations in two exports and quiet days reach both warehouses' models.
  simulator = await startUltimateSimulator({ today, generator: { seed: 33, conversationsPerDay: 25, invalidEvery: 50, edgeCases: true } });
  genesys = await startGenesysSimulator({ now: () => genesysClock, generator: { seed: 34, conversationsPerDay: 30, invalidEvery: 40 }, faults: { availabilityLagHours: 12, pendingPolls: 1 } });
  kore = await startKoreSimulator({ now: () => koreClock, generator: { seed: 35, sessionsPerDay: 20, invalidEvery: 30 }, faults: { limitCap: 50 } });
  sunbird = await startSunbirdSimulator({
    now: () => Date.now() - 60_000,
    batchEverySeconds: 'immediate',
    generator: { seed: 36, conversationsPerDay: 20, v2From: addDays(today, -2), v3From: addDays(today, -1), invalidEvery: 30 },
  });
  bigquery = bigQueryClient({ type: 'bigquery', project_id: PROJECT, dataset: 'unused', location: 'US', api_endpoint: emulator.url });
});
afterAll(async () => {
  await simulator?.close();
  await genesys?.close();
  await kore?.close();
  await sunbird?.close();
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
    const genesysSource = {
      vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: addDays(today, -4), base_url: genesys.url, login_url: genesys.url,
      job_poll_seconds: 0.02, max_requests_per_minute: 6000,
    };
    const koreSource = { vendor: 'kore', base_url: kore.url, client_id: 'sim-client-id', client_secret: 'sim-client-secret', bot_ids: ['st-eq-1', 'st-eq-2'], start_date: addDays(today, -3) };
    const sunbirdSource = {
      vendor: 'sunbird', base_url: sunbird.baseUrl, api_key: 'sim-api-key', user_token: 'sim-user-token', channel_id: 'sim-channel', requested_by: 'eq-user',
      bot_ids: ['sb-eq-1', 'sb-eq-2'], start_date: addDays(today, -3), job_wait_seconds: 60,
    };
    const destinations = [
      { type: 'duckdb', path: path.join(dir, 'eq.duckdb') },
      { type: 'bigquery', project_id: PROJECT, dataset: 'parley', location: 'US', api_endpoint: emulator.url },
    ];
    const configs = destinations.map((destination) => ({
      ultimate: writeJson(dir, `ultimate-${destination.type}.json`, { source, destination }),
      genesys: writeJson(dir, `genesys-${destination.type}.json`, { source: genesysSource, destination }),
      kore: writeJson(dir, `kore-${destination.type}.json`, { source: koreSource, destination }),
      sunbird: writeJson(dir, `sunbird-${destination.type}.json`, { source: sunbirdSource, destination }),
    }));
    for (const grown of [false, true]) {
      simulator.setFaults({ grown });
      if (grown) genesysClock += 12 * 3_600_000;
      if (grown) koreClock += 3_600_000;
      for (const { ultimate: config, genesys: genesysConfig, kore: koreConfig, sunbird: sunbirdConfig } of configs) {
        for (const other of [genesysConfig, koreConfig, sunbirdConfig]) {
          const synced = await runCli(['sync', '--config', other], { timeoutMs: 600_000 });
          expect(synced.code, synced.stderr.slice(-3000)).toBe(0);
        }
        // overlap 0: the second run is a real incremental one (both syncs are minutes apart). Models
        // only: the data and unit tests pass on BigQuery in bigquery-emulator-probe.test.ts's build
        // and on DuckDB in every e2e test; here they would cost ~8 minutes of emulator time.
        const result = await runCli(['run', '--config', config, '--', '--vars', '{incremental_overlap_minutes: 0}', '--exclude', 'test_type:data', 'test_type:unit'], { timeoutMs: 1_500_000 });
        expect(result.code, result.stderr.slice(-3000)).toBe(0);
        // the second run rebuilds the recent days only: Ultimate's lookback (2 re-read + the day
        // before), the days of Genesys's new window and of its conversations that ended since, and
        // Kore's re-read windows (lookback 48 h and today)
        const rebuilt = /fct_conversations: rebuilding (\d+) day/.exec(result.stderr)?.[1];
        if (grown) expect(Number(rebuilt), config).toBeLessThanOrEqual(4);
        else expect(rebuilt, config).toBeUndefined();
      }
    }
    for (const [mart, key] of Object.entries(MARTS)) {
      const duck = normalise(await query(path.join(dir, 'eq.duckdb'), `SELECT * FROM ${mart}`), key);
      const [bqRows] = await bigquery.query({ query: `SELECT * FROM \`${PROJECT}.parley.${mart}\`` });
      const bq = normalise(bqRows as Record<string, unknown>[], key);
      for (const vendor of ['ultimate', 'genesys', 'kore', 'sunbird']) expect(duck.filter((r) => r.source_system === vendor).length, `${mart} ${vendor}`).toBeGreaterThan(0);
      expect(bq, mart).toEqual(duck);
    }
  }, 3_000_000); // dbt on the emulator is slow (minutes per build): four `parley run`s, two with dbt-bigquery
});
