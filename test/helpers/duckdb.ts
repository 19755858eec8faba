/** Reading a DuckDB file from a test (read-only, closed after each query batch so the CLI can write next). */
import { DuckDBInstance } from '@duckdb/node-api';

export async function query<T = Record<string, unknown>>(database: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
