/**
 * Kill a real `parley sync` process (SIGKILL, no chance to clean up) at several moments, then let it
 * finish: the DuckDB file must hold exactly the ground truth — nothing lost, nothing duplicated.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, syncKilledAfter, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 5, conversationsPerDay: 300, invalidEvery: 100 };
const bots = ['bot-1', 'bot-2', 'bot-3'];
const scope: Scope = { bots, firstDay: addDays(today, -10), lastDay: addDays(today, -1), generator };
let simulator: RunningUltimateSimulator;

beforeAll(async () => {
  // Slow answers stretch the sync over a few seconds, so the kills land mid-way at different points.
  simulator = await startUltimateSimulator({ today, generator, faults: { slowMs: 60 } });
});
afterAll(async () => simulator?.close());

describe('crash and resume', () => {
  it('SIGKILL at any point, then a normal run: exactly the ground truth', async () => {
    const dir = tempDir('crash');
    const database = path.join(dir, 'c.duckdb');
    const config = writeJson(dir, 'sync.json', {
      source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: scope.firstDay },
      destination: { type: 'duckdb', path: database },
    });
    let kills = 0;
    for (const ms of [700, 1300, 1900, 2600]) {
      if (await syncKilledAfter(config, ms)) kills++;
    }
    expect(kills).toBeGreaterThanOrEqual(3); // the kills really interrupted syncs in progress
    const [partial] = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_ultimate_conversations');
    const truth = truthConversations(scope);
    expect(partial!.n).toBeLessThan(truth.length);

    const final = await runCli(['sync', '--config', config]);
    expect(final.code, final.stderr).toBe(0);
    const [raw] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys FROM raw_ultimate_conversations');
    expect(raw).toEqual({ n: truth.length, keys: truth.length });
    const [q] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (source_stream, locator)) AS keys FROM _parley_quarantine');
    expect(q).toEqual({ n: truthInvalidCount(scope), keys: truthInvalidCount(scope) });
    const [days] = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_ultimate_export_days');
    expect(days!.n).toBe(bots.length * 10);
  });
});
