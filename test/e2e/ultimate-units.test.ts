/**
 * Units that never become ready, and one bot's outage, through a real sync into DuckDB: an export
 * day the API still does not serve past not_ready_grace_days is recorded as missing and passed
 * (with a warning), while a day inside the grace stops only its own bot; a bot whose API calls keep
 * failing fails alone — the other bots load and commit, and the sync ends with an error naming it.
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { startUltimateSimulator, type RunningUltimateSimulator, type UltimateSimulatorOptions } from '../../connector/simulators/ultimate/server.js';
import { tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { ultimateLoadedThrough } from '../helpers/state.js';
import { truthConversations, type Scope } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 9, conversationsPerDay: 15 };
const bots = ['steady-bot', 'new-bot'];
const firstDay = addDays(today, -7);
let simulator: RunningUltimateSimulator | undefined;

beforeAll(() => {
  process.env.PARLEY_HTTP_RETRY_BASE_MS = '5';
});
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function sync(database: string, options: UltimateSimulatorOptions, startDate = firstDay) {
  simulator = await startUltimateSimulator({ today, generator, ...options });
  const config = { source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: startDate }, destination: { type: 'duckdb' as const, path: database } };
  return runSync(config).then(
    (summary) => ({ summary, error: undefined }),
    (error: Error) => ({ summary: undefined, error }),
  );
}

const rawKeys = async (database: string) =>
  (await query<{ k: string }>(database, "SELECT bot_id || '|' || conversation_id AS k FROM raw_ultimate_conversations ORDER BY k")).map((r) => r.k);
const truthKeys = (scope: Scope, except: (bot: string, day: string) => boolean = () => false) =>
  truthConversations(scope)
    .filter((c) => !except(c.bot_id, c.conversation_end_time.slice(0, 10)))
    .map((c) => `${c.bot_id}|${c.conversation_id}`)
    .sort();

describe('Ultimate units that never become ready, and one bot failing', () => {
  it('a day not served past the grace is recorded missing and passed; a later sync loads it if it appears within the lookback', async () => {
    const database = path.join(tempDir('missing'), 'm.duckdb');
    // new-bot was created after start_date: its first five days are not built (the last one is, later).
    const never = [0, 1, 2, 3, 4].map((i) => addDays(firstDay, i));
    const { summary, error } = await sync(database, { notReadyBotDates: never.map((d) => `new-bot|${d}`) });
    expect(error).toBeUndefined();
    expect(summary!.warnings.filter((w) => /new-bot .*recorded as missing/.test(w))).toHaveLength(5);
    const scope: Scope = { bots, firstDay, lastDay: addDays(today, -1), generator };
    expect(await rawKeys(database)).toEqual(truthKeys(scope, (bot, day) => bot === 'new-bot' && never.includes(day)));

    const days = await query<{ bot_id: string; day: string; status: string; reason: string | null; conversation_count: number }>(
      database,
      "SELECT bot_id, strftime(export_date, '%Y-%m-%d') AS day, status, reason, conversation_count FROM raw_ultimate_export_days ORDER BY bot_id, day",
    );
    const missing = days.filter((d) => d.status === 'missing');
    expect(missing.map((d) => `${d.bot_id}|${d.day}`)).toEqual(never.map((d) => `new-bot|${d}`));
    for (const d of missing) expect([d.conversation_count, d.reason]).toEqual([0, expect.stringMatching(/not ready/)]);
    expect(days.filter((d) => d.status === 'loaded')).toHaveLength(7 + 2);
    // Both bots moved on to yesterday: the missing days no longer hold new-bot back.
    const [state] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations'");
    expect(JSON.parse(state!.s)).toEqual(ultimateLoadedThrough(bots, addDays(today, -1)));

    // The vendor builds the newest of them late: inside the lookback, the next sync loads it.
    await simulator!.close();
    const later = never.at(-1)!;
    await sync(database, { notReadyBotDates: never.slice(0, -1).map((d) => `new-bot|${d}`) });
    expect(await rawKeys(database)).toEqual(truthKeys(scope, (bot, day) => bot === 'new-bot' && never.slice(0, -1).includes(day)));
    const [row] = await query<{ status: string }>(database, `SELECT status FROM raw_ultimate_export_days WHERE bot_id = 'new-bot' AND export_date = DATE '${later}'`);
    expect(row!.status).toBe('loaded');
  });

  it('a day inside the grace stops only its own bot, which resumes from it next sync', async () => {
    const database = path.join(tempDir('grace'), 'g.duckdb');
    const late = addDays(today, -1);
    const { error } = await sync(database, { notReadyBotDates: [`new-bot|${late}`] });
    expect(error).toBeUndefined();
    const [state] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations'");
    expect(JSON.parse(state!.s)).toMatchObject({
      partitions: { 'steady-bot': { cursor: `${today}T00:00:00.000Z` }, 'new-bot': { cursor: `${late}T00:00:00.000Z` } },
    });
    expect((await query(database, "SELECT * FROM raw_ultimate_export_days WHERE status = 'missing'"))).toEqual([]);
    await simulator!.close();
    await sync(database, {});
    expect(await rawKeys(database)).toEqual(truthKeys({ bots, firstDay, lastDay: late, generator }));
  });

  it('a state older than the served history: the days out of reach are recorded missing with a warning, the rest loads', async () => {
    const database = path.join(tempDir('stale'), 's.duckdb');
    await sync(database, {});
    await simulator!.close();
    const stale = JSON.stringify({ parley_state: 2, source_instance: 'sim-org', partitions: Object.fromEntries(bots.map((b) => [b, { cursor: `${addDays(today, -35)}T00:00:00.000Z` }])) });
    const instance = await DuckDBInstance.create(database);
    const connection = await instance.connect();
    await connection.run(`UPDATE _parley_state SET state = '${stale}'::JSON WHERE stream IN ('ultimate_conversations', 'ultimate_export_days')`);
    connection.closeSync();
    instance.closeSync();
    // start_date 40 days back: the bots were loaded from then, and last synced 35 days ago.
    const { summary, error } = await sync(database, {}, addDays(today, -40));
    expect(error).toBeUndefined();
    expect(summary!.warnings.filter((w) => /no longer served/.test(w))).toHaveLength(bots.length * 5);
    const missing = await query<{ n: number; first: string; last: string }>(
      database,
      "SELECT count(*) AS n, strftime(min(export_date), '%Y-%m-%d') AS first, strftime(max(export_date), '%Y-%m-%d') AS last FROM raw_ultimate_export_days WHERE status = 'missing'",
    );
    expect(missing).toEqual([{ n: bots.length * 5, first: addDays(today, -35), last: addDays(today, -31) }]);
    const [loaded] = await query<{ n: number }>(database, "SELECT count(DISTINCT export_date) AS n FROM raw_ultimate_export_days WHERE status = 'loaded'");
    expect(loaded!.n).toBe(30);
  });

  it("one bot's outage: the other bot loads and commits, the sync fails naming the bot, and the next sync finishes the failed one", async () => {
    const database = path.join(tempDir('outage'), 'o.duckdb');
    const { error } = await sync(database, { faults: { failBot: 'new-bot' } });
    expect(error?.message).toMatch(/ultimate_conversations: 1 of 2 partitions failed — new-bot: Ultimate request failed after 6 attempts: .*500 Internal error exporting bot new-bot/);
    const scope: Scope = { bots, firstDay, lastDay: addDays(today, -1), generator };
    expect(await rawKeys(database)).toEqual(truthKeys(scope, (bot) => bot === 'new-bot'));
    const [state] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations'");
    expect(JSON.parse(state!.s).partitions).toEqual({ 'steady-bot': { cursor: `${today}T00:00:00.000Z` }, 'new-bot': {} });
    await simulator!.close();
    const again = await sync(database, {});
    expect(again.error).toBeUndefined();
    expect(await rawKeys(database)).toEqual(truthKeys(scope));
  });
});
