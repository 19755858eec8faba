/**
 * A BigQuery sync killed at a certain point, then run again, on the emulator: Ultimate simulator →
 * `parley sync` (the real CLI, committing at every STATE) killed with SIGKILL where a failpoint holds
 * it (connector/core/failpoint.ts):
 *   - bigquery.loaded: the second commit with rows has its load jobs done, its script not begun;
 *   - bigquery.commit-partial: that commit's script stopped after its first k statements (the
 *     emulator keeps what ran; BigQuery would roll back: this is the harder case).
 * Each time earlier commits are in the raw table before the kill (partial > 0), the rerun leaves
 * exactly the ground truth (keys and values, no duplicate), the state says every day is loaded, and
 * the killed sync's stage tables are gone. One case runs on the bare emulator: no compatibility
 * front, so no 409 for a reused job id and nothing else the harness answers for it.
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { bigQueryClient } from '../../connector/destinations/bigquery/client.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, syncKilledAt, tempDir, writeJson } from '../helpers/cli.js';
import { ultimateLoadedThrough } from '../helpers/state.js';
import { truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';
import { startEmulator } from '../setup/bigquery-emulator.js';

const PROJECT = 'parley-crash';
const today = todayUtc();
const generator = { seed: 23, conversationsPerDay: 20, invalidEvery: 30 };
const bots = ['bq-crash-a', 'bq-crash-b'];
const scope: Scope = { bots, firstDay: addDays(today, -4), lastDay: addDays(today, -1), generator };

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let simulator: RunningUltimateSimulator;
let bigquery: BigQuery;

beforeAll(async () => {
  emulator = await startEmulator({ project: PROJECT });
  simulator = await startUltimateSimulator({ today, generator });
  bigquery = bigQueryClient({ type: 'bigquery', project_id: PROJECT, dataset: 'unused', location: 'US', api_endpoint: emulator.emulatorUrl });
});
afterAll(async () => {
  await simulator?.close();
  await emulator?.stop();
});

function syncConfig(dataset: string, endpoint: string): string {
  return writeJson(tempDir('bq-crash'), 'sync.json', {
    source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: scope.firstDay, lookback_days: 2 },
    destination: { type: 'bigquery', project_id: PROJECT, dataset, location: 'US', api_endpoint: endpoint, commit_seconds: 0 },
  });
}

async function select(sql: string): Promise<Record<string, unknown>[]> {
  return (await bigquery.query({ query: sql }))[0] as Record<string, unknown>[];
}

const conversationLine = (c: { bot_id: unknown; conversation_id: unknown; conversation_status: unknown; last_resolution: unknown }) =>
  `${String(c.bot_id)}|${String(c.conversation_id)}|${String(c.conversation_status)}|${String(c.last_resolution)}`;

async function conversations(dataset: string): Promise<string[]> {
  return (await select(`SELECT bot_id, conversation_id, conversation_status, last_resolution FROM \`${PROJECT}.${dataset}.raw_ultimate_conversations\``))
    .map((r) => conversationLine(r as Parameters<typeof conversationLine>[0]))
    .sort();
}

async function stageTables(dataset: string): Promise<string[]> {
  const [tables] = await bigquery.dataset(dataset).getTables();
  return tables.map((t) => t.id ?? '').filter((id) => id.startsWith('_parley_stage_'));
}

const cases = [
  { title: 'after the load jobs, before the commit script', point: 'bigquery.loaded@2', env: {}, bare: false },
  { title: 'inside the commit script, after its first MERGE', point: 'bigquery.commit-partial@2', env: { PARLEY_FAILPOINT_STATEMENTS: '1' }, bare: false },
  { title: 'inside the commit script, before its last statement, on the bare emulator', point: 'bigquery.commit-partial@2', env: {}, bare: true },
];

describe('Ultimate → BigQuery (emulator), killed at a certain point and rerun', () => {
  cases.forEach(({ title, point, env, bare }, i) => {
    it(`${title}: the rerun holds exactly the ground truth`, async () => {
      const dataset = `parley_crash_${i}`;
      const config = syncConfig(dataset, bare ? emulator.emulatorUrl : emulator.url);
      const truth = truthConversations(scope).map(conversationLine).sort();

      const killed = await syncKilledAt(config, point, { env });
      expect(killed.reached, killed.result.stderr).toBe(true);
      const partial = await conversations(dataset);
      expect(partial.length).toBeGreaterThan(0); // earlier commits are in
      expect(partial.length).toBeLessThan(truth.length);
      expect(new Set(partial).size).toBe(partial.length);
      expect(partial.every((line) => truth.includes(line))).toBe(true);
      expect(await stageTables(dataset)).not.toEqual([]); // the killed sync never dropped its stage tables
      // The commit it was killed in, checked on the rows its stage table holds (left behind by the kill):
      // none merged yet after the loads; all merged once the script's MERGE of that table ran.
      const stage = (await stageTables(dataset)).find((t) => t.endsWith('_raw_ultimate_conversations'))!;
      const unmerged = Number((await select(`SELECT COUNT(*) AS n FROM \`${PROJECT}.${dataset}.${stage}\` S WHERE NOT EXISTS (SELECT 1 FROM \`${PROJECT}.${dataset}.raw_ultimate_conversations\` T WHERE T.bot_id = S.bot_id AND T.conversation_id = S.conversation_id)`))[0]!.n);
      const ran = /statements ran: ([^)]*)\)/.exec(killed.result.stderr)?.[1] ?? '';
      if (point.startsWith('bigquery.loaded')) expect(unmerged).toBeGreaterThan(0);
      else {
        expect(ran).toMatch(/^MERGE raw_ultimate_conversations/);
        expect(unmerged).toBe(0);
      }
      process.stderr.write(`[crash ${point}${bare ? ' bare' : ''}] ${partial.length} of ${truth.length} conversations committed before the kill${ran ? ` (script: ${ran})` : ''}\n`);

      const rerun = await runCli(['sync', '--config', config]);
      expect(rerun.code, rerun.stderr).toBe(0);
      expect(rerun.stderr).toMatch(/dropping _parley_stage_\w+, left by a sync that did not finish/);
      expect(await conversations(dataset)).toEqual(truth);
      const quarantine = await select(`SELECT COUNT(*) AS n, COUNT(DISTINCT CONCAT(source_stream, '|', locator)) AS k FROM \`${PROJECT}.${dataset}._parley_quarantine\``);
      expect(quarantine.map((r) => [Number(r.n), Number(r.k)])).toEqual([[truthInvalidCount(scope), truthInvalidCount(scope)]]);
      const state = await select(`SELECT TO_JSON_STRING(state) AS s FROM \`${PROJECT}.${dataset}._parley_state\` WHERE stream = 'ultimate_conversations'`);
      expect(state.map((r) => JSON.parse(String(r.s)))).toEqual([ultimateLoadedThrough(bots, scope.lastDay)]);
      expect(await stageTables(dataset)).toEqual([]);
    }, 600_000); // under load (2 cores, other suites beside it) the bare-emulator case took 165 s
  });
});
