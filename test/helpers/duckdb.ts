/** Reading a DuckDB file from a test (read-only, closed after each query so the CLI can write next). */
import { DuckDBInstance } from '@duckdb/node-api';

/** Rows as plain JS: BIGINT → number, TIMESTAMP/DATE → ISO string. */
export async function query<T = Record<string, unknown>>(database: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const rows = (await connection.runAndReadAll(sql)).getRowObjectsJS();
    return rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))) as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  return value;
}
