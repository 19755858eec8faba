/**
 * Genesys's second run is a real incremental one: two `parley run`s with
 * `incremental_overlap_minutes: 0` (so dbt rebuilds only the days whose rows the second sync
 * loaded, not every day loaded within the last hour), the simulator's clock a day on in between
 * — a new day loaded, conversations active at the first watermark (midnight) ended, new ones
 * started — and then one `parley run` at the second clock into a fresh database. The raw
 * tables and the three marts of the two databases must be the same, and both must match the
 * generator's truth.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { containment, truthConversations, valid } from '../helpers/genesys-truth.js';

const HOUR = 3_600_000;
const LAG = 12 * HOUR;
const today = todayUtc();
const startDate = addDays(today, -4);
const generator = { seed: 23, conversationsPerDay: 60, invalidEvery: 40 };
// First run two days ago at noon (watermark that midnight, where the conversations crossing it are
// active), second a day later (watermark yesterday's midnight): the second window is a whole new
// day, loaded by the second run, and the conversations active at the first watermark have ended.
const firstClock = Date.parse(`${addDays(today, -2)}T12:00:00.000Z`);
let clock = firstClock;
const NO_OVERLAP = ['--', '--vars', '{incremental_overlap_minutes: 0}'];

let simulator: RunningGenesysSimulator;
let dir: string;

beforeAll(async () => {
  simulator = await startGenesysSimulator({ now: () => clock, generator, faults: { availabilityLagHours: 12, pendingPolls: 1 } });
  dir = tempDir('genesys-second-run');
});
afterAll(async () => simulator?.close());

function config(name: string): { file: string; database: string } {
  const database = path.join(dir, `${name}.duckdb`);
  const file = writeJson(dir, `${name}.json`, {
    source: {
      vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate,
      base_url: simulator.url, login_url: simulator.url, page_size: 50, job_poll_seconds: 0.02, max_requests_per_minute: 6000,
    },
    destination: { type: 'duckdb', path: database },
  });
  return { file, database };
}

async function run(file: string, args: string[] = []): Promise<string> {
  const result = await runCli(['run', '--config', file, ...args], { timeoutMs: 900_000 });
  expect(result.code, result.stderr.slice(-3000)).toBe(0);
  return result.stderr;
}

/** What must be equal: every raw row and mart row, without load times and sync ids (each database's own). */
async function contents(database: string): Promise<Record<string, unknown[]>> {
  const tables = {
    raw_genesys_conversations: 'SELECT * EXCLUDE (_extracted_at, _sync_id) FROM raw_genesys_conversations ORDER BY conversation_id',
    raw_genesys_flow_outcomes: 'SELECT * EXCLUDE (_extracted_at, _sync_id) FROM raw_genesys_flow_outcomes ORDER BY ALL',
    // loaded_through is the watermark when the day was passed: a sync's own progress, not data.
    raw_genesys_loaded_days: 'SELECT source_instance, day FROM raw_genesys_loaded_days ORDER BY ALL',
    fct_conversations: 'SELECT * EXCLUDE (loaded_at) FROM fct_conversations ORDER BY source_system, bot_id, conversation_id',
    agg_bot_daily_metrics: 'SELECT * EXCLUDE (loaded_at) FROM agg_bot_daily_metrics ORDER BY source_system, bot_id, conversation_date',
    agg_first_meaningful_intent_metrics: 'SELECT * FROM agg_first_meaningful_intent_metrics ORDER BY source_system, bot_id, first_meaningful_intent',
  };
  const out: Record<string, unknown[]> = {};
  for (const [table, sql] of Object.entries(tables)) out[table] = await query(database, sql);
  return out;
}

describe('Genesys: two incremental runs (overlap 0) equal one full sync', () => {
  it('raw tables and marts after a second run equal a fresh database synced once at the same clock', async () => {
    const incremental = config('incremental');
    await run(incremental.file, NO_OVERLAP);
    const firstWatermark = clock - LAG;
    clock += 24 * HOUR;
    const second = await run(incremental.file, NO_OVERLAP);
    const watermark = clock - LAG;

    // The data did change in between: conversations active at the first watermark have ended, and
    // the second window crossed midnight.
    const scope = { startDate, loadedThroughMs: watermark, generator };
    const truth = truthConversations(scope).filter(valid);
    const endedSince = truth.filter((t) => t.endMs > firstWatermark && t.endMs <= watermark && t.startMs < firstWatermark);
    expect(endedSince.length).toBeGreaterThan(0);
    expect(new Date(firstWatermark).toISOString().slice(0, 10)).not.toBe(new Date(watermark).toISOString().slice(0, 10));
    // A real incremental build: some days rebuilt, not all of them.
    const rebuilt = Number(/fct_conversations: rebuilding (\d+) day/.exec(second)?.[1]);
    expect(rebuilt).toBeGreaterThan(0);
    expect(rebuilt).toBeLessThan(5);

    const fresh = config('fresh');
    await run(fresh.file);
    const [a, b] = [await contents(incremental.database), await contents(fresh.database)];
    for (const table of Object.keys(a)) {
      expect(a[table]!.length, table).toBeGreaterThan(0);
      expect(a[table], table).toEqual(b[table]);
    }

    // And both are the truth: one row per valid conversation, containment as of the watermark.
    const fct = a.fct_conversations as Array<{ conversation_id: string; containment_outcome: string | null }>;
    expect(fct.map((r) => r.conversation_id).sort()).toEqual(truth.map((t) => t.conversationId).sort());
    const byId = new Map(fct.map((r) => [r.conversation_id, r.containment_outcome ?? null]));
    for (const t of truth) expect(byId.get(t.conversationId), t.conversationId).toBe(containment(t, watermark));
  }, 1_800_000);
});
