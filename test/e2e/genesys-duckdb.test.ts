/**
 * Genesys Cloud end to end on real parts: the simulator over HTTP (OAuth, availability, detail jobs,
 * cursor pages) → `parley run` (sync into a DuckDB file + the real dbt CLI) → marts checked against
 * the generator's ground truth. Then the clock moves on: the second run submits jobs only for the
 * new window, active conversations come back ended, and the incremental marts equal a full refresh.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { botId, containment, intents, truthConversations, valid, type GenesysScope } from '../helpers/genesys-truth.js';
import { GENESYS_INSTANCE, cursors } from '../helpers/state.js';

const HOUR = 3_600_000;
const today = todayUtc();
const startDate = addDays(today, -6);
// 400 a day: ~11 of them cross each midnight, so the active-at-the-watermark case never comes up empty
// (at 100 a day, ~3: some dates had none, and the test failed on them).
const generator = { seed: 21, conversationsPerDay: 400, invalidEvery: 40 };
// The simulator's clock: yesterday noon, then today 00:00 — both in the past, so the sync's own
// clock (real time) never caps the window before the availability date does. A 12-hour lag puts the
// first watermark at midnight, where the conversations that cross it (~8% of a day's) are active.
let clock = Date.parse(`${addDays(today, -1)}T12:00:00.000Z`);
const lag = 12 * HOUR;

let simulator: RunningGenesysSimulator;
let database: string;
let configFile: string;

beforeAll(async () => {
  simulator = await startGenesysSimulator({ now: () => clock, generator, faults: { availabilityLagHours: 12, pendingPolls: 2 } });
  const dir = tempDir('genesys-e2e');
  database = path.join(dir, 'parley.duckdb');
  configFile = writeJson(dir, 'sync.json', {
    source: {
      vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate,
      base_url: simulator.url, login_url: simulator.url, page_size: 25, max_jobs_in_flight: 2, job_poll_seconds: 0.02, max_requests_per_minute: 6000,
    },
    destination: { type: 'duckdb', path: database },
  });
});
afterAll(async () => simulator?.close());

/** Checks fct and the daily totals against the truth; returns how many conversations are still active. */
async function expectMartsMatchTruth(scope: GenesysScope): Promise<number> {
  const truth = truthConversations(scope);
  const rows = await query<Record<string, unknown>>(database, "SELECT * FROM fct_conversations WHERE source_system = 'genesys'");
  expect(rows).toHaveLength(truth.filter(valid).length);
  const byId = new Map(rows.map((r) => [r.conversation_id as string, r]));
  let active = 0;
  for (const t of truth.filter(valid)) {
    const row = byId.get(t.conversationId);
    expect(row, t.conversationId).toBeDefined();
    const outcome = containment(t, scope.loadedThroughMs);
    if (outcome === null) active++;
    const expected: Record<string, unknown> = { bot_id: botId(t), containment_outcome: outcome, started_at: new Date(t.startMs).toISOString(), channel: t.mediaType };
    const actual: Record<string, unknown> = { bot_id: row!.bot_id, containment_outcome: row!.containment_outcome ?? null, started_at: row!.started_at, channel: row!.channel };
    if (outcome !== null) {
      // Ended conversations: every outcome is known, so the intents are final.
      const { first, last } = intents(t);
      Object.assign(expected, { first_intent: first, last_intent: last, first_meaningful_intent: first, ended_at: new Date(t.endMs).toISOString() });
      Object.assign(actual, { first_intent: row!.first_intent ?? null, last_intent: row!.last_intent ?? null, first_meaningful_intent: row!.first_meaningful_intent ?? null, ended_at: row!.ended_at });
    } else {
      expect(row!.ended_at ?? null).toBeNull();
    }
    expect(actual, t.conversationId).toEqual(expected);
  }
  // Daily metrics: one count per (bot, start day), rates from the same truth.
  const daily = await query<{ bot_id: string; day: string; total: number; escalation_rate: number | null }>(
    database,
    "SELECT bot_id, strftime(conversation_date, '%Y-%m-%d') AS day, total_conversations AS total, escalation_rate FROM agg_bot_daily_metrics WHERE source_system = 'genesys' AND total_conversations > 0",
  );
  const expectedDaily = new Map<string, { total: number; escalated: number }>();
  for (const t of truth.filter(valid)) {
    const key = `${botId(t)}|${new Date(t.startMs).toISOString().slice(0, 10)}`;
    const entry = expectedDaily.get(key) ?? { total: 0, escalated: 0 };
    entry.total++;
    if (containment(t, scope.loadedThroughMs) === 'escalated') entry.escalated++;
    expectedDaily.set(key, entry);
  }
  expect(daily).toHaveLength(expectedDaily.size);
  for (const d of daily) {
    const e = expectedDaily.get(`${d.bot_id}|${d.day}`)!;
    expect({ total: d.total, escalation_rate: d.escalation_rate }, `${d.bot_id} ${d.day}`).toEqual({ total: e.total, escalation_rate: e.escalated / e.total });
  }
  return active;
}

