/**
 * Kore.ai under pressure, on real parts (the simulator over HTTP, `parley sync` processes, DuckDB
 * files), each checked against the generator's truth:
 *
 * - the rate budget: a sync that needs more requests per bot than its per-minute budget paces them
 *   (the simulator's rolling-minute peak of requests received never passes the budget, no 429), and
 *   the bots run side by side (one bot's wait does not hold the others);
 * - a 429 storm, 5xx answers and bodies cut off mid-way: retried (Retry-After honoured), nothing lost;
 * - SIGKILL after a commit and with records staged (named crash points), then a normal sync:
 *   exactly the truth, nothing duplicated.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startKoreSimulator, type KoreFaults, type RunningKoreSimulator } from '../../connector/simulators/kore/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { killAt } from '../helpers/crash-points.js';
import { query } from '../helpers/duckdb.js';
import { koreTruth } from '../helpers/kore-truth.js';

const HOUR = 3_600_000;
const clock = Date.now() - 2 * HOUR;
let simulator: RunningKoreSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function setup(
  name: string,
  options: { bots: string[]; days: number; generator: { seed: number; sessionsPerDay: number; invalidEvery?: number }; faults: Partial<KoreFaults>; source?: Record<string, unknown>; untilToday?: boolean },
) {
  simulator = await startKoreSimulator({ now: () => clock, generator: options.generator, faults: options.faults });
  const dir = tempDir(name);
  const database = path.join(dir, 'k.duckdb');
  const startDate = addDays(todayUtc(), -options.days);
  const config = writeJson(dir, 'sync.json', {
    source: { vendor: 'kore', base_url: simulator.url, client_id: 'sim-client-id', client_secret: 'sim-client-secret', bot_ids: options.bots, start_date: startDate, ...options.source },
    destination: { type: 'duckdb', path: database },
  });
  const untilMs = options.untilToday ? Math.min(clock + 1, Date.parse(`${todayUtc()}T00:00:00.000Z`)) : clock + 1;
  const truth = koreTruth({ botIds: options.bots, startDate, untilMs, asOfMs: clock, generator: options.generator });
  return { simulator, database, config, truth };
}

/** The warehouse holds exactly the truth's sessions and intent events, each once, and its quarantine. */
async function expectExactly(database: string, truth: ReturnType<typeof koreTruth>) {
  const [sessions] = await query<{ n: number; keys: number; active: number }>(
    database,
    'SELECT count(*) AS n, count(DISTINCT (bot_id, session_id)) AS keys, count(*) FILTER (WHERE ended_at IS NULL) AS active FROM raw_kore_sessions',
  );
  expect(sessions).toEqual({ n: truth.sessions.length, keys: truth.sessions.length, active: truth.sessions.filter((s) => s.endMs === null).length });
  const ids = new Set((await query<{ id: string }>(database, "SELECT bot_id || '|' || session_id AS id FROM raw_kore_sessions")).map((r) => r.id));
  for (const s of truth.sessions) expect(ids.has(`${s.botId}|${s.sessionId}`), s.sessionId).toBe(true);
  const [intents] = await query<{ success: number; fail: number; keys: number; n: number }>(
    database,
    "SELECT count(*) FILTER (WHERE kind = 'success') AS success, count(*) FILTER (WHERE kind = 'fail') AS fail, count(DISTINCT (bot_id, session_id, event_id)) AS keys, count(*) AS n FROM raw_kore_intents",
  );
  expect(intents).toEqual({ success: truth.intentRows.success, fail: truth.intentRows.fail, keys: intents!.n, n: truth.intentRows.success + truth.intentRows.fail });
  const [quarantine] = await query<{ n: number }>(database, "SELECT count(*) AS n FROM _parley_quarantine WHERE source_stream = 'kore_sessions'");
  expect(quarantine!.n).toBe(truth.invalid.length);
}

