/**
 * Stages the rows of one table and turns a record into a row, by the table's declaration
 * (core/tables/declare.ts): a field column from the record field, `record` from the vendor's text as
 * delivered (else the record as JSON), `source_instance` / `_extracted_at` / `_sync_id` from the
 * sync. Keys seen in the batch are remembered so that a record repeated within one batch replaces
 * the earlier one.
 */
import path from 'node:path';
import type { TableDeclaration } from '../../core/tables/declare.js';
import { sqlType } from '../../core/tables/ddl.js';
import { BatchFile } from '../batch-file.js';
import { compileRowFormatter, type FormattedColumn, type FormatterMeta, type RowFormatter } from './row-formatter.js';
import { csvOptions } from './staging-file.js';

export class TableWriter {
  readonly staging: BatchFile;
  readonly keyStaging: BatchFile;
  readonly table: string;
  readonly columns: readonly FormattedColumn[];
  readonly key: readonly string[];
  private keysInBatch = new Set<string>();
  private readonly formatRow: RowFormatter;
  private readonly formatKey: RowFormatter;
  private readonly rowKey: readonly string[];
  private readonly constantKey: readonly string[];

  constructor(declaration: TableDeclaration, stagingDir: string, meta: FormatterMeta) {
    const table = declaration.name;
    this.table = table;
    this.columns = declaration.columns.map((c) => ({ name: c.name, type: sqlType('duckdb', c.type), source: c.source }));
    this.key = declaration.key;
    const columns = this.columns;
    this.staging = new BatchFile(path.join(stagingDir, `${table}.rows`));
    this.keyStaging = new BatchFile(path.join(stagingDir, `${table}.keys`));
    this.formatRow = compileRowFormatter(columns, meta);
    // Key cells as text, formatted like the row's own cells so that the DELETE matches what was stored.
    // Columns the sync fills with one value (source_instance) are not staged: the DELETE names the value.
    this.rowKey = this.key.filter((k) => columns.find((c) => c.name === k)!.source.kind === 'field');
    this.constantKey = this.key
      .map((k) => columns.find((c) => c.name === k)!)
      .filter((c) => c.source.kind === 'instance')
      .map((c) => `t."${c.name}" = '${meta.instance.replaceAll("'", "''")}'`);
    this.formatKey = compileRowFormatter(
      this.rowKey.map((k) => ({ ...columns.find((c) => c.name === k)!, type: 'VARCHAR' })),
      meta,
    );
  }

  /** Returns false, writing nothing, when the record's key is already in this batch (flush first, then add again). */
  add(data: Record<string, unknown>, raw: string | undefined): boolean {
    const keyLine = this.formatKey(data, raw);
    if (this.keysInBatch.has(keyLine)) return false;
    this.keysInBatch.add(keyLine);
    this.staging.append(this.formatRow(data, raw) + '\n');
    this.keyStaging.append(keyLine + '\n');
    return true;
  }

  get rows(): number {
    return this.staging.rows;
  }

  get stagedSize(): number {
    return this.staging.size;
  }

  /** SQL that moves the staged batch into the table: delete the keys (a row count), insert the rows. */
  flushStatements(): { remove: string; insert: string } {
    this.staging.finish();
    this.keyStaging.finish();
    const keyColumns = this.rowKey.map((name) => ({ name, csvType: 'VARCHAR' }));
    const rowColumns = this.columns.map((c) => ({ name: c.name, csvType: c.type === 'JSON' ? 'VARCHAR' : c.type }));
    const match = [...this.constantKey, ...this.rowKey.map((k) => `t."${k}" = k."${k}"`)].join(' AND ');
    const names = this.columns.map((c) => `"${c.name}"`).join(', ');
    return {
      remove: `DELETE FROM "${this.table}" t USING read_csv('${sqlPath(this.keyStaging.path)}', ${csvOptions(keyColumns, this.keyStaging.longestLine)}) k WHERE ${match}`,
      // Columns named: a table that gained a column (ALTER TABLE ADD) has it last, not where the declaration has it.
      insert: `INSERT INTO "${this.table}" (${names}) SELECT * FROM read_csv('${sqlPath(this.staging.path)}', ${csvOptions(rowColumns, this.staging.longestLine)})`,
    };
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
