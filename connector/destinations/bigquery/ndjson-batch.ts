/**
 * Stages the rows of one BigQuery table as newline-delimited JSON for a load job (load jobs are
 * free; streaming inserts are not), by the table's declaration (core/tables/declare.ts): a field
 * column from the record field, `record` from the vendor's text as delivered (spliced in as JSON,
 * not re-encoded), `source_instance` / `_extracted_at` / `_sync_id` from the sync. It also collects
 * the partitions the batch touches, for the MERGE's literal partition filter.
 */
import path from 'node:path';
import { bigQueryPartition, type TableDeclaration } from '../../core/tables/declare.js';
import { sqlType } from '../../core/tables/ddl.js';
import { BatchFile } from '../batch-file.js';

export interface BigQueryColumn {
  name: string;
  type: string; // STRING, INT64, BOOL, TIMESTAMP, DATE, JSON
}

export class NdjsonBatch {
  readonly file: BatchFile;
  readonly partitions = new Set<string>();
  readonly table: string;
  readonly columns: readonly BigQueryColumn[];
  readonly key: readonly string[];
  readonly partition: { column: string; dateOf: boolean } | undefined;
  private keys = new Set<string>();
  private readonly formatters: ((data: Record<string, unknown>, raw: string | undefined) => string)[];
  private readonly keyParts: ((data: Record<string, unknown>) => string)[];

  /** `present`: the columns the table has (default: every declared one); only those are written. */
  constructor(full: TableDeclaration, stagingDir: string, meta: { syncId: string; extractedAt: string; instance: string }, present?: ReadonlySet<string>) {
    const declaration = present ? { ...full, columns: full.columns.filter((c) => present.has(c.name) || full.key.includes(c.name)) } : full;
    this.table = declaration.name;
    this.columns = declaration.columns.map((c) => ({ name: c.name, type: sqlType('bigquery', c.type) }));
    this.key = declaration.key;
    this.partition = bigQueryPartition(declaration);
    this.file = new BatchFile(path.join(stagingDir, `${declaration.name}.ndjson`));
    this.formatters = declaration.columns.map((column) => {
      const field = JSON.stringify(column.name) + ':';
      const type = sqlType('bigquery', column.type);
      switch (column.source.kind) {
        case 'record':
          return (data, raw) => field + (raw ?? JSON.stringify(data));
        case 'extracted_at':
          return () => field + JSON.stringify(meta.extractedAt);
        case 'sync_id':
          return () => field + JSON.stringify(meta.syncId);
        case 'instance':
          return () => field + JSON.stringify(meta.instance);
        case 'field': {
          const name = column.source.field;
          return (data) => field + jsonValue(data[name], type);
        }
      }
    });
    // The key within one batch (one sync, one source instance): the record fields of the key.
    this.keyParts = declaration.key.flatMap((k) => {
      const source = declaration.columns.find((c) => c.name === k)!.source;
      return source.kind === 'field' ? [((name) => (data: Record<string, unknown>) => String(data[name]))(source.field)] : [];
    });
  }

  /** Returns false, writing nothing, when the record's key is already in this batch. */
  add(data: Record<string, unknown>, raw: string | undefined): boolean {
    const key = this.keyParts.map((part) => part(data)).join('\u0000');
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
      // A string in a JSON column is read as JSON text: a JSON string value is sent as the text of it.
      return JSON.stringify(typeof value === 'string' ? JSON.stringify(value) : value);
    case 'STRING':
      return JSON.stringify(typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value));
    default:
      return JSON.stringify(value);
  }
}
