/**
 * Every table Parley writes, declared once: its fields (name, type, nullable, description, and
 * whether the field is a typed column), key, and BigQuery partition / cluster columns. From this one
 * declaration come the stream's JSON schema (json-schema.ts), the DuckDB and BigQuery DDL (ddl.ts,
 * also written to sql/ by `npm run generate`), both row encoders (destinations/), BigQuery schema
 * drift, and the dbt sources (dbt-sources.ts).
 *
 * A raw table holds, besides its declared columns, the bookkeeping every raw table has:
 * `source_instance` (which vendor account the row came from: part of every key, so two accounts
 * syncing into one warehouse never overwrite each other), `record` (the vendor's record as
 * delivered), `_extracted_at` and `_sync_id`.
 */

/** A field's type. array / object / json are stored as JSON columns. */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'timestamp' | 'date' | 'array' | 'object' | 'json';

export interface Field {
  name: string;
  type: FieldType;
  /** Default true. A false field is NOT NULL in the DDL and required in the JSON schema. */
  nullable?: boolean;
  description: string;
  /** Default true: a typed column of the raw table. false: only in the record (and the JSON schema). */
  column?: boolean;
  /** The JSON schema of the field when the type's default does not say it (e.g. an object sent as text). */
  jsonSchema?: Record<string, unknown>;
}

/** Where a column's value comes from when a record is written. */
export type ColumnSource =
  | { kind: 'field'; field: string }
  /** The vendor's record as delivered (its text when there is one), else the record as JSON. */
  | { kind: 'record' }
  | { kind: 'instance' }
  | { kind: 'extracted_at' }
  | { kind: 'sync_id' };

export interface Column {
  name: string;
  type: FieldType;
  nullable: boolean;
  description: string;
  source: ColumnSource;
}

export interface TableDeclaration {
  name: string;
  /** What one row is; the header of the DDL and of the dbt source. */
  description: string;
  columns: readonly Column[];
  /** Columns that identify a row: a re-read row replaces the stored one (source_instance first). */
  key: readonly string[];
  bigquery?: {
    /** A TIMESTAMP column (partitioned by its UTC date) or a DATE column. */
    partitionBy?: string;
    clusterBy?: readonly string[];
  };
  /** false: the table may stay empty for good (optional data, a missing permission), so dbt source freshness skips it. */
  freshness?: false;
}

/** The declaration of a stream's records: its fields, and the raw table they go into. */
export interface RecordDeclaration {
  fields: readonly Field[];
  /** Records carry fields beyond the declared ones (kept in `record`, allowed by the JSON schema). */
  open: boolean;
  table: TableDeclaration;
}

export const SOURCE_INSTANCE = 'source_instance';

const bookkeeping = {
  instance: {
    name: SOURCE_INSTANCE,
    type: 'string',
    nullable: false,
    description: 'the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key',
    source: { kind: 'instance' },
  },
  record: { name: 'record', type: 'json', nullable: false, description: 'the whole record as the vendor delivered it', source: { kind: 'record' } },
  extractedAt: { name: '_extracted_at', type: 'timestamp', nullable: false, description: 'start of the sync that loaded this version (UTC)', source: { kind: 'extracted_at' } },
  syncId: { name: '_sync_id', type: 'string', nullable: false, description: 'the sync that loaded this version', source: { kind: 'sync_id' } },
} satisfies Record<string, Column>;

function fieldColumn(field: Field): Column {
  return { name: field.name, type: field.type, nullable: field.nullable ?? true, description: field.description, source: { kind: 'field', field: field.name } };
}

/**
 * A stream's raw table: source_instance, the fields that are columns (in declaration order), the
 * whole record, and the sync bookkeeping. `key` is the natural key; source_instance is prepended.
 */
export function recordTable(options: {
  name: string;
  description: string;
  fields: readonly Field[];
  key: readonly string[];
  open?: boolean;
  bigquery?: TableDeclaration['bigquery'];
  freshness?: false;
}): RecordDeclaration {
  const columns = [bookkeeping.instance, ...options.fields.filter((f) => f.column !== false).map(fieldColumn), bookkeeping.record, bookkeeping.extractedAt, bookkeeping.syncId];
  for (const name of [...options.key, ...(options.bigquery?.clusterBy ?? []), ...(options.bigquery?.partitionBy ? [options.bigquery.partitionBy] : [])]) {
    if (!columns.some((c) => c.name === name)) throw new Error(`table ${options.name}: ${name} is in its key or layout but is not a column`);
  }
  const table: TableDeclaration = {
    name: options.name,
    description: options.description,
    columns,
    key: [SOURCE_INSTANCE, ...options.key],
    ...(options.bigquery ? { bigquery: options.bigquery } : {}),
    ...(options.freshness === false ? { freshness: false as const } : {}),
  };
  return { fields: options.fields, open: options.open ?? false, table };
}

/** A table of Parley's own (state, quarantine): declared columns plus `_extracted_at` / `_sync_id` where asked. */
export function ownTable(options: { name: string; description: string; columns: readonly Omit<Column, 'source'>[]; key: readonly string[]; bookkeeping: boolean; bigquery?: TableDeclaration['bigquery'] }): TableDeclaration {
  const columns: Column[] = options.columns.map((c) => ({ ...c, source: c.name === SOURCE_INSTANCE ? { kind: 'instance' } : { kind: 'field', field: c.name } }));
  if (options.bookkeeping) columns.push(bookkeeping.extractedAt, bookkeeping.syncId);
  return { name: options.name, description: options.description, columns, key: options.key, ...(options.bigquery ? { bigquery: options.bigquery } : {}) };
}

/** The column a table is partitioned by on BigQuery, and whether by DATE(column) of a TIMESTAMP. */
export function bigQueryPartition(table: TableDeclaration): { column: string; dateOf: boolean } | undefined {
  const name = table.bigquery?.partitionBy;
  if (!name) return undefined;
  const column = table.columns.find((c) => c.name === name)!;
  return { column: name, dateOf: column.type === 'timestamp' };
}
