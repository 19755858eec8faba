/**
 * The main job end to end on real parts: the Ultimate simulator over HTTP → `parley run` (the real
 * CLI: sync into a DuckDB file, then the real dbt CLI) → marts, checked against values computed from
 * the generator's ground truth. Then an incremental second sync with the newest export grown.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { containment, expectedDailyMetrics, expectedIntents, exportedRecords, truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';
import { ultimateLoadedThrough } from '../helpers/state.js';

const today = todayUtc();
// edgeCases: quiet days (conversations, none counted), a day before start_date with conversations,
// NULL statuses, untimed intents and a conversation in two exports (re-opened), whatever the date.
const generator = { seed: 7, conversationsPerDay: 25, invalidEvery: 60, edgeCases: true };
const bots = ['support-bot', 'sales-bot'];
const startDate = addDays(today, -6);
const yesterday = addDays(today, -1);

let simulator: RunningUltimateSimulator;
let database: string;
let configFile: string;

beforeAll(async () => {
  simulator = await startUltimateSimulator({ today, generator });
  const dir = tempDir('e2e');
  database = path.join(dir, 'parley.duckdb');
  configFile = writeJson(dir, 'sync.json', {
    source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: startDate, lookback_days: 3 },
    destination: { type: 'duckdb', path: database },
  });
});
afterAll(async () => simulator?.close());

const close = (a: number | null, b: number | null) => (a === null || b === null ? a === b : Math.abs(a - b) < 1e-9);

const instant = (v: unknown) => new Date(String(v).replace(' ', 'T') + (String(v).endsWith('Z') ? '' : 'Z')).toISOString();

/** fct_conversations equals the ground truth of `scope`, conversation by conversation. */
async function expectFctMatchesTruth(scope: Scope): Promise<void> {
  const rows = await query<Record<string, unknown>>(database, 'SELECT * FROM fct_conversations');
  const truth = truthConversations(scope);
  expect(rows).toHaveLength(truth.length);
  const byId = new Map(rows.map((r) => [`${r.bot_id}|${r.conversation_id}`, r]));
  for (const c of truth) {
    const row = byId.get(`${c.bot_id}|${c.conversation_id}`);
    expect(row, c.conversation_id).toBeDefined();
    const intents = expectedIntents(c);
    expect({
      source_system: row!.source_system,
      first_intent: row!.first_intent ?? null,
      last_intent: row!.last_intent ?? null,
      first_meaningful_intent: row!.first_meaningful_intent ?? null,
      containment_outcome: row!.containment_outcome ?? null,
      is_test: row!.is_test,
      visitor_messages_count: row!.visitor_messages_count,
      started_at: instant(row!.started_at),
      ended_at: instant(row!.ended_at),
      conversation_status: row!.conversation_status ?? null,
    }, c.conversation_id).toEqual({
      source_system: 'ultimate',
      first_intent: intents.first,
      last_intent: intents.last,
      first_meaningful_intent: intents.firstMeaningful,
      containment_outcome: containment(c.conversation_status),
      is_test: c.test_mode,
      visitor_messages_count: c.visitor_messages_count,
      started_at: c.conversation_start_time,
      ended_at: c.conversation_end_time,
      conversation_status: c.conversation_status,
    });
  }
}

/** agg_bot_daily_metrics equals the seed metric definitions computed from the ground truth of `scope`. */
async function expectDailyMetricsMatchTruth(scope: Scope): Promise<void> {
  const rows = await query<Record<string, number | string | boolean | null>>(database, 'SELECT *, conversation_date::VARCHAR AS day FROM agg_bot_daily_metrics');
  const expected = expectedDailyMetrics(scope);
  expect(rows).toHaveLength(expected.size);
  for (const row of rows) {
    const want = expected.get(`${row.bot_id}|${row.day}`);
    expect(want, `${row.bot_id} ${row.day}`).toBeDefined();
    for (const [metric, value] of Object.entries(want!)) {
      const got = row[metric] as number | boolean | null;
      if (typeof value === 'number' || value === null) expect(close(got === null ? null : Number(got), value), `${row.bot_id} ${row.day} ${metric}: ${got} vs ${value}`).toBe(true);
      else expect(got, `${row.bot_id} ${row.day} ${metric}`).toBe(value);
    }
  }
  // The day before start_date holds only conversations that ended on start_date: never complete.
  expect(rows.some((r) => r.day === addDays(startDate, -1) && r.is_complete === false)).toBe(true);
  // Each bot's quiet day in the range has conversations but none counted: a row of zeros, NULL rates.
  for (const bot of bots) expect(rows.some((r) => r.bot_id === bot && r.total_conversations === 0 && r.bot_handled_rate === null), `${bot} has a zero row`).toBe(true);
}

