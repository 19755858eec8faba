/**
 * Schema drift between the DDL in sql/bigquery/ and a raw table that already exists: new columns are
 * added (ALTER TABLE ADD COLUMN, nullable); a column whose type must change is a clear error, never a
 * broken table. Fields the source adds and Parley does not type survive in the `record` JSON anyway.
 */
import { ConfigError } from '../../core/errors.js';
import type { BigQueryColumn } from './ndjson-batch.js';

const COLUMN = /^\s*(\w+)\s+(STRING|INT64|INTEGER|BOOL|BOOLEAN|TIMESTAMP|DATE|DATETIME|JSON|FLOAT64|FLOAT|NUMERIC|BYTES)\b/i;

/** The columns a DDL declares, in order, with API type names (INT64 → INTEGER, BOOL → BOOLEAN, FLOAT64 → FLOAT). */
export function ddlColumns(sql: string): BigQueryColumn[] {
  const body = sql.replace(/--[^\n]*/g, '');
  const open = body.indexOf('(');
  const columns: BigQueryColumn[] = [];
  for (const line of body.slice(open + 1).split('\n')) {
    const match = COLUMN.exec(line);
    if (match) columns.push({ name: match[1]!, type: apiType(match[2]!) });
    if (/^\s*\)/.test(line)) break;
  }
  return columns;
}

export function apiType(type: string): string {
  const upper = type.toUpperCase();
  return upper === 'INT64' ? 'INTEGER' : upper === 'BOOL' ? 'BOOLEAN' : upper === 'FLOAT64' ? 'FLOAT' : upper;
}

/** Statements that bring `existing` up to `wanted`; throws when a column would change type. */
export function driftStatements(table: string, qualified: string, wanted: BigQueryColumn[], existing: BigQueryColumn[]): string[] {
  const have = new Map(existing.map((c) => [c.name, apiType(c.type)]));
  const statements: string[] = [];
  for (const column of wanted) {
    const current = have.get(column.name);
    if (current === undefined) {
      statements.push(`ALTER TABLE \`${qualified}.${table}\` ADD COLUMN IF NOT EXISTS ${column.name} ${sqlType(column.type)}`);
    } else if (current !== column.type) {
      throw new ConfigError(
        `BigQuery table ${qualified}.${table}: column ${column.name} is ${current}, but this Parley version writes ${column.type}. ` +
          `BigQuery cannot change a column's type in place: rename the table (e.g. to ${table}_old) so Parley recreates it, then copy the history across with a cast.`,
      );
    }
  }
  return statements;
}

function sqlType(apiName: string): string {
  return apiName === 'INTEGER' ? 'INT64' : apiName === 'BOOLEAN' ? 'BOOL' : apiName === 'FLOAT' ? 'FLOAT64' : apiName;
}
