/**
 * Ultimate sync scope at its edges, through real syncs into DuckDB against the simulator, with the
 * truth from test/helpers/ultimate-truth.ts: `end_date` bounds a backfill (and a later sync without
 * it carries on from there); a bot added to `bot_ids` beside existing state loads from start_date
 * while the others carry on from their cursors; and added once start_date has fallen out of the
 * served history, it loads what is served — the older days recorded missing with a warning —
 * instead of failing every bot's sync. (Not-ready days and stale state: ultimate-units.test.ts.)
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { ultimateLoadedThrough } from '../helpers/state.js';
import { exportDays, truthConversations, type Scope } from '../helpers/ultimate-truth.js';

await clearOfMidnight(2 * 60_000);
const today = todayUtc();
const generator = { seed: 23, conversationsPerDay: 10 };
let simulator: RunningUltimateSimulator | undefined;

beforeAll(() => {
  process.env.PARLEY_HTTP_RETRY_BASE_MS = '5';
});
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function sync(database: string, source: Record<string, unknown>, now?: Date) {
  simulator ??= await startUltimateSimulator({ today, generator });
  const config = { source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', ...source }, destination: { type: 'duckdb' as const, path: database } };
  return runSync(config, now ? { now } : {});
}
const rawKeys = async (database: string) =>
  (await query<{ k: string }>(database, "SELECT bot_id || '|' || conversation_id AS k FROM raw_ultimate_conversations ORDER BY k")).map((r) => r.k);
const truthKeys = (...scopes: Scope[]) => scopes.flatMap((s) => truthConversations(s)).map((c) => `${c.bot_id}|${c.conversation_id}`).sort();
const exportDayRows = async (database: string) =>
  (await query<{ k: string }>(database, "SELECT bot_id || '|' || strftime(export_date, '%Y-%m-%d') || '|' || status AS k FROM raw_ultimate_export_days ORDER BY k")).map((r) => r.k);
const state = async (database: string) =>
  JSON.parse((await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations'"))[0]!.s) as unknown;
const dayRows = (bots: string[], first: string, last: string, status = 'loaded') => bots.flatMap((b) => exportDays({ bots: [b], firstDay: first, lastDay: last, generator }).map((d) => `${b}|${d}|${status}`));

describe('Ultimate: end_date and bots added to bot_ids', () => {
  it('end_date bounds the backfill; a later sync without it carries on to yesterday', async () => {
    const database = path.join(tempDir('u-end'), 'e.duckdb');
    const bots = ['end-bot-1', 'end-bot-2'];
    const first = addDays(today, -6);
    const end = addDays(today, -3);
    await sync(database, { bot_ids: bots, start_date: first, end_date: end });
    expect(await rawKeys(database)).toEqual(truthKeys({ bots, firstDay: first, lastDay: end, generator }));
    expect(await exportDayRows(database)).toEqual(dayRows(bots, first, end).sort());
    expect(await state(database)).toEqual(ultimateLoadedThrough(bots, end));
    // The signed-URL requests never went past end_date.
    expect(simulator!.stats().signedUrlRequests.filter((r) => r.date > end)).toEqual([]);

    await sync(database, { bot_ids: bots, start_date: first, lookback_days: 0 });
    expect(await rawKeys(database)).toEqual(truthKeys({ bots, firstDay: first, lastDay: addDays(today, -1), generator }));
    expect(await state(database)).toEqual(ultimateLoadedThrough(bots, addDays(today, -1)));
  });

  it('a bot added beside existing state loads from start_date; the others carry on from their cursors', async () => {
    const database = path.join(tempDir('u-added'), 'a.duckdb');
    const start = addDays(today, -5);
    await sync(database, { bot_ids: ['old-bot'], start_date: start, end_date: addDays(today, -2) });
    simulator!.resetStats();
    const summary = await sync(database, { bot_ids: ['old-bot', 'added-bot'], start_date: start, lookback_days: 0 });
    expect(summary.warnings).toEqual([]);
    const all = { bots: ['old-bot', 'added-bot'], firstDay: start, lastDay: addDays(today, -1), generator };
    expect(await rawKeys(database)).toEqual(truthKeys(all));
    expect(await exportDayRows(database)).toEqual(dayRows(all.bots, start, all.lastDay).sort());
    expect(await state(database)).toEqual(ultimateLoadedThrough(all.bots, all.lastDay));
    // old-bot asked only for its one new day; added-bot for every day from start_date.
    const asked = simulator!.stats().signedUrlRequests.map((r) => `${r.botId}|${r.date}`).sort();
    expect(asked).toEqual([`old-bot|${all.lastDay}`, ...exportDays({ ...all, bots: ['added-bot'] }).map((d) => `added-bot|${d}`)].sort());
  });

  it('a bot added after start_date left the served history loads what is served, the older days recorded missing, without failing the others', async () => {
    const database = path.join(tempDir('u-added-old'), 'o.duckdb');
    const start = addDays(today, -33);
    // Three days ago old-bot synced from start_date (then just inside the served history) through the day before.
    simulator = await startUltimateSimulator({ today: addDays(today, -3), generator, historyDays: 30 });
    await sync(database, { bot_ids: ['old-bot'], start_date: start }, new Date(`${addDays(today, -3)}T12:00:00.000Z`));
    await simulator.close();
    simulator = undefined;
    expect(await state(database)).toEqual(ultimateLoadedThrough(['old-bot'], addDays(today, -4)));

    const summary = await sync(database, { bot_ids: ['old-bot', 'added-bot'], start_date: start, lookback_days: 0 });
    const earliest = addDays(today, -30);
    const lost = exportDays({ bots: ['added-bot'], firstDay: start, lastDay: addDays(earliest, -1), generator });
    expect(lost).toHaveLength(3);
    expect(summary.warnings.filter((w) => /added-bot .*no longer served/.test(w))).toHaveLength(lost.length);
    expect(await rawKeys(database)).toEqual(
      truthKeys({ bots: ['old-bot'], firstDay: start, lastDay: addDays(today, -1), generator }, { bots: ['added-bot'], firstDay: earliest, lastDay: addDays(today, -1), generator }),
    );
    expect(await exportDayRows(database)).toEqual(
      [...dayRows(['old-bot'], start, addDays(today, -1)), ...dayRows(['added-bot'], start, addDays(earliest, -1), 'missing'), ...dayRows(['added-bot'], earliest, addDays(today, -1))].sort(),
    );
    expect(await state(database)).toEqual(ultimateLoadedThrough(['old-bot', 'added-bot'], addDays(today, -1)));
  });
});
