/**
 * Stages the rows of one raw table and turns a record into a row: every table column is filled from
 * the record field of the same name, except `record` (the vendor's text as delivered, else the record
 * as JSON) and the `_extracted_at` / `_sync_id` bookkeeping columns. Keys seen in the batch are
 * remembered so that a record repeated within one batch replaces the earlier one.
 */
import path from 'node:path';
import { SystemError } from '../../core/errors.js';
import { BatchFile } from '../batch-file.js';
import { csvOptions, NULL_TEXT, textCell, DELIMITER } from './staging-file.js';

export interface Column {
  name: string;
  type: string; // DuckDB type name, e.g. VARCHAR, INTEGER, TIMESTAMP, JSON
}

export class TableWriter {
  readonly staging: BatchFile;
  readonly keyStaging: BatchFile;
  private keysInBatch = new Set<string>();
  private readonly formatters: ((data: Record<string, unknown>, raw: string | undefined) => string)[];

  constructor(
    readonly table: string,
    readonly columns: readonly Column[],
    readonly key: readonly string[],
    stagingDir: string,
    private readonly meta: { syncId: string; extractedAt: string },
  ) {
    for (const k of key) {
      if (!columns.some((c) => c.name === k)) throw new SystemError(`table ${table} has no key column ${k}; its DDL in sql/duckdb/ and the stream's primary key disagree`);
    }
    this.staging = new BatchFile(path.join(stagingDir, `${table}.rows`));
    this.keyStaging = new BatchFile(path.join(stagingDir, `${table}.keys`));
    this.formatters = columns.map((column) => formatterFor(column, meta));
  }

  /** Returns false, writing nothing, when the record's key is already in this batch (flush first, then add again). */
  add(data: Record<string, unknown>, raw: string | undefined): boolean {
    const keyCells = this.key.map((k) => cell(data[k], 'VARCHAR'));
    const keyLine = keyCells.join(DELIMITER);
    if (this.keysInBatch.has(keyLine)) return false;
    this.keysInBatch.add(keyLine);
    let line = '';
    for (let i = 0; i < this.formatters.length; i++) {
      if (i > 0) line += DELIMITER;
      line += this.formatters[i]!(data, raw);
    }
    this.staging.append(line + '\n');
    this.keyStaging.append(keyLine + '\n');
    return true;
  }

  get rows(): number {
    return this.staging.rows;
  }

  get stagedSize(): number {
    return this.staging.size;
  }

  /** SQL that moves the staged batch into the table: delete the keys, insert the rows. */
  flushStatements(): string[] {
    this.staging.finish();
    this.keyStaging.finish();
    const keyColumns = this.key.map((name) => ({ name, csvType: 'VARCHAR' }));
    const rowColumns = this.columns.map((c) => ({ name: c.name, csvType: c.type === 'JSON' ? 'VARCHAR' : c.type }));
    const match = this.key.map((k) => `t."${k}" = k."${k}"`).join(' AND ');
    return [
      `DELETE FROM "${this.table}" t USING read_csv('${sqlPath(this.keyStaging.path)}', ${csvOptions(keyColumns)}) k WHERE ${match}`,
      `INSERT INTO "${this.table}" SELECT * FROM read_csv('${sqlPath(this.staging.path)}', ${csvOptions(rowColumns)})`,
    ];
  }

  reset(): void {
    this.staging.reset();
    this.keyStaging.reset();
    this.keysInBatch = new Set();
  }

  close(): void {
    this.staging.close();
    this.keyStaging.close();
  }
}

function sqlPath(p: string): string {
  return p.replaceAll("'", "''");
}

function formatterFor(column: Column, meta: { syncId: string; extractedAt: string }): (data: Record<string, unknown>, raw: string | undefined) => string {
  switch (column.name) {
    case 'record':
      return (data, raw) => textCell(raw ?? JSON.stringify(data));
    case '_extracted_at':
      return () => meta.extractedAt;
    case '_sync_id':
      return () => textCell(meta.syncId);
    default: {
      const name = column.name;
      // Specialised per type once, not decided per value: this runs for every column of every row.
      switch (column.type) {
        case 'VARCHAR':
          return (data) => {
            const value = data[name];
            return typeof value === 'string' ? textCell(value) : cell(value, 'VARCHAR');
          };
        case 'BOOLEAN':
          return (data) => {
            const value = data[name];
            return value === null || value === undefined ? NULL_TEXT : value ? 'true' : 'false';
          };
        case 'INTEGER':
        case 'BIGINT':
        case 'TIMESTAMP':
        case 'DATE':
          return (data) => {
            const value = data[name];
            return value === null || value === undefined ? NULL_TEXT : typeof value === 'string' ? textCell(value) : String(value);
          };
        default: {
          const type = column.type;
          return (data) => cell(data[name], type);
        }
      }
    }
  }
}

/** One value as the CSV reader expects it for a column of `type`. */
export function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return NULL_TEXT;
  switch (type) {
    case 'JSON':
      return textCell(typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value));
    case 'BOOLEAN':
      return value ? 'true' : 'false';
    case 'VARCHAR':
      return textCell(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    default:
      return typeof value === 'string' ? textCell(value) : String(value);
  }
}
