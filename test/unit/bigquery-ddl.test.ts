import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigQueryDdl } from '../../connector/destinations/bigquery/ddl.js';
import { NdjsonBatch } from '../../connector/destinations/bigquery/ndjson-batch.js';
import { ddlColumns, driftStatements } from '../../connector/destinations/bigquery/schema-drift.js';
import { stringLiteral } from '../../connector/destinations/bigquery/sql-text.js';

describe('BigQuery DDL', () => {
  it('reads columns and the partition expression from sql/bigquery, with the dataset filled in', () => {
    const ddl = bigQueryDdl('raw_ultimate_conversations', 'proj.ds');
    expect(ddl.sql).toContain('`proj.ds.raw_ultimate_conversations`');
    expect(ddl.partition).toEqual({ column: 'conversation_start_time', dateOf: true });
    expect(bigQueryDdl('raw_ultimate_export_days', 'p.d').partition).toEqual({ column: 'export_date', dateOf: false });
    expect(bigQueryDdl('_parley_state', 'p.d').partition).toBeUndefined();
    const columns = ddlColumns(ddl.sql);
    expect(columns[0]).toEqual({ name: 'bot_id', type: 'STRING' });
    expect(columns.find((c) => c.name === 'bot_messages_count')).toEqual({ name: 'bot_messages_count', type: 'INTEGER' });
    expect(columns.find((c) => c.name === 'record')).toEqual({ name: 'record', type: 'JSON' });
    expect(columns.map((c) => c.name)).not.toContain('PARTITION');
  });

  it('keeps the same columns as the DuckDB raw tables', () => {
    for (const table of ['raw_ultimate_conversations', 'raw_ultimate_export_days', '_parley_quarantine', '_parley_state']) {
      const duck = fs.readFileSync(path.resolve('sql/duckdb', `${table}.sql`), 'utf8');
      const names = [...duck.replace(/--[^\n]*/g, '').matchAll(/^[ \t]+(\w+)[ \t]+[A-Z]+/gm)].map((m) => m[1]);
      expect(ddlColumns(bigQueryDdl(table, 'p.d').sql).map((c) => c.name), table).toEqual(names);
    }
  });

  it('adds new columns and refuses a type change with a migration hint', () => {
    const wanted = [{ name: 'a', type: 'STRING' }, { name: 'b', type: 'INTEGER' }];
    expect(driftStatements('t', 'p.d', wanted, [{ name: 'a', type: 'STRING' }])).toEqual(['ALTER TABLE `p.d.t` ADD COLUMN IF NOT EXISTS b INT64']);
    expect(driftStatements('t', 'p.d', wanted, [{ name: 'a', type: 'STRING' }, { name: 'b', type: 'INT64' }])).toEqual([]);
    expect(() => driftStatements('t', 'p.d', wanted, [{ name: 'a', type: 'STRING' }, { name: 'b', type: 'STRING' }])).toThrow(
      /column b is STRING, but this Parley version writes INTEGER.*rename the table/,
    );
  });

  it('escapes string literals', () => {
    expect(stringLiteral(`it's a \\ "test"\n`)).toBe(`'it\\'s a \\\\ "test"\\n'`);
  });
});

describe('NDJSON batch', () => {
  it('writes typed values, splices the raw record, and collects partitions and duplicate keys', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ndjson-'));
    const columns = [
      { name: 'bot_id', type: 'STRING' },
      { name: 'conversation_id', type: 'STRING' },
      { name: 'conversation_start_time', type: 'TIMESTAMP' },
      { name: 'bot_messages_count', type: 'INTEGER' },
      { name: 'test_mode', type: 'BOOLEAN' },
      { name: 'triggered_intent_replies', type: 'JSON' },
      { name: 'record', type: 'JSON' },
      { name: '_sync_id', type: 'STRING' },
    ];
    const batch = new NdjsonBatch('t', columns, ['bot_id', 'conversation_id'], { column: 'conversation_start_time', dateOf: true }, dir, { syncId: 's1', extractedAt: '2026-11-21T00:00:00.000Z' });
    const data = { bot_id: 'b', conversation_id: 'c"1', conversation_start_time: '2026-11-01T23:59:00.000Z', bot_messages_count: 3, test_mode: false, triggered_intent_replies: [{ intent_name: 'x' }] };
    const raw = '{"BOT_ID":"b","conversation_id":"c\\"1"}';
    expect(batch.add(data, raw)).toBe(true);
    expect(batch.add({ ...data }, raw)).toBe(false);
    batch.file.finish();
    const [line] = fs.readFileSync(batch.file.path, 'utf8').trim().split('\n');
    expect(JSON.parse(line!)).toEqual({ ...data, record: JSON.parse(raw), _sync_id: 's1' });
    expect([...batch.partitions]).toEqual(['2026-11-01']);
    batch.close();
  });
});