describe('Ultimate → DuckDB → dbt marts', () => {
  const scope: Scope = { bots, firstDay: startDate, lastDay: yesterday, generator };

  it('first run loads every export day, quarantines the invalid records and builds the marts', async () => {
    const result = await runCli(['run', '--config', configFile], { timeoutMs: 600_000 });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(''); // sync/run keep stdout clean
    const truth = truthConversations(scope);
    const invalid = truthInvalidCount(scope);
    expect(invalid).toBeGreaterThan(0);
    // The cases real exports hold are in the data: re-opened conversations (in two exports, one row
    // each), NULL statuses, untimed intents.
    const records = exportedRecords(scope).length;
    expect(records - truth.length).toBeGreaterThanOrEqual(bots.length * 4);
    expect(truth.filter((c) => c.conversation_status === null).length).toBeGreaterThan(0);
    expect(truth.filter((c) => c.triggered_intent_replies.some((i) => i.intent_timestamp === null)).length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(new RegExp(`ultimate_conversations\\s+${records.toLocaleString('en-US')} records`));
    expect(result.stderr).toMatch(new RegExp(`quarantined\\s+${invalid} records`));
    expect(result.stderr).toMatch(/windows loaded\s+12 of 12 planned/);

    const [raw] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys FROM raw_ultimate_conversations');
    expect(raw).toEqual({ n: truth.length, keys: truth.length });
    const [q] = await query<{ n: number }>(database, "SELECT count(*) AS n FROM _parley_quarantine WHERE source_stream = 'ultimate_conversations'");
    expect(q!.n).toBe(invalid);
    const state = await query<{ state: string }>(database, "SELECT state::VARCHAR AS state FROM _parley_state WHERE stream = 'ultimate_conversations'");
    expect(JSON.parse(state[0]!.state)).toEqual(ultimateLoadedThrough(bots, yesterday));
  }, 600_000); // a sync and a dbt build

  it('keeps the whole source record, unknown v3 fields included', async () => {
    const truth = truthConversations(scope).find((c) => c.conversation_type !== undefined)!;
    const [row] = await query<{ t: string; b: string }>(
      database,
      `SELECT coalesce(record->>'conversation_type', record->>'CONVERSATION_TYPE') AS t, export_date::VARCHAR AS b FROM raw_ultimate_conversations WHERE conversation_id = '${truth.conversation_id}'`,
    );
    expect(row!.t).toBe(truth.conversation_type);
    expect(row!.b).toBe(truth.conversation_end_time.slice(0, 10));
  });

  it('fct_conversations matches the ground truth, conversation by conversation', async () => {
    await expectFctMatchesTruth(scope);
  });

  it('agg_bot_daily_metrics matches the seed metric definitions computed from the ground truth', async () => {
    await expectDailyMetricsMatchTruth(scope);
  });

  it('a second sync re-reads only the lookback days, and late conversations of a grown file arrive', async () => {
    simulator.resetStats();
    simulator.setFaults({ grown: true });
    const result = await runCli(['sync', '--config', configFile]);
    expect(result.code, result.stderr).toBe(0);
    const requested = simulator.stats().signedUrlRequests.map((r) => `${r.botId}|${r.date}`).sort();
    const lookback = [addDays(today, -3), addDays(today, -2), yesterday];
    // Each lookback day once per bot; nothing older, and not today (never served).
    expect(requested).toEqual(bots.flatMap((b) => lookback.map((d) => `${b}|${d}`)).sort());
    const grownScope: Scope = { ...scope, grownDays: [yesterday] };
    const truth = truthConversations(grownScope);
    expect(truth.length).toBeGreaterThan(truthConversations(scope).length);
    const [raw] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys FROM raw_ultimate_conversations');
    expect(raw).toEqual({ n: truth.length, keys: truth.length });
  });

  it('an incremental transform rebuilds only the loaded days, and equals a full refresh', async () => {
    const grownScope: Scope = { ...scope, grownDays: [yesterday] };
    // Overlap 0: both syncs ran within the default 60 minutes, which would rebuild every day.
    const incremental = await runCli(['transform', '--config', configFile, '--', '--vars', '{incremental_overlap_minutes: 0}']);
    expect(incremental.code, incremental.stderr.slice(-3000)).toBe(0);
    // The second sync re-read the 3 lookback export days: their conversations started on those
    // days or the day before, so at most 4 start days (of 13) are rebuilt.
    const rebuilt = [...incremental.stderr.matchAll(/fct_conversations: rebuilding (\d+) day/g)].map((m) => Number(m[1]));
    expect(rebuilt).toHaveLength(1);
    expect(rebuilt[0]).toBeGreaterThan(0);
    expect(rebuilt[0]).toBeLessThanOrEqual(4);
    await expectFctMatchesTruth(grownScope);
    await expectDailyMetricsMatchTruth(grownScope);

    const marts = { fct_conversations: 'bot_id, conversation_id', agg_bot_daily_metrics: 'bot_id, conversation_date', agg_first_meaningful_intent_metrics: 'bot_id, first_meaningful_intent' };
    const snapshot = async () => Object.fromEntries(await Promise.all(Object.entries(marts).map(async ([mart, order]) => [mart, await query(database, `SELECT * EXCLUDE (loaded_at) FROM ${mart} ORDER BY ${order}`.replace(' EXCLUDE (loaded_at)', mart === 'agg_first_meaningful_intent_metrics' ? '' : ' EXCLUDE (loaded_at)'))] as const)));
    const afterIncremental = await snapshot();
    const full = await runCli(['transform', '--config', configFile, '--', '--full-refresh']);
    expect(full.code, full.stderr.slice(-3000)).toBe(0);
    expect(full.stderr).not.toMatch(/rebuilding \d+ day/);
    expect(await snapshot()).toEqual(afterIncremental);
  }, 600_000); // two dbt builds: over two minutes on 2 shared cores
});
