/**
 * The main job end to end on real parts: the Ultimate simulator over HTTP → `parley run` (the real
 * CLI: sync into a DuckDB file, then the real dbt CLI) → marts, checked against values computed from
 * the generator's ground truth. Then an incremental second sync with the newest export grown.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/sources/ultimate/simulator.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { containment, expectedDailyMetrics, expectedIntents, truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 7, conversationsPerDay: 25, invalidEvery: 60 };
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

describe('Ultimate → DuckDB → dbt marts', () => {
  const scope: Scope = { bots, firstDay: startDate, lastDay: yesterday, generator };

  it('first run loads every export day, quarantines the invalid records and builds the marts', async () => {
    const result = await runCli(['run', '--config', configFile]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(''); // sync/run keep stdout clean
    const truth = truthConversations(scope);
    const invalid = truthInvalidCount(scope);
    expect(invalid).toBeGreaterThan(0);
    expect(result.stderr).toMatch(new RegExp(`ultimate_conversations\\s+${truth.length.toLocaleString('en-US')} records`));
    expect(result.stderr).toMatch(new RegExp(`quarantined\\s+${invalid} records`));
    expect(result.stderr).toMatch(/days\/intervals loaded\s+12/);

    const [raw] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys FROM raw_ultimate_conversations');
    expect(raw).toEqual({ n: truth.length, keys: truth.length });
    const [q] = await query<{ n: number }>(database, "SELECT count(*) AS n FROM _parley_quarantine WHERE source_stream = 'ultimate_conversations'");
    expect(q!.n).toBe(invalid);
    const state = await query<{ state: string }>(database, "SELECT state::VARCHAR AS state FROM _parley_state WHERE stream = 'ultimate_conversations'");
    expect(JSON.parse(state[0]!.state)).toEqual({ bots: Object.fromEntries(bots.map((b) => [b, { loaded_through: yesterday }])) });
  });

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
        started_at: new Date(String(row!.started_at).replace(' ', 'T') + (String(row!.started_at).endsWith('Z') ? '' : 'Z')).toISOString(),
      }, c.conversation_id).toEqual({
        source_system: 'ultimate',
        first_intent: intents.first,
        last_intent: intents.last,
        first_meaningful_intent: intents.firstMeaningful,
        containment_outcome: containment(c.conversation_status),
        is_test: c.test_mode,
        visitor_messages_count: c.visitor_messages_count,
        started_at: c.conversation_start_time,
      });
    }
  });

  it('agg_bot_daily_metrics matches the seed metric definitions computed from the ground truth', async () => {
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
});
