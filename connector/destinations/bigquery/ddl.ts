/**
 * The BigQuery raw-table DDL lives in sql/bigquery/<table>.sql with `{{dataset}}` for the
 * `project.dataset` it goes into. The partition expression is read from the same DDL, so the MERGE's
 * literal partition filter can never disagree with how the table is partitioned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SystemError } from '../../core/errors.js';
import { packageRoot } from '../../core/paths.js';

export interface TableDdl {
  sql: string;
  /** The column the table is partitioned on, and whether by DATE(column) of a TIMESTAMP. */
  partition?: { column: string; dateOf: boolean };
}

export function bigQueryDdl(table: string, qualifiedDataset: string): TableDdl {
  const file = path.join(packageRoot(), 'sql', 'bigquery', `${table}.sql`);
  if (!fs.existsSync(file)) throw new SystemError(`no BigQuery DDL for table ${table}: expected ${file}`);
  const sql = fs.readFileSync(file, 'utf8').replaceAll('{{dataset}}', qualifiedDataset);
  const match = /PARTITION\s+BY\s+(DATE\s*\(\s*(\w+)\s*\)|(\w+))/i.exec(sql.replace(/--[^\n]*/g, ''));
  if (!match) return { sql };
  return { sql, partition: match[2] ? { column: match[2], dateOf: true } : { column: match[3]!, dateOf: false } };
}
