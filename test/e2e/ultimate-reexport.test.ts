/**
 * A conversation exported twice, the newer version arriving in a later sync: the first run loads
 * exports up to the day before yesterday; the second loads yesterday's, which holds conversations
 * re-opened from the day before (same id and start, a later end, a new status and intents). With
 * `incremental_overlap_minutes: 0` the incremental marts must show the newer version — the truth
 * (test/helpers/ultimate-truth.ts: newest export wins) — and equal a full refresh.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { containment, expectedIntents, exportedRecords, truthConversations, type Scope } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 11, conversationsPerDay: 15, edgeCases: true };
const bots = ['reopen-bot'];
const startDate = addDays(today, -4);
const NO_OVERLAP = ['--', '--vars', '{incremental_overlap_minutes: 0}'];

let simulator: RunningUltimateSimulator;
let dir: string;
let database: string;

beforeAll(async () => {
  simulator = await startUltimateSimulator({ today, generator });
  dir = tempDir('ultimate-reexport');
  database = path.join(dir, 'parley.duckdb');
});
afterAll(async () => simulator?.close());

function configFile(name: string, endDate?: string): string {
  const source = { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: startDate, lookback_days: 1, ...(endDate ? { end_date: endDate } : {}) };
  return writeJson(dir, `${name}.json`, { source, destination: { type: 'duckdb', path: database } });
}

async function run(args: string[]): Promise<string> {
  const result = await runCli(args, { timeoutMs: 900_000 });
  expect(result.code, result.stderr.slice(-3000)).toBe(0);
  return result.stderr;
}

type Row = { conversation_id: string; conversation_status: string | null; ended_at: string; first_intent: string | null; last_intent: string | null; containment_outcome: string | null };

async function expectFctIsTruth(scope: Scope): Promise<void> {
  const rows = await query<Row>(database, 'SELECT conversation_id, conversation_status, ended_at, first_intent, last_intent, containment_outcome FROM fct_conversations');
  const truth = truthConversations(scope);
  expect(rows).toHaveLength(truth.length);
  const byId = new Map(rows.map((r) => [r.conversation_id, r]));
  for (const c of truth) {
    const row = byId.get(c.conversation_id)!;
    const { first, last } = expectedIntents(c);
    expect({ ...row, ended_at: new Date(String(row.ended_at).replace(' ', 'T') + (String(row.ended_at).endsWith('Z') ? '' : 'Z')).toISOString() }, c.conversation_id).toEqual({
      conversation_id: c.conversation_id, conversation_status: c.conversation_status, ended_at: c.conversation_end_time,
      first_intent: first, last_intent: last, containment_outcome: containment(c.conversation_status),
    });
  }
}

describe('Ultimate: a conversation re-exported in a later sync', () => {
  it('the newer version replaces the older in the raw table and, incrementally, in the marts', async () => {
    const before: Scope = { bots, firstDay: startDate, lastDay: addDays(today, -2), generator };
    await run(['run', '--config', configFile('first', addDays(today, -2)), ...NO_OVERLAP]);
    await expectFctIsTruth(before);

    await run(['sync', '--config', configFile('second')]);
    const after: Scope = { ...before, lastDay: addDays(today, -1) };
    // Yesterday's export re-opens a conversation of the day before: loaded already, now newer.
    const older = new Map(truthConversations(before).map((c) => [c.conversation_id, c]));
    const reopened = truthConversations(after).filter((c) => older.has(c.conversation_id) && c.conversation_end_time > older.get(c.conversation_id)!.conversation_end_time);
    expect(reopened).toHaveLength(1);
    expect(exportedRecords(after).length).toBeGreaterThan(truthConversations(after).length);
    const [raw] = await query<{ export_date: string }>(database, `SELECT export_date::VARCHAR AS export_date FROM raw_ultimate_conversations WHERE conversation_id = '${reopened[0]!.conversation_id}'`);
    expect(raw!.export_date).toBe(addDays(today, -1));

    const incremental = await run(['transform', '--config', configFile('second'), ...NO_OVERLAP]);
    expect(Number(/fct_conversations: rebuilding (\d+) day/.exec(incremental)?.[1])).toBeLessThanOrEqual(3);
    await expectFctIsTruth(after);
    const snapshot = async () =>
      JSON.stringify(await query(database, 'SELECT * EXCLUDE (loaded_at) FROM fct_conversations ORDER BY conversation_id')) +
      JSON.stringify(await query(database, 'SELECT * EXCLUDE (loaded_at) FROM agg_bot_daily_metrics ORDER BY bot_id, conversation_date')) +
      JSON.stringify(await query(database, 'SELECT * FROM agg_first_meaningful_intent_metrics ORDER BY bot_id, first_meaningful_intent'));
    const afterIncremental = await snapshot();
    await run(['transform', '--config', configFile('second'), '--', '--full-refresh']);
    expect(await snapshot()).toBe(afterIncremental);
  }, 1_800_000);
});
