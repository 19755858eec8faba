/**
 * Looking for secrets where they must never be: every spelling a program might print a secret in
 * (as is, JSON-escaped, percent-encoded, base64), in any text a test gathered — CLI output, a dump of
 * every table of a DuckDB file, the files dbt left behind.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** A fresh secret no code or fixture could contain by chance. */
export function freshSecret(name: string): string {
  return `${name}-${randomBytes(12).toString('hex')}`;
}

export function spellings(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), Buffer.from(secret).toString('base64')])];
}

/** The names of the secrets found in `text` (in any spelling). */
export function secretsIn(text: string, secrets: Record<string, string>): string[] {
  return Object.entries(secrets)
    .filter(([, secret]) => spellings(secret).some((spelling) => text.includes(spelling)))
    .map(([name]) => name);
}

/** Every row of every table and view in the file, every column cast to text, one line per row. */
export async function dumpDuckDb(database: string): Promise<string> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const relations = (
      await connection.runAndReadAll(
        `SELECT schema_name, table_name FROM duckdb_tables() WHERE NOT internal AND database_name = current_database()
         UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE NOT internal AND database_name = current_database()`,
      )
    ).getRows() as [string, string][];
    const lines: string[] = [];
    for (const [schema, name] of relations) {
      const relation = `"${schema}"."${name}"`;
      const rows = (await connection.runAndReadAll(`SELECT CAST(COLUMNS(*) AS VARCHAR) FROM ${relation}`)).getRows();
      for (const row of rows) lines.push(`${relation}\t${row.map((v) => (v === null ? '' : String(v))).join('\t')}`);
    }
    return lines.join('\n');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** The text of every file under `dir` (dbt's logs and target folder); '' when it does not exist. */
export function filesText(dir: string): string {
  if (!fs.existsSync(dir)) return '';
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}
