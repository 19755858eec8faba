/**
 * Kore.ai sync scope at its edges, through real syncs into DuckDB against the simulator (its clock
 * fixed two hours back), with the truth from test/helpers/kore-truth.ts: `end_date` bounds the
 * sessions loaded to its last UTC day, and a bot then added to `bot_ids` beside the existing state
 * loads from start_date while the first bot carries on from its cursor — together exactly the truth.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { startKoreSimulator, type RunningKoreSimulator } from '../../connector/simulators/kore/server.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { koreTruth } from '../helpers/kore-truth.js';

await clearOfMidnight(2 * 60_000);
const clock = Date.now() - 2 * 3_600_000;
const today = todayUtc(new Date(clock));
const startDate = addDays(today, -3);
const endDate = addDays(today, -2);
const generator = { seed: 41, sessionsPerDay: 12, invalidEvery: 9 };
const midnight = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
let simulator: RunningKoreSimulator;

beforeAll(async () => {
  process.env.PARLEY_HTTP_RETRY_BASE_MS = '5';
  simulator = await startKoreSimulator({ now: () => clock, generator });
});
afterAll(async () => simulator?.close());

const sync = (database: string, source: Record<string, unknown>) =>
  runSync({ source: { vendor: 'kore', base_url: simulator.url, client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate, ...source }, destination: { type: 'duckdb', path: database } });
const sessionKeys = async (database: string) =>
  (await query<{ k: string }>(database, "SELECT bot_id || '|' || session_id AS k FROM raw_kore_sessions ORDER BY k")).map((r) => r.k);
const quarantined = async (database: string) =>
  (await query<{ n: number }>(database, "SELECT count(*)::INT AS n FROM _parley_quarantine WHERE source_stream = 'kore_sessions'"))[0]!.n;
const cursorsOf = async (database: string) => {
  const [row] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'kore_sessions'");
  return Object.fromEntries(Object.entries((JSON.parse(row!.s) as { partitions: Record<string, { cursor?: string }> }).partitions).map(([bot, p]) => [bot, p.cursor]));
};

describe('Kore: end_date, then a bot added to bot_ids', () => {
  it('loads sessions through end_date only; the added bot loads from start_date, the first carries on', async () => {
    const database = path.join(tempDir('kore-scope'), 'k.duckdb');
    const bounded = koreTruth({ botIds: ['st-first'], startDate, untilMs: midnight(addDays(endDate, 1)), asOfMs: clock, generator });
    expect(bounded.sessions.length).toBeGreaterThan(0);
    await sync(database, { bot_ids: ['st-first'], end_date: endDate });
    expect(await sessionKeys(database)).toEqual(bounded.sessions.map((s) => `${s.botId}|${s.sessionId}`).sort());
    expect(await quarantined(database)).toBe(bounded.invalid.length);
    expect(await cursorsOf(database)).toEqual({ 'st-first': new Date(midnight(addDays(endDate, 1))).toISOString() });

    const summary = await sync(database, { bot_ids: ['st-first', 'st-added'] });
    expect(summary.warnings).toEqual([]);
    const all = koreTruth({ botIds: ['st-first', 'st-added'], startDate, untilMs: clock + 1, asOfMs: clock, generator });
    expect(await sessionKeys(database)).toEqual(all.sessions.map((s) => `${s.botId}|${s.sessionId}`).sort());
    expect(await quarantined(database)).toBe(all.invalid.length);
    // Both bots reached the same closed window: the one that contains the simulator's clock starts there.
    const cursors = await cursorsOf(database);
    expect(Object.keys(cursors).sort()).toEqual(['st-added', 'st-first']);
    expect(cursors['st-added']).toBe(cursors['st-first']);
    expect(cursors['st-first']! > new Date(midnight(addDays(endDate, 1))).toISOString()).toBe(true);
  });
});
