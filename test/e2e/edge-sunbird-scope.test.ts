/**
 * Sunbird UCI sync scope at its edges, through real syncs into DuckDB against the simulator (its
 * batch answering each request at once), with the truth from test/helpers/sunbird-truth.ts:
 * `end_date` bounds the windows requested and loaded, and a bot then added to `bot_ids` beside the
 * existing state gets its own requests from start_date while the first bot carries on from its
 * cursor — together exactly the truth. (One bot's request failing while the other loads:
 * sunbird-duckdb.test.ts, run 2.)
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { startSunbirdSimulator, type RunningSunbirdSimulator } from '../../connector/simulators/sunbird/server.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { sunbirdTruth, type SunbirdTruth } from '../helpers/sunbird-truth.js';

await clearOfMidnight(3 * 60_000);
const clock = Date.now() - 60_000;
const today = todayUtc(new Date(clock));
const startDate = addDays(today, -4);
const endDate = addDays(today, -3);
const generator = { seed: 29, conversationsPerDay: 10, v2From: addDays(today, -3), v3From: addDays(today, -2), invalidEvery: 15 };
let simulator: RunningSunbirdSimulator;

beforeAll(async () => {
  process.env.PARLEY_HTTP_RETRY_BASE_MS = '5';
  simulator = await startSunbirdSimulator({ now: () => clock, generator, batchEverySeconds: 'immediate' });
});
afterAll(async () => simulator?.close());

const sync = (database: string, source: Record<string, unknown>) =>
  runSync({
    source: { vendor: 'sunbird', base_url: simulator.baseUrl, api_key: 'sim-api-key', user_token: 'sim-user-token', channel_id: 'sim-channel', requested_by: 'edge-user', start_date: startDate, job_wait_seconds: 20, ...source },
    destination: { type: 'duckdb', path: database },
  });

async function expectTruth(database: string, truth: SunbirdTruth): Promise<void> {
  const raw = await query<{ k: string }>(
    database,
    "SELECT CASE WHEN message_id IS NULL THEN bot_id || '|' || device_id || '|' || epoch_ms(answered_at) || '|' || question_id ELSE bot_id || '|' || message_id END AS k FROM raw_sunbird_responses ORDER BY k",
  );
  expect(raw.map((r) => r.k)).toEqual([...truth.responses.keys()].sort());
  const windows = await query<{ k: string }>(database, "SELECT bot_id || '|' || strftime(window_start, '%Y-%m-%d') || '|' || status AS k FROM raw_sunbird_exhaust_windows ORDER BY k");
  expect(windows.map((w) => w.k)).toEqual(truth.windows.map((w) => `${w.botId}|${w.windowStart}|${w.status}`).sort());
  const [quarantined] = await query<{ n: number }>(database, "SELECT count(*)::INT AS n FROM _parley_quarantine WHERE source_stream = 'sunbird_responses'");
  expect(quarantined!.n).toBe(truth.quarantined.length);
}

describe('Sunbird: end_date, then a bot added to bot_ids', () => {
  it('requests and loads windows through end_date only; the added bot gets its own from start_date, the first carries on', async () => {
    const database = path.join(tempDir('sunbird-scope'), 's.duckdb');
    const summary = await sync(database, { bot_ids: ['sb-first'], end_date: endDate });
    expect(summary.jobsPending).toBe(0);
    const bounded = sunbirdTruth({ botIds: ['sb-first'], startDate, untilDay: addDays(endDate, 1), generator, asOfMs: clock });
    expect(bounded.responses.size).toBeGreaterThan(0);
    await expectTruth(database, bounded);
    expect(simulator.stats().jobsCreated).toBe(2); // two windows, none after end_date

    const again = await sync(database, { bot_ids: ['sb-first', 'sb-added'] });
    expect([again.jobsPending, again.warnings]).toEqual([0, []]);
    await expectTruth(database, sunbirdTruth({ botIds: ['sb-first', 'sb-added'], startDate, untilDay: today, generator, asOfMs: clock }));
    // sb-first asked only for its two new days, sb-added for all four.
    expect(simulator.stats().jobsCreated).toBe(2 + 2 + 4);
    const [row] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'sunbird_responses'");
    const partitions = (JSON.parse(row!.s) as { partitions: Record<string, { cursor?: string }> }).partitions;
    expect(Object.fromEntries(Object.entries(partitions).map(([bot, p]) => [bot, p.cursor]))).toEqual({ 'sb-first': `${today}T00:00:00.000Z`, 'sb-added': `${today}T00:00:00.000Z` });
  });
});
