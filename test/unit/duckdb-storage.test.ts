/**
 * How the DuckDB destination stores what it loads, read back by a separate DuckDB instance: files on
 * storage version v1.2.0 (an older file upgraded, a newer one left as it is), JSON columns
 * ZSTD-compressed, and the closing checkpoint's vacuum only after a sync replaced rows (a load of
 * new rows leaves its row groups as written; replaced ones are reclaimed).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../../connector/destinations/duckdb/destination.js';
import { allStreams } from '../../connector/sources/registry.js';
import { query } from '../helpers/duckdb.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-storage-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const STREAM = 'ultimate_conversations';
const TABLE = 'raw_ultimate_conversations';

const range = (first: number, count: number, step = 1) => Array.from({ length: count }, (_, k) => first + k * step);

/** Loads conversations (by number) through the destination, as a sync does: one sync. */
async function load(dbPath: string, ids: number | readonly number[]): Promise<void> {
  const destination = await openDuckDb({ type: 'duckdb', path: dbPath }, allStreams(), { syncId: 's', instance: 'org-1', sourceStreams: [STREAM] });
  for (const i of typeof ids === 'number' ? range(0, ids) : ids) {
    const data = {
      bot_id: 'bot-1',
      conversation_id: `c${String(i).padStart(8, '0')}`,
      export_date: '2026-11-30',
      conversation_start_time: '2026-11-30T10:00:00.000Z',
      triggered_intent_replies: [{ intent_id: 'i1', intent_name: 'greeting', intent_timestamp: '2026-11-30T10:00:01.000Z', not_meaningful: true }],
    };
    const raw = JSON.stringify({ ...data, labels: ['a', 'b'], conversations_data: { order_id: `A${i}`, page_url: `https://shop.example.com/help/orders/${i % 9999}` } });
    await destination.handle({ type: 'RECORD', record: { stream: STREAM, data, emitted_at: 0 } }, raw);
  }
  await destination.close();
}

const storageVersion = async (dbPath: string) =>
  (await query<{ version: string }>(dbPath, "SELECT tags['storage_version'] AS version FROM duckdb_databases() WHERE database_name = current_database()"))[0]!.version;
const compressions = async (dbPath: string, column: string) =>
  (await query<{ compression: string }>(dbPath, `SELECT DISTINCT compression FROM pragma_storage_info('${TABLE}') WHERE column_name = '${column}' AND segment_type <> 'VALIDITY' ORDER BY 1`)).map((r) => r.compression);
/** The table's row groups: how many, the rows they store (deleted ones included), and the live rows. */
async function rowGroups(dbPath: string): Promise<{ groups: number; stored: number; live: number }> {
  const [{ groups, stored }] = (await query<{ groups: number; stored: number }>(
    dbPath,
    `SELECT count(*) AS groups, sum(count)::BIGINT AS stored FROM (SELECT DISTINCT row_group_id, count FROM pragma_storage_info('${TABLE}') WHERE column_name = 'conversation_id' AND segment_type = 'VARCHAR')`,
  )) as [{ groups: number; stored: number }];
  const [{ live }] = (await query<{ live: number }>(dbPath, `SELECT count(*) AS live FROM ${TABLE}`)) as [{ live: number }];
  return { groups, stored, live };
}

describe('DuckDB storage', () => {
  it('a new file is on storage v1.2.0 and its JSON columns are ZSTD-compressed', async () => {
    const db = path.join(dir, 'new.duckdb');
    await load(db, 3000);
    expect(await storageVersion(db)).toBe('v1.2.0+');
    expect(await compressions(db, 'record')).toEqual(['ZSTD']);
    expect(await compressions(db, 'triggered_intent_replies')).toEqual(['ZSTD']);
    const [row] = await query<{ intent: string }>(db, `SELECT triggered_intent_replies->>'$[0].intent_name' AS intent FROM ${TABLE} WHERE conversation_id = 'c00000042'`);
    expect(row!.intent).toBe('greeting');
  });

  it('upgrades a file of an older storage version, and opens one of a newer version as it is', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const older = path.join(dir, 'older.duckdb');
    const newer = path.join(dir, 'newer.duckdb');
    await connection.run(`ATTACH '${older}' AS o`);
    await connection.run(`ATTACH '${newer}' AS n (STORAGE_VERSION 'v1.5.0')`);
    connection.closeSync();
    instance.closeSync();
    expect(await storageVersion(older)).toBe('v1.0.0+');
    await load(older, 10);
    await load(newer, 10);
    expect(await storageVersion(older)).toBe('v1.2.0+');
    expect(await storageVersion(newer)).toBe('v1.5.0+');
    expect((await rowGroups(newer)).live).toBe(10);
  });

  it('vacuums only after a sync replaced rows: new rows stay as written, replaced ones are reclaimed', async () => {
    const db = path.join(dir, 'vacuum.duckdb');
    await load(db, range(0, 10_000)); // row groups of 8,192 + 1,808 rows
    await load(db, range(10_000, 10_000)); // new rows: their row groups are added as written, not merged with the last
    expect(await rowGroups(db)).toEqual({ groups: 4, stored: 20_000, live: 20_000 });
    await load(db, range(0, 10_000, 2)); // every other row replaced: the deleted versions are compacted away
    expect(await rowGroups(db)).toMatchObject({ stored: 20_000, live: 20_000 });
  });
});
