/**
 * Kore.ai end to end on real parts: the simulator over HTTP (JWT checked, pages capped by the
 * server, newest first, three containment types with casing variants, getAnalytics' rtm-only
 * default) → `parley run` (sync into a DuckDB file + the real dbt CLI) → raw tables and marts
 * checked against the generator's truth (test/helpers/kore-truth.ts, computed on its own).
 *
 * The simulator's clock is fixed in the past (about 2 h ago, then an hour later), the connector runs on
 * real time: it reads up to now, so the simulator's clock alone decides what exists — the truth is
 * exact. The second run moves the clock an hour: sessions active at the first read come back
 * closed, the lookback windows and the open window are read again, and incremental marts equal a
 * full refresh.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { sessionsStartingOn } from '../../connector/simulators/kore/generator.js';
import { startKoreSimulator, type RunningKoreSimulator } from '../../connector/simulators/kore/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { koreTruth, type KoreScope } from '../helpers/kore-truth.js';
import { cursors } from '../helpers/state.js';

const HOUR = 3_600_000;
const realNow = Date.now();
const startDate = addDays(todayUtc(new Date(realNow)), -3);
const bots = ['st-e2e-support', 'st-e2e-sales', 'st-e2e-voice'];
const generator = { seed: 31, sessionsPerDay: 24, invalidEvery: 20 };
/**
 * The simulator's first clock: the first minute between 3 h and 1.5 h ago at which some session is
 * running that ends within the hour (the generator says so), so the second run has one to close.
 */
function firstClock(): number {
  const running = [-1, 0].flatMap((d) => bots.flatMap((bot) => sessionsStartingOn(bot, addDays(todayUtc(new Date(realNow)), d), generator).map((s) => s.truth)));
  for (let t = realNow - 3 * HOUR; t <= realNow - 1.5 * HOUR; t += 60_000) {
    if (running.some((s) => !s.invalid && s.startMs <= t && s.endMs > t && s.endMs <= t + HOUR)) return t;
  }
  throw new Error('no session runs in the 90 minutes scanned: change the generator seed');
}
let clock = firstClock();

let simulator: RunningKoreSimulator;
let database: string;
let configFile: string;
let instance: string;

beforeAll(async () => {
  // limitCap 40: asked for 100, the server sends 40 — paging must advance by what arrived.
  simulator = await startKoreSimulator({ now: () => clock, generator, faults: { limitCap: 40 } });
  instance = `${new URL(simulator.url).host}/sim-client-id`;
  const dir = tempDir('kore-e2e');
  database = path.join(dir, 'parley.duckdb');
  configFile = writeJson(dir, 'sync.json', {
    source: { vendor: 'kore', base_url: simulator.url, client_id: 'sim-client-id', client_secret: 'sim-client-secret', bot_ids: bots, start_date: startDate, pii: 'hash', pii_key: 'kore-e2e-key' },
    destination: { type: 'duckdb', path: database },
  });
});
afterAll(async () => simulator?.close());

