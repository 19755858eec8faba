/**
 * An incremental dbt run replaces every row of the days it rebuilds (DECISIONLOG.md, "Incremental
 * marts"), on real parts: the Ultimate simulator → a sync into a DuckDB file → `dbt run` (the real
 * CLI) → a later load moves all of one bot's conversations of a day to the next day, while another
 * bot's conversation of that day is loaded again (so the day is rebuilt) → an incremental run. Its
 * day-keyed models must equal a --full-refresh of the same data: the bot that lost the day keeps no
 * stale row there (delete+insert by key alone kept it).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { startUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { runDbt } from '../../connector/transform/dbt.js';
import { tempDir } from '../helpers/cli.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { query } from '../helpers/duckdb.js';
import { DuckDBInstance } from '@duckdb/node-api';

await clearOfMidnight(10 * 60_000);
const today = todayUtc();
const day = addDays(today, -3);
// No overlap: the incremental run rebuilds only the days of the rows loaded again (`day` and the next).
const VARS = ['--vars', '{"incremental_overlap_minutes": 0}'];
const MODELS = ['int_first_meaningful_intent_daily', 'int_bot_days_completeness', 'agg_bot_daily_metrics'];

async function execute(database: string, sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(database);
  const connection = await instance.connect();
  try {
    await connection.run(sql);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Every row of the day-keyed models, as sorted JSON lines. */
async function dayModels(database: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const model of MODELS) {
    const rows = await query(database, `SELECT * EXCLUDE (loaded_at) FROM ${model}`);
    out[model] = rows.map((r) => JSON.stringify(r)).sort();
  }
  return out;
}

const botDays = (database: string, bot: string) =>
  query<{ n: number }>(database, `SELECT count(*)::INT AS n FROM int_first_meaningful_intent_daily WHERE bot_id = '${bot}' AND conversation_date = DATE '${day}'`);

describe('incremental rebuild of whole days', () => {
  it('a day that loses all of a bot\'s conversations: the incremental run equals a full refresh', async () => {
    const simulator = await startUltimateSimulator({ generator: { seed: 21, conversationsPerDay: 6, invalidEvery: 0 } });
    try {
      const database = path.join(tempDir('incremental-days'), 'p.duckdb');
      const destination = { type: 'duckdb' as const, path: database };
      await runSync({ source: { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: ['moving-bot', 'staying-bot'], start_date: addDays(today, -5) }, destination });
      await runDbt({ destination, command: 'run', extraArgs: VARS });
      expect((await botDays(database, 'moving-bot'))[0]!.n).toBeGreaterThan(0);

      // A later load: every moving-bot conversation of `day` now starts a day later; one staying-bot
      // conversation of `day` is loaded again, so `day` is among the days the next run rebuilds.
      await execute(
        database,
        `UPDATE raw_ultimate_conversations SET conversation_start_time = conversation_start_time + INTERVAL 1 DAY, _extracted_at = _extracted_at + INTERVAL 2 HOUR
           WHERE bot_id = 'moving-bot' AND CAST(conversation_start_time AS DATE) = DATE '${day}';
         UPDATE raw_ultimate_conversations SET _extracted_at = _extracted_at + INTERVAL 2 HOUR
           WHERE bot_id = 'staying-bot' AND conversation_id = (SELECT min(conversation_id) FROM raw_ultimate_conversations WHERE bot_id = 'staying-bot' AND CAST(conversation_start_time AS DATE) = DATE '${day}');`,
      );
      const full = database.replace(/\.duckdb$/, '-full.duckdb');
      fs.copyFileSync(database, full);

      await runDbt({ destination, command: 'run', extraArgs: VARS });
      await runDbt({ destination: { type: 'duckdb', path: full }, command: 'run', extraArgs: [...VARS, '--full-refresh'] });

      expect(await botDays(full, 'moving-bot')).toEqual([{ n: 0 }]);
      expect(await botDays(database, 'moving-bot')).toEqual([{ n: 0 }]); // no stale row left on the day
      expect(await dayModels(database)).toEqual(await dayModels(full));
    } finally {
      await simulator.close();
    }
  }, 600_000);
});
