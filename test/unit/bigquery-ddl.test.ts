import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bigQueryPartition } from '../../connector/core/tables/declare.js';
import { createTableSql, driftStatements } from '../../connector/core/tables/ddl.js';
import { stateTable } from '../../connector/core/streams/state.js';
import { quarantineTable } from '../../connector/core/quarantine.js';
import { NdjsonBatch } from '../../connector/destinations/bigquery/ndjson-batch.js';
import { responseRecords } from '../../connector/sources/sunbird/tables.js';
import { stringLiteral } from '../../connector/destinations/bigquery/sql-text.js';
import { conversationRecords, exportDayRecords } from '../../connector/sources/ultimate/tables.js';

const conversations = conversationRecords.table;

describe('DDL from table declarations', () => {
  it('BigQuery: the dataset filled in, the partition expression and clustering from the declaration', () => {
    const sql = createTableSql('bigquery', conversations, 'proj.ds');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS `proj.ds.raw_ultimate_conversations` (');
    expect(sql).toMatch(/\nPARTITION BY DATE\(conversation_start_time\)\nCLUSTER BY bot_id, conversation_id;\n$/);
    expect(bigQueryPartition(conversations)).toEqual({ column: 'conversation_start_time', dateOf: true });
    expect(bigQueryPartition(exportDayRecords.table)).toEqual({ column: 'export_date', dateOf: false });
    expect(bigQueryPartition(stateTable)).toBeUndefined();
    expect(sql).toMatch(/^\s+bot_messages_count\s+INT64,/m);
    expect(sql).toMatch(/^\s+record\s+JSON NOT NULL,/m);
  });

  it('both warehouses get the same columns, in the same order', () => {
    for (const table of [conversations, exportDayRecords.table, quarantineTable, stateTable]) {
      const names = (sql: string) => [...sql.matchAll(/^ {4}(\w+) +[A-Z]/gm)].map((m) => m[1]);
      expect(names(createTableSql('bigquery', table, 'p.d')), table.name).toEqual(names(createTableSql('duckdb', table)));
      expect(names(createTableSql('duckdb', table)), table.name).toEqual(table.columns.map((c) => c.name));
    }
  });

  it('every key starts with source_instance, and the key columns exist', () => {
    for (const table of [conversations, exportDayRecords.table, quarantineTable, stateTable]) {
      expect(table.key[0], table.name).toBe('source_instance');
      for (const k of table.key) expect(table.columns.some((c) => c.name === k), `${table.name}.${k}`).toBe(true);
    }
  });

  it('drift compares the declaration with the existing table: adds new columns, refuses a type change with a migration hint', () => {
    const existing = conversations.columns.filter((c) => c.name !== 'is_llm_conversation').map((c) => ({ name: c.name, type: c.type === 'integer' ? 'INTEGER' : c.type === 'boolean' ? 'BOOLEAN' : c.type === 'string' ? 'STRING' : c.type.toUpperCase().replace(/^(ARRAY|OBJECT)$/, 'JSON') }));
    expect(driftStatements('bigquery', conversations, existing, 'p.d')).toEqual(['ALTER TABLE `p.d.raw_ultimate_conversations` ADD COLUMN IF NOT EXISTS is_llm_conversation BOOL']);
    expect(driftStatements('duckdb', exportDayRecords.table, [{ name: 'bot_id', type: 'VARCHAR' }])).toContain('ALTER TABLE "raw_ultimate_export_days" ADD COLUMN IF NOT EXISTS status VARCHAR');
    const wrong = existing.map((c) => (c.name === 'bot_messages_count' ? { ...c, type: 'STRING' } : c));
    expect(() => driftStatements('bigquery', conversations, wrong, 'p.d')).toThrow(/column bot_messages_count is STRING, but this Parley version writes INTEGER.*rename the table/);
  });

  it('escapes string literals', () => {
    expect(stringLiteral(`it's a \\ "test"\n`)).toBe(`'it\\'s a \\\\ "test"\\n'`);
  });
});

describe('NDJSON batch', () => {
  it('writes typed values from the declaration, splices the raw record, and collects partitions and duplicate keys', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ndjson-'));
    const batch = new NdjsonBatch(conversations, dir, { syncId: 's1', extractedAt: '2026-11-21T00:00:00.000Z', instance: 'org-1' });
    const data = { bot_id: 'b', conversation_id: 'c"1', export_date: '2026-11-02', conversation_start_time: '2026-11-01T23:59:00.000Z', bot_messages_count: 3, test_mode: false, triggered_intent_replies: [{ intent_name: 'x' }] };
    const raw = '{"BOT_ID":"b","conversation_id":"c\\"1"}';
    expect(batch.add(data, raw)).toBe(true);
    expect(batch.add({ ...data }, raw)).toBe(false);
    batch.file.finish();
    const [line] = fs.readFileSync(batch.file.path, 'utf8').trim().split('\n');
    const row = JSON.parse(line!);
    expect(row).toMatchObject({ ...data, source_instance: 'org-1', record: JSON.parse(raw), _sync_id: 's1', _extracted_at: '2026-11-21T00:00:00.000Z', bot_name: null });
    expect(Object.keys(row)).toEqual(conversations.columns.map((c) => c.name));
    expect([...batch.partitions]).toEqual(['2026-11-01']);
    batch.close();
  });

  it('a JSON column gets JSON text: objects as objects, a string value as the JSON text of that string (BigQuery parses a string as JSON)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ndjson-'));
    const batch = new NdjsonBatch(responseRecords.table, dir, { syncId: 's1', extractedAt: '2026-11-21T00:00:00.000Z', instance: 'ch' });
    const base = { bot_id: 'b', device_id: 'd', answered_at: '2026-11-01T10:00:00.000Z', window_start: '2026-11-01', consent_withheld: false, file_has_eof: true };
    batch.add({ ...base, response_id: 'r1', question_options: [{ '1': { text: '1 Yes' } }], question_response: 'free "text"' }, '{}');
    batch.add({ ...base, response_id: 'r2', question_options: null, question_response: 7 }, '{}');
    batch.file.finish();
    const rows = fs.readFileSync(batch.file.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.map((r) => [r.question_options, r.question_response])).toEqual([
      [[{ '1': { text: '1 Yes' } }], '"free \\"text\\""'],
      [null, 7],
    ]);
    expect(JSON.parse(rows[0]!.question_response as string)).toBe('free "text"');
    batch.close();
  });
});