const scopeAt = (asOfMs: number): KoreScope => ({ botIds: bots, startDate, untilMs: asOfMs + 1, asOfMs, generator });
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Raw sessions and the conversation mart, row by row, against the truth as of `asOfMs`. */
async function expectMatchesTruth(asOfMs: number): Promise<{ active: number }> {
  const truth = koreTruth(scopeAt(asOfMs));
  const [raw] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (bot_id, session_id)) AS keys FROM raw_kore_sessions');
  expect(raw).toEqual({ n: truth.sessions.length, keys: truth.sessions.length });

  const rows = await query<Record<string, unknown>>(
    database,
    `SELECT bot_id, conversation_id, started_at, ended_at, channel, language, is_test, containment_outcome, first_intent, last_intent,
            first_meaningful_intent, not_understood_messages_count
       FROM fct_conversations WHERE source_system = 'kore'`,
  );
  expect(rows).toHaveLength(truth.sessions.length);
  const byKey = new Map(rows.map((r) => [`${String(r.bot_id)}|${String(r.conversation_id)}`, r]));
  let active = 0;
  for (const t of truth.sessions) {
    const row = byKey.get(`${t.botId}|${t.sessionId}`);
    expect(row, t.sessionId).toBeDefined();
    if (t.containment === null) active++;
    expect(
      {
        started_at: row!.started_at,
        ended_at: row!.ended_at ?? null,
        channel: row!.channel,
        language: row!.language,
        is_test: row!.is_test,
        containment_outcome: row!.containment_outcome ?? null,
        first_intent: row!.first_intent ?? null,
        last_intent: row!.last_intent ?? null,
        first_meaningful_intent: row!.first_meaningful_intent ?? null,
        not_understood_messages_count: Number(row!.not_understood_messages_count ?? 0),
      },
      `${t.botId} ${t.sessionId}`,
    ).toEqual({
      started_at: iso(t.startMs),
      ended_at: iso(t.endMs),
      channel: t.channel,
      language: t.language,
      is_test: t.isTest,
      containment_outcome: t.containment,
      first_intent: t.firstIntent,
      last_intent: t.lastIntent,
      first_meaningful_intent: t.firstMeaningfulIntent,
      not_understood_messages_count: t.notUnderstoodMessages,
    });
  }

  // Daily metrics: one row per (bot, start day) with test sessions left out (the default vars).
  const daily = await query<{ bot_id: string; day: string; total: number; escalation_rate: number | null }>(
    database,
    "SELECT bot_id, strftime(conversation_date, '%Y-%m-%d') AS day, total_conversations AS total, escalation_rate FROM agg_bot_daily_metrics WHERE source_system = 'kore' AND total_conversations > 0",
  );
  const expected = new Map<string, { total: number; escalated: number }>();
  for (const t of truth.sessions.filter((s) => !s.isTest)) {
    const key = `${t.botId}|${iso(t.startMs)!.slice(0, 10)}`;
    const entry = expected.get(key) ?? { total: 0, escalated: 0 };
    entry.total++;
    if (t.containment === 'escalated') entry.escalated++;
    expected.set(key, entry);
  }
  expect(daily).toHaveLength(expected.size);
  for (const d of daily) {
    const e = expected.get(`${d.bot_id}|${d.day}`)!;
    expect({ total: d.total, escalation_rate: d.escalation_rate }, `${d.bot_id} ${d.day}`).toEqual({ total: e.total, escalation_rate: e.escalated / e.total });
  }
  return { active };
}

