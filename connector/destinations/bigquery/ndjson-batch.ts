/**
 * Stages the rows of one BigQuery raw table as newline-delimited JSON for a load job (load jobs are
 * free; streaming inserts are not). Columns come from the table's schema: each is filled from the
 * record field of the same name, except `record` (the vendor's text as delivered, spliced in as
 * JSON, not re-encoded) and `_extracted_at` / `_sync_id`. It also collects the partitions the batch
 * touches, for the MERGE's literal partition filter.
 */
import path from 'node:path';
import { SystemError } from '../../core/errors.js';
import { BatchFile } from '../batch-file.js';

export interface BigQueryColumn {
  name: string;
  type: string; // STRING, INTEGER/INT64, BOOLEAN/BOOL, TIMESTAMP, DATE, JSON, FLOAT/FLOAT64, ...
}

export class NdjsonBatch {
  readonly file: BatchFile;
  readonly partitions = new Set<string>();
  private keys = new Set<string>();
  private readonly formatters: ((data: Record<string, unknown>, raw: string | undefined) => string)[];

  constructor(
    readonly table: string,
    readonly columns: readonly BigQueryColumn[],
    readonly key: readonly string[],
    private readonly partition: { column: string; dateOf: boolean } | undefined,
    stagingDir: string,
    meta: { syncId: string; extractedAt: string },
  ) {
    for (const k of key) {
      if (!columns.some((c) => c.name === k)) throw new SystemError(`table ${table} has no key column ${k}; sql/bigquery/${table}.sql and the stream's primary key disagree`);
    }
    this.file = new BatchFile(path.join(stagingDir, `${table}.ndjson`));
    this.formatters = columns.map((column) => {
      const field = JSON.stringify(column.name) + ':';
      switch (column.name) {
        case 'record':
          return (data, raw) => field + (raw ?? JSON.stringify(data));
        case '_extracted_at':
          return () => field + JSON.stringify(meta.extractedAt);
        case '_sync_id':
          return () => field + JSON.stringify(meta.syncId);
        default:
          return (data) => field + jsonValue(data[column.name], column.type);
      }
    });
  }

  /** Returns false, writing nothing, when the record's key is already in this batch. */
  add(data: Record<string, unknown>, raw: string | undefined): boolean {
    const key = this.key.map((k) => String(data[k])).join('\u0000');
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.partition) {
      const value = data[this.partition.column];
      if (typeof value === 'string') this.partitions.add(this.partition.dateOf ? value.slice(0, 10) : value);
    }
    let line = '{';
    for (let i = 0; i < this.formatters.length; i++) {
      if (i > 0) line += ',';
      line += this.formatters[i]!(data, raw);
    }
    this.file.append(`${line}}\n`);
    return true;
  }

  get rows(): number {
    return this.file.rows;
  }

  reset(): void {
    this.file.reset();
    this.keys = new Set();
    this.partitions.clear();
  }

  close(): void {
    this.file.close();
  }
}

function jsonValue(value: unknown, type: string): string {
  if (value === null || value === undefined) return 'null';
  switch (type) {
    case 'JSON':
      return JSON.stringify(value);
    case 'STRING':
      return JSON.stringify(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    default:
      return JSON.stringify(value);
  }
}