describe('Kore.ai rate budget', () => {
  it('paces each bot under its per-minute budget, bots side by side, and never meets a 429', async () => {
    const bots = ['st-rate-1', 'st-rate-2', 'st-rate-3'];
    const budget = 12;
    // One whole day (end_date: yesterday), pages of 8: more requests per bot than its budget a minute.
    const { database, config, truth } = await setup('kore-rate', {
      bots,
      days: 1,
      generator: { seed: 8, sessionsPerDay: 30 },
      faults: { limitCap: 8 },
      source: { max_requests_per_minute: budget, end_date: addDays(todayUtc(), -1) },
      untilToday: true,
    });
    const started = Date.now();
    const result = await runCli(['sync', '--config', config]);
    const seconds = (Date.now() - started) / 1000;
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    await expectExactly(database, truth);
    // A bot that needs n requests waits (ceil(n / budget) − 1) rolling minutes at least.
    const waits = bots.map((bot) => {
      const stats = simulator!.stats().bots[bot]!;
      expect(stats.requests, bot).toBeGreaterThan(budget); // the budget was binding
      expect(stats.peakSentPerMinute, bot).toBeLessThanOrEqual(budget);
      expect(stats.rateLimited, bot).toBe(0);
      return (Math.ceil(stats.requests / budget) - 1) * 60;
    });
    expect(seconds).toBeGreaterThanOrEqual(Math.max(...waits));
    // One bot after the other would take the sum of the waits; side by side, about the longest.
    expect(seconds).toBeLessThan(waits.reduce((a, b) => a + b, 0));
    expect(seconds).toBeLessThan(Math.max(...waits) + 30);
    // Progress says how far it is and how long is left.
    expect(result.stderr).toMatch(/\d+\/\d+ windows, .*about \d+ (s|min) left/);
  }, 240_000);

  it('a 429 storm (Retry-After honoured), 5xx answers and bodies cut off mid-way lose nothing', async () => {
    const bots = ['st-storm-1', 'st-storm-2'];
    const { database, config, truth, simulator: sim } = await setup('kore-storm', {
      bots,
      days: 2,
      generator: { seed: 9, sessionsPerDay: 30, invalidEvery: 15 },
      faults: { limitCap: 25, rateLimitStorm: 6, retryAfterSeconds: 1, serverErrorEvery: 7, truncateEvery: 5 },
    });
    const result = await runCli(['sync', '--config', config]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    await expectExactly(database, truth);
    const stats = sim.stats();
    expect(bots.reduce((n, b) => n + stats.bots[b]!.rateLimited, 0)).toBeGreaterThanOrEqual(6);
    expect(stats.serverErrors).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/Rate limit for this API has been reached/);
    expect(result.stderr).toMatch(/broke off or was not JSON/);
  }, 120_000);
});

describe('Kore.ai crash and resume', () => {
  it('SIGKILL after a commit, then with records staged, then a normal sync: exactly the truth', async () => {
    const bots = ['st-crash-1', 'st-crash-2', 'st-crash-3'];
    const { database, config, truth } = await setup('kore-crash', {
      bots,
      days: 5,
      generator: { seed: 10, sessionsPerDay: 30, invalidEvery: 25 },
      // Slow answers stretch the sync to ~8 s, past its first commit (DuckDB commits at a state 5 s
      // after the last); ~30 requests a bot stay inside the per-minute budget. The simulator's own
      // limit is not under test here.
      faults: { slowMs: 250, limitCap: 30, perMinute: 100_000, perHour: 100_000 },
    });
    const rows = truth.sessions.length + truth.intentRows.success + truth.intentRows.fail;
    const committed = async () => (await query<{ n: number }>(database, 'SELECT (SELECT count(*) FROM raw_kore_sessions) + (SELECT count(*) FROM raw_kore_intents) AS n'))[0]!.n;
    const first = await killAt('kore', config, 'commit.done@1', committed, rows); // the first commit returned
    const second = await killAt('kore', config, 'records.staged@1', committed, rows); // the resumed sync staged rows, its commit not begun
    expect(second.partial).toBeGreaterThanOrEqual(first.partial);

    const final = await runCli(['sync', '--config', config]);
    expect(final.code, final.stderr.slice(-3000)).toBe(0);
    await expectExactly(database, truth);
  }, 120_000);
});
