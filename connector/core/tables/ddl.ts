/**
 * DDL for DuckDB and BigQuery from a table declaration (declare.ts), and schema drift against a
 * table that already exists: missing columns are added (nullable: old rows have no value), a
 * column whose type would change is a clear error, never a broken table. The same text is written
 * to sql/<warehouse>/<table>.sql by `npm run generate` for readers; the destinations run it from
 * the declaration, never from those files.
 */
import { ConfigError } from '../errors.js';
import type { Column, FieldType, TableDeclaration } from './declare.js';
import { bigQueryPartition } from './declare.js';

export type Warehouse = 'duckdb' | 'bigquery';

const TYPES: Record<Warehouse, Record<FieldType, string>> = {
  duckdb: { string: 'VARCHAR', integer: 'INTEGER', number: 'DOUBLE', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', date: 'DATE', array: 'JSON', object: 'JSON', json: 'JSON' },
  bigquery: { string: 'STRING', integer: 'INT64', number: 'FLOAT64', boolean: 'BOOL', timestamp: 'TIMESTAMP', date: 'DATE', array: 'JSON', object: 'JSON', json: 'JSON' },
};

export function sqlType(warehouse: Warehouse, type: FieldType): string {
  return TYPES[warehouse][type];
}

/** Type names as each warehouse reports them back (DuckDB's duckdb_columns(), BigQuery's API schema). */
function reportedType(warehouse: Warehouse, type: FieldType): string {
  if (warehouse === 'duckdb') return sqlType('duckdb', type);
  return { string: 'STRING', integer: 'INTEGER', number: 'FLOAT', boolean: 'BOOLEAN', timestamp: 'TIMESTAMP', date: 'DATE', array: 'JSON', object: 'JSON', json: 'JSON' }[type];
}

function normaliseReported(warehouse: Warehouse, type: string): string {
  const upper = type.toUpperCase();
  if (warehouse === 'bigquery') return upper === 'INT64' ? 'INTEGER' : upper === 'BOOL' ? 'BOOLEAN' : upper === 'FLOAT64' ? 'FLOAT' : upper;
  return upper === 'INT' || upper === 'INT4' || upper === 'INT32' ? 'INTEGER' : upper;
}

function commentLines(text: string, width = 100): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '--';
  for (const word of words) {
    if (line.length + word.length + 1 > width && line !== '--') {
      lines.push(line);
      line = '--';
    }
    line += ` ${word}`;
  }
  if (line !== '--') lines.push(line);
  return lines;
}

/**
 * DuckDB stores JSON columns (the `record` of every raw table, intents, nested vendor objects)
 * ZSTD-compressed instead of letting it try every method per segment and mostly pick FSST. On 100k
 * Ultimate conversations (~1.4 KB of JSON each): −25 % INSERT CPU, a 3.5× smaller file (81 →
 * 23 MiB). It needs the file's storage version ≥ v1.2.0, which the DuckDB destination attaches with.
 */
function duckDbCompression(type: FieldType): string {
  return sqlType('duckdb', type) === 'JSON' ? ' USING COMPRESSION zstd' : '';
}

/**
 * `CREATE TABLE IF NOT EXISTS` for the table. BigQuery: `{{dataset}}` stands for `project.dataset`
 * (pass `qualifiedDataset` to fill it in).
 */
export function createTableSql(warehouse: Warehouse, table: TableDeclaration, qualifiedDataset = '{{dataset}}'): string {
  const nameWidth = Math.max(...table.columns.map((c) => c.name.length));
  const definition = (c: Column) => `${sqlType(warehouse, c.type)}${c.nullable ? '' : ' NOT NULL'}${warehouse === 'duckdb' ? duckDbCompression(c.type) : ''}`;
  const typeWidth = Math.max(...table.columns.map((c) => definition(c).length));
  const body = table.columns.map((c, i) => {
    const type = definition(c);
    const comma = i < table.columns.length - 1 ? ',' : ' ';
    return `    ${c.name.padEnd(nameWidth)}  ${(type + comma).padEnd(typeWidth + 1)} -- ${c.description}`;
  });
  const name = warehouse === 'bigquery' ? `\`${qualifiedDataset}.${table.name}\`` : table.name;
  const layout: string[] = [];
  if (warehouse === 'bigquery') {
    const partition = bigQueryPartition(table);
    if (partition) layout.push(`PARTITION BY ${partition.dateOf ? `DATE(${partition.column})` : partition.column}`);
    if (table.bigquery?.clusterBy?.length) layout.push(`CLUSTER BY ${table.bigquery.clusterBy.join(', ')}`);
  }
  return [
    ...commentLines(table.description),
    `-- Key: ${table.key.join(', ')}.`,
    `CREATE TABLE IF NOT EXISTS ${name} (`,
    ...body,
    `)${layout.length ? `\n${layout.join('\n')}` : ''};`,
    '',
  ].join('\n');
}

export interface ExistingColumn {
  name: string;
  type: string;
}

/**
 * Statements that bring an existing table up to its declaration (ALTER TABLE ADD COLUMN); throws a
 * ConfigError naming the column and the fix when a column's type differs.
 */
export function driftStatements(warehouse: Warehouse, table: TableDeclaration, existing: readonly ExistingColumn[], qualifiedDataset?: string): string[] {
  const have = new Map(existing.map((c) => [c.name, normaliseReported(warehouse, c.type)]));
  const target = warehouse === 'bigquery' ? `\`${qualifiedDataset}.${table.name}\`` : `"${table.name}"`;
  const statements: string[] = [];
  for (const column of table.columns) {
    const current = have.get(column.name);
    const wanted = reportedType(warehouse, column.type);
    if (current === undefined) statements.push(`ALTER TABLE ${target} ADD COLUMN IF NOT EXISTS ${column.name} ${sqlType(warehouse, column.type)}`);
    else if (current !== wanted) throw typeChange(warehouse, table, column, current, qualifiedDataset);
  }
  return statements;
}

function typeChange(warehouse: Warehouse, table: TableDeclaration, column: Column, current: string, qualifiedDataset?: string): ConfigError {
  const where = warehouse === 'bigquery' ? `BigQuery table ${qualifiedDataset}.${table.name}` : `DuckDB table ${table.name}`;
  return new ConfigError(
    `${where}: column ${column.name} is ${current}, but this Parley version writes ${reportedType(warehouse, column.type)}. ` +
      `A column's type cannot change in place: rename the table (e.g. to ${table.name}_old) so Parley recreates it, then copy the history across with a cast.`,
  );
}