describe('Genesys → DuckDB → dbt (parley run)', () => {
  let firstScope: GenesysScope;

  it('loads every conversation of [start_date, availability) once, quarantines the broken ones, and the marts match the truth', async () => {
    const result = await runCli(['run', '--config', configFile]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    firstScope = { startDate, loadedThroughMs: clock - lag, generator };
    const truth = truthConversations(firstScope);

    const [raw] = await query<{ n: number; ids: number; active: number }>(database, 'SELECT count(*) AS n, count(DISTINCT conversation_id) AS ids, count(*) FILTER (WHERE conversation_end IS NULL) AS active FROM raw_genesys_conversations');
    expect(raw).toEqual({ n: truth.filter(valid).length, ids: truth.filter(valid).length, active: truth.filter((t) => valid(t) && t.endMs > firstScope.loadedThroughMs).length });
    const [quarantine] = await query<{ n: number }>(database, "SELECT count(*) AS n FROM _parley_quarantine WHERE source_stream = 'genesys_conversations' AND reason LIKE 'conversationStart:%'");
    expect(quarantine!.n).toBe(truth.filter((t) => t.invalid).length);
    expect(result.stderr).toMatch(/quarantined\s+\d+ records/);

    // Jobs: one per day of the grid up to the availability date; none left behind.
    const intervals = simulator.stats().jobsSubmitted.map((j) => j.interval);
    expect(intervals).toEqual([0, 1, 2, 3, 4].map((i) => `${addDays(startDate, i)}T00:00:00.000Z/${addDays(startDate, i + 1)}T00:00:00.000Z`));
    expect(simulator.liveJobs()).toEqual([]);
    const [state] = await query<{ state: string }>(database, "SELECT state::VARCHAR AS state FROM _parley_state WHERE stream = 'genesys_conversations'");
    expect(JSON.parse(state!.state)).toEqual(cursors(GENESYS_INSTANCE, { '*': new Date(firstScope.loadedThroughMs).toISOString() }));

    // Days whose end the watermark passed are loaded; day x is complete once x and x+1 are.
    const days = await query<{ day: string }>(database, "SELECT strftime(day, '%Y-%m-%d') AS day FROM raw_genesys_loaded_days ORDER BY day");
    expect(days.map((d) => d.day)).toEqual([0, 1, 2, 3, 4].map((i) => addDays(startDate, i)));
    const complete = await query<{ day: string; complete: boolean }>(database, "SELECT DISTINCT strftime(conversation_date, '%Y-%m-%d') AS day, is_complete AS complete FROM agg_bot_daily_metrics WHERE source_system = 'genesys' ORDER BY day");
    for (const { day, complete: isComplete } of complete) expect(isComplete, day).toBe(day >= startDate && day <= addDays(startDate, 3));

    // Outcome names come from Architect's list, not ids.
    const [named] = await query<{ n: number; unnamed: number }>(database, "SELECT count(*) AS n, count(*) FILTER (WHERE first_intent LIKE '%-%-%-%') AS unnamed FROM fct_conversations WHERE source_system = 'genesys' AND first_intent IS NOT NULL");
    expect(named!.n).toBeGreaterThan(50);
    expect(named!.unnamed).toBe(0);

    // Conversations crossing the watermark (midnight) are active: NULL containment, no end.
    expect(await expectMartsMatchTruth(firstScope)).toBeGreaterThan(0);
  });

  it('the next run asks for the new window and the lookback before it, replaces active conversations once they end, and incremental marts equal a full refresh', async () => {
    clock += 12 * HOUR;
    simulator.resetStats();
    const result = await runCli(['run', '--config', configFile]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const scope: GenesysScope = { startDate, loadedThroughMs: clock - lag, generator };
    // The last lookback_hours (24) before the first watermark (today 00:00) again, then the new window.
    expect(simulator.stats().jobsSubmitted.map((j) => j.interval)).toEqual([
      `${new Date(firstScope.loadedThroughMs - 24 * HOUR).toISOString()}/${new Date(firstScope.loadedThroughMs).toISOString()}`,
      `${new Date(firstScope.loadedThroughMs).toISOString()}/${new Date(scope.loadedThroughMs).toISOString()}`,
    ]);

    // The window is cut at the availability date (mid-day), not at the grid line.
    // Conversations active at the first watermark that have ended since carry their end now.
    const wereActive = truthConversations(firstScope).filter((t) => valid(t) && t.endMs > firstScope.loadedThroughMs && t.endMs <= scope.loadedThroughMs);
    expect(wereActive.length).toBeGreaterThan(0);
    const ended = await query<{ conversation_id: string; ended_at: string | null }>(database, "SELECT conversation_id, ended_at FROM fct_conversations WHERE source_system = 'genesys'");
    const endedById = new Map(ended.map((r) => [r.conversation_id, r.ended_at]));
    for (const t of wereActive) expect(endedById.get(t.conversationId), t.conversationId).toBe(new Date(t.endMs).toISOString());
    await expectMartsMatchTruth(scope);

    const snapshot = async () =>
      JSON.stringify(await query(database, "SELECT * EXCLUDE (loaded_at) FROM agg_bot_daily_metrics WHERE source_system = 'genesys' ORDER BY bot_id, conversation_date")) +
      JSON.stringify(await query(database, "SELECT * EXCLUDE (loaded_at) FROM fct_conversations WHERE source_system = 'genesys' ORDER BY conversation_id"));
    const incremental = await snapshot();
    const full = await runCli(['transform', '--config', configFile, '--', '--full-refresh']);
    expect(full.code, full.stderr.slice(-3000)).toBe(0);
    expect(await snapshot()).toBe(incremental);
  });
});
