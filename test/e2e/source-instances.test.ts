/**
 * Source instances, through real syncs into one DuckDB file:
 * - a warehouse written by Parley 0.1 (its DDL: test/fixtures/parley-0.1/duckdb.sql; no
 *   source_instance, one state row per stream) keeps working: the first sync adopts its rows and
 *   state, continues from its cursor, and upserts onto its rows instead of duplicating them;
 * - two Ultimate organisations with the same bot ids and conversation ids, and two Genesys orgs,
 *   in one warehouse: neither shares a cursor with nor overwrites the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations as genesysTruth, valid } from '../helpers/genesys-truth.js';
import { ultimateLoadedThrough } from '../helpers/state.js';
import { truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';

const today = todayUtc();
const generator = { seed: 17, conversationsPerDay: 20, invalidEvery: 30 };
const bots = ['support-bot', 'sales-bot'];
const firstDay = addDays(today, -6);
const scope: Scope = { bots, firstDay, lastDay: addDays(today, -1), generator };
let ours: RunningUltimateSimulator;
let theirs: RunningUltimateSimulator;

beforeAll(async () => {
  process.env.PARLEY_HTTP_RETRY_BASE_MS = '5';
  ours = await startUltimateSimulator({ today, generator });
  theirs = await startUltimateSimulator({ today, generator, organizationId: 'other-org' }); // same bots, same conversations
});
afterAll(async () => {
  await ours?.close();
  await theirs?.close();
});

const ultimate = (simulator: RunningUltimateSimulator, organization: string, database: string) =>
  runSync({
    source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: organization, bot_ids: bots, start_date: firstDay, lookback_days: 3 },
    destination: { type: 'duckdb', path: database },
  });

async function sql(database: string, statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(database);
  const connection = await instance.connect();
  try {
    for (const statement of statements) await connection.run(statement);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('a warehouse of Parley 0.1', () => {
  it('is adopted by the first sync: rows and state get the instance, the cursor carries on, nothing is duplicated', async () => {
    // What Parley 0.1 had loaded: every export day up to three days ago, from a sync made now.
    const source = path.join(tempDir('v01-source'), 'now.duckdb');
    await ultimate(ours, 'sim-org', source);
    const loadedThrough = addDays(today, -3);
    const database = path.join(tempDir('v01'), 'old.duckdb');
    const legacyState = JSON.stringify({ bots: Object.fromEntries(bots.map((b) => [b, { loaded_through: loadedThrough }])) }).replaceAll("'", "''");
    const conversationColumns = 'bot_id, conversation_id, export_date, bot_name, platform_conversation_id, conversation_start_time, conversation_end_time, language, channel, test_mode, conversation_status, last_resolution, is_llm_conversation, bot_messages_count, visitor_messages_count, not_understood_messages_count, triggered_intent_replies, record, _extracted_at, _sync_id';
    await sql(database, [
      fs.readFileSync(path.join(ROOT, 'test/fixtures/parley-0.1/duckdb.sql'), 'utf8'),
      `ATTACH '${source}' AS now_db (READ_ONLY)`,
      `INSERT INTO raw_ultimate_conversations (${conversationColumns}) SELECT ${conversationColumns} FROM now_db.raw_ultimate_conversations WHERE export_date <= DATE '${loadedThrough}'`,
      `INSERT INTO raw_ultimate_export_days SELECT bot_id, export_date, file_count, conversation_count, quarantined_count, record, _extracted_at, _sync_id FROM now_db.raw_ultimate_export_days WHERE export_date <= DATE '${loadedThrough}'`,
      `INSERT INTO _parley_quarantine SELECT source_stream, locator, reason, raw_text, _extracted_at, _sync_id FROM now_db._parley_quarantine`,
      `INSERT INTO _parley_state VALUES ('ultimate_conversations', '${legacyState}', now()::TIMESTAMP, 'v01'), ('ultimate_export_days', '${legacyState}', now()::TIMESTAMP, 'v01')`,
    ]);
    const [before] = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_ultimate_conversations');
    expect(before!.n).toBeGreaterThan(0);

    ours.resetStats();
    const summary = await ultimate(ours, 'sim-org', database);
    expect(summary.warnings).toEqual([]);
    // The 0.1 cursor carried on: its last three days again (lookback) and the two after it.
    const asked = [...new Set(ours.stats().signedUrlRequests.map((r) => r.date))].sort();
    expect(asked).toEqual([-5, -4, -3, -2, -1].map((i) => addDays(today, i)));

    const truth = truthConversations(scope);
    const [raw] = await query<{ n: number; keys: number; unowned: number }>(
      database,
      "SELECT count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys, count(*) FILTER (WHERE source_instance IS DISTINCT FROM 'sim-org') AS unowned FROM raw_ultimate_conversations",
    );
    expect(raw).toEqual({ n: truth.length, keys: truth.length, unowned: 0 });
    const [quarantine] = await query<{ n: number; unowned: number }>(database, "SELECT count(*) AS n, count(*) FILTER (WHERE source_instance IS DISTINCT FROM 'sim-org') AS unowned FROM _parley_quarantine");
    expect(quarantine).toEqual({ n: truthInvalidCount(scope), unowned: 0 });
    const states = await query<{ source_instance: string | null; stream: string; s: string }>(database, 'SELECT source_instance, stream, state::VARCHAR AS s FROM _parley_state ORDER BY stream');
    expect(states.map((s) => [s.source_instance, s.stream])).toEqual([
      ['sim-org', '_parley_quarantine'],
      ['sim-org', 'ultimate_conversations'],
      ['sim-org', 'ultimate_export_days'],
    ]);
    expect(JSON.parse(states[1]!.s)).toEqual(ultimateLoadedThrough(bots, addDays(today, -1)));
  });
});

describe('two accounts in one warehouse', () => {
  it('two Ultimate organisations with the same bot and conversation ids keep separate cursors and rows', async () => {
    const database = path.join(tempDir('two-orgs'), 'two.duckdb');
    await ultimate(ours, 'sim-org', database);
    await ultimate(theirs, 'other-org', database);
    ours.resetStats();
    await ultimate(ours, 'sim-org', database); // the first org again: its own cursor, only its lookback
    expect([...new Set(ours.stats().signedUrlRequests.map((r) => r.date))].sort()).toEqual([-3, -2, -1].map((i) => addDays(today, i)));

    const truth = truthConversations(scope).length;
    const counts = await query<{ source_instance: string; n: number; keys: number }>(
      database,
      'SELECT source_instance, count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys FROM raw_ultimate_conversations GROUP BY 1 ORDER BY 1',
    );
    expect(counts).toEqual([
      { source_instance: 'other-org', n: truth, keys: truth },
      { source_instance: 'sim-org', n: truth, keys: truth },
    ]);
    const days = await query<{ source_instance: string; n: number }>(database, 'SELECT source_instance, count(*) AS n FROM raw_ultimate_export_days GROUP BY 1 ORDER BY 1');
    expect(days).toEqual([
      { source_instance: 'other-org', n: 12 },
      { source_instance: 'sim-org', n: 12 },
    ]);
    const states = await query<{ source_instance: string; s: string }>(database, "SELECT source_instance, state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations' ORDER BY 1");
    expect(states.map((s) => [s.source_instance, JSON.parse(s.s)])).toEqual([
      ['other-org', ultimateLoadedThrough(bots, addDays(today, -1), 'other-org')],
      ['sim-org', ultimateLoadedThrough(bots, addDays(today, -1), 'sim-org')],
    ]);
  });

  it('two Genesys orgs: conversations, loaded days and flow outcomes of each, neither overwriting the other', async () => {
    const clock = Date.parse(`${addDays(today, -1)}T00:00:00.000Z`);
    const orgs: Array<{ clientId: string; seed: number; simulator?: RunningGenesysSimulator }> = [
      { clientId: 'org-a-client', seed: 51 },
      { clientId: 'org-b-client', seed: 52 },
    ];
    const database = path.join(tempDir('two-genesys'), 'g.duckdb');
    const startDate = addDays(today, -3);
    try {
      for (const org of orgs) {
        org.simulator = await startGenesysSimulator({ now: () => clock, clientId: org.clientId, generator: { seed: org.seed, conversationsPerDay: 25 }, faults: { availabilityLagHours: 0, pendingPolls: 0 } });
        await runSync({
          source: { vendor: 'genesys', client_id: org.clientId, client_secret: 'sim-client-secret', start_date: startDate, base_url: org.simulator.url, login_url: org.simulator.url, job_poll_seconds: 0.02, max_requests_per_minute: 6000 },
          destination: { type: 'duckdb', path: database },
        });
      }
    } finally {
      for (const org of orgs) await org.simulator?.close();
    }
    for (const org of orgs) {
      const instance = `mypurecloud.com/${org.clientId}`;
      const truth = genesysTruth({ startDate, loadedThroughMs: clock, generator: { seed: org.seed, conversationsPerDay: 25 } }).filter(valid);
      const [rows] = await query<{ n: number }>(database, `SELECT count(*) AS n FROM raw_genesys_conversations WHERE source_instance = '${instance}'`);
      expect(rows!.n, instance).toBe(truth.length);
      const days = await query<{ day: string }>(database, `SELECT strftime(day, '%Y-%m-%d') AS day FROM raw_genesys_loaded_days WHERE source_instance = '${instance}' ORDER BY day`);
      expect(days.map((d) => d.day), instance).toEqual([0, 1].map((i) => addDays(startDate, i)));
      const [outcomes] = await query<{ n: number }>(database, `SELECT count(*) AS n FROM raw_genesys_flow_outcomes WHERE source_instance = '${instance}'`);
      expect(outcomes!.n, instance).toBe(9);
    }
  });
});
