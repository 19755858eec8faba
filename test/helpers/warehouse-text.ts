/**
 * Everything a DuckDB warehouse holds, as text: every table of the file (raw tables, `record` JSON,
 * `_parley_quarantine`, `_parley_state`, completeness tables), every column cast to VARCHAR. For
 * tests that look for values that must not be stored anywhere.
 */
import { query } from './duckdb.js';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Table name → all its cells as text, one line per row (cells joined by a unit separator). */
export async function warehouseText(database: string): Promise<Map<string, string>> {
  const columns = await query<{ table_schema: string; table_name: string; column_name: string }>(
    database,
    "SELECT table_schema, table_name, column_name FROM information_schema.columns WHERE table_catalog = current_database() ORDER BY table_schema, table_name, ordinal_position",
  );
  const tables = new Map<string, string[]>();
  for (const c of columns) {
    const name = `${quote(c.table_schema)}.${quote(c.table_name)}`;
    tables.set(name, [...(tables.get(name) ?? []), c.column_name]);
  }
  const out = new Map<string, string>();
  for (const [table, names] of tables) {
    const cells = names.map((n) => `coalesce(CAST(${quote(n)} AS VARCHAR), '')`).join(", chr(31), ");
    const [row] = await query<{ t: string | null }>(database, `SELECT string_agg(concat(${cells}), chr(10)) AS t FROM ${table}`);
    out.set(table, row?.t ?? '');
  }
  return out;
}
