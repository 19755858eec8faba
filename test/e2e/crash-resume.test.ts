/**
 * Kill a real `parley sync` process (SIGKILL, no chance to clean up) at each named crash point in
 * turn on the same DuckDB file, then let it finish: the file must hold exactly the ground truth —
 * nothing lost, nothing duplicated. The points (connector/core/failpoint.ts), in this order:
 *
 * - commit.done@1: the first commit (at a state, COMMIT_SECONDS = 5 s into the sync; the API's
 *   pace of 5 requests a second makes this sync's 30 export days take longer) has returned;
 * - download.mid-file@10: the resumed sync is inside a file (past the bots whose days are all
 *   committed: three re-read days each), its first records handed on, the rest not read;
 * - records.staged@1: the resumed sync has staged what it read, its commit not begun.
 *
 * After every kill some rows are committed (from the first) and not all.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { killAt } from '../helpers/crash-points.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 5, conversationsPerDay: 300, invalidEvery: 100 };
const bots = ['bot-1', 'bot-2', 'bot-3'];
const scope: Scope = { bots, firstDay: addDays(today, -10), lastDay: addDays(today, -1), generator };
let simulator: RunningUltimateSimulator;

beforeAll(async () => {
  simulator = await startUltimateSimulator({ today, generator, faults: { slowMs: 60 } });
});
afterAll(async () => simulator?.close());

describe('crash and resume', () => {
  it('SIGKILL after a commit, mid-download and with records staged, then a normal run: exactly the ground truth', async () => {
    const dir = tempDir('crash');
    const database = path.join(dir, 'c.duckdb');
    const config = writeJson(dir, 'sync.json', {
      source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: scope.firstDay },
      destination: { type: 'duckdb', path: database },
    });
    const truth = truthConversations(scope);
    const committed = async () => (await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_ultimate_conversations'))[0]!.n;
    const partials: number[] = [];
    for (const point of ['commit.done@1', 'download.mid-file@10', 'records.staged@1']) {
      partials.push((await killAt('ultimate', config, point, committed, truth.length)).partial);
    }
    // A kill never takes back what was committed.
    expect([...partials].sort((a, b) => a - b)).toEqual(partials);

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