describe('Kore.ai → DuckDB → dbt (parley run)', () => {
  it('loads every session and intent event once, quarantines the broken ones, hashes personal ids, and the marts match the truth', async () => {
    const result = await runCli(['run', '--config', configFile]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const truth = koreTruth(scopeAt(clock));

    const { active } = await expectMatchesTruth(clock);
    expect(active).toBeGreaterThan(0); // sessions still running at the simulator's clock
    // Every containment type was asked per window, and the server capped the pages.
    for (const bot of bots) {
      const stats = simulator.stats().bots[bot]!;
      expect(stats.getSessions.dropOff).toBe(stats.getSessions.selfService);
      expect(stats.getSessions.all).toBe(0);
      expect(stats.cappedPages).toBeGreaterThan(0);
      expect(stats.rateLimited).toBe(0);
    }
    expect(simulator.stats().unauthorized).toBe(0);
    expect(simulator.stats().maxTokenLifetimeSeconds).toBeLessThanOrEqual(3600);

    // Intent events of every channel (not only getAnalytics' rtm default), each once.
    const kinds = await query<{ kind: string; n: number }>(database, 'SELECT kind, count(*) AS n FROM raw_kore_intents GROUP BY kind ORDER BY kind');
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.n]))).toEqual({ fail: truth.intentRows.fail, success: truth.intentRows.success });
    const [channels] = await query<{ n: number }>(database, "SELECT count(DISTINCT channel) AS n FROM raw_kore_intents WHERE channel <> 'rtm'");
    expect(channels!.n).toBeGreaterThan(0);

    const [quarantine] = await query<{ n: number }>(database, "SELECT count(*) AS n FROM _parley_quarantine WHERE source_stream = 'kore_sessions' AND reason LIKE 'start_time:%'");
    expect(quarantine!.n).toBe(truth.invalid.length);
    expect(truth.invalid.length).toBeGreaterThan(0);
    expect(result.stderr).toMatch(new RegExp(`quarantined\\s+${truth.invalid.length} records`));

    // Personal user ids (e-mail, phone) are nowhere in the warehouse as they were.
    expect(truth.personalUserIds.length).toBeGreaterThan(0);
    const text = (await query<{ t: string }>(database, "SELECT string_agg(record::VARCHAR || coalesce(user_id, ''), '') AS t FROM (SELECT record, user_id FROM raw_kore_sessions UNION ALL SELECT record, user_id FROM raw_kore_intents)"))[0]!.t;
    const quarantined = (await query<{ t: string }>(database, "SELECT coalesce(string_agg(raw_text, ''), '') AS t FROM _parley_quarantine"))[0]!.t;
    for (const id of truth.personalUserIds) {
      expect(text.includes(id), id).toBe(false);
      expect(quarantined.includes(id), id).toBe(false);
    }
    expect(text).toMatch(/hmac:[0-9a-f]{64}/); // pii "hash": HMAC-SHA256 under pii_key
    expect(text).not.toMatch(/"utterance"/);

    // The cursor of each bot is at the last closed window before now: the open one is not checkpointed.
    const [state] = await query<{ state: string }>(database, "SELECT state::VARCHAR AS state FROM _parley_state WHERE stream = 'kore_sessions'");
    const floor = new Date(Math.floor((Date.now() - Date.parse(`${startDate}T00:00:00.000Z`)) / (24 * HOUR)) * 24 * HOUR + Date.parse(`${startDate}T00:00:00.000Z`)).toISOString();
    expect(JSON.parse(state!.state)).toEqual(cursors(instance, Object.fromEntries(bots.map((b) => [b, floor]))));

    // Windows: settled once read lookback_hours (48) after their end; is_complete follows.
    const windows = await query<{ start: string; settled: boolean }>(database, "SELECT DISTINCT strftime(window_start, '%Y-%m-%d') AS start, settled FROM raw_kore_session_windows ORDER BY start");
    expect(windows.map((w) => w.start)).toEqual([0, 1, 2].map((i) => addDays(startDate, i)));
    for (const w of windows) expect(w.settled, w.start).toBe(Date.parse(`${w.start}T00:00:00.000Z`) + 24 * HOUR + 48 * HOUR <= Date.now());
    const complete = await query<{ day: string; complete: boolean }>(database, "SELECT DISTINCT strftime(conversation_date, '%Y-%m-%d') AS day, is_complete AS complete FROM agg_bot_daily_metrics WHERE source_system = 'kore' ORDER BY day");
    const settledDays = new Set(windows.filter((w) => w.settled).map((w) => w.start));
    for (const { day, complete: isComplete } of complete) expect(isComplete, day).toBe(settledDays.has(day));
  });

  it('an hour later: active sessions come back closed, only the lookback and new windows are read, and incremental marts equal a full refresh', async () => {
    const firstClock = clock;
    clock += HOUR;
    simulator.resetStats();
    const result = await runCli(['run', '--config', configFile]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);

    const wereActive = koreTruth(scopeAt(firstClock)).sessions.filter((s) => s.containment === null);
    const now = new Map(koreTruth(scopeAt(clock)).sessions.map((s) => [s.sessionId, s]));
    const closed = wereActive.filter((s) => now.get(s.sessionId)!.containment !== null);
    expect(closed.length).toBeGreaterThan(0);
    await expectMatchesTruth(clock);

    // Lookback 48 h = two windows re-read, then the open one: three getSessions rounds per bot.
    for (const bot of bots) expect(simulator.stats().bots[bot]!.getSessions.agent).toBeLessThanOrEqual(3 * 2);

    const snapshot = async () =>
      JSON.stringify(await query(database, "SELECT * EXCLUDE (loaded_at) FROM agg_bot_daily_metrics WHERE source_system = 'kore' ORDER BY bot_id, conversation_date")) +
      JSON.stringify(await query(database, "SELECT * EXCLUDE (loaded_at) FROM fct_conversations WHERE source_system = 'kore' ORDER BY bot_id, conversation_id"));
    const incremental = await snapshot();
    const full = await runCli(['transform', '--config', configFile, '--', '--full-refresh']);
    expect(full.code, full.stderr.slice(-3000)).toBe(0);
    expect(await snapshot()).toBe(incremental);
  }, 600_000); // a run and a full-refresh dbt build: over two minutes on 2 shared cores
});
