/**
 * The embedded default warehouse: a DuckDB file. Records are staged per table and committed together
 * with the state that covers them in one transaction, so killing the process at any moment loses
 * nothing and duplicates nothing (the next sync re-reads from the committed state and upserts).
 * Consecutive STATE messages are coalesced into one commit, made before the next record or at close.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { ConfigError, SystemError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { packageRoot } from '../../core/paths.js';
import type { AirbyteMessage } from '../../protocol/messages.js';
import type { StreamStates } from '../../protocol/inputs.js';
import type { StreamDefinition } from '../../sources/source.js';
import { STATE_TABLE, tableFor, type Destination } from '../destination.js';
import { TableWriter, type Column } from './table-writer.js';

export interface DuckDbDestinationConfig {
  type: 'duckdb';
  path: string;
  /** DuckDB memory limit. Default 160MB, which keeps a sync's peak RSS under 256 MiB. */
  memory_limit?: string;
  threads?: number;
}

/** Rows staged before a commit is forced even without a state (bounds the size of one transaction). */
const MAX_BATCH_ROWS = 500_000;
const log = logger('duckdb');

export async function openDuckDb(config: DuckDbDestinationConfig, streams: StreamDefinition[], syncId: string): Promise<Destination> {
  const dbPath = path.resolve(config.path);
  try {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  } catch (error) {
    throw new ConfigError(`destination.path: cannot create the folder for ${dbPath} (${(error as NodeJS.ErrnoException).code}); choose a writable path.`);
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(dbPath, {
      threads: String(config.threads ?? 2),
      memory_limit: config.memory_limit ?? '160MB',
      preserve_insertion_order: 'false',
    });
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message)) {
      throw new ConfigError(`destination.path: ${dbPath} is open in another process (${message.split('\n')[0]}). Close it (e.g. a DuckDB shell or a running sync) and retry.`);
    }
    throw new ConfigError(`destination.path: cannot open ${dbPath} as a DuckDB database: ${message.split('\n')[0]}`);
  }
  const connection = await instance.connect();
  const stagingDir = `${dbPath}.staging`;
  fs.rmSync(stagingDir, { recursive: true, force: true });
  fs.mkdirSync(stagingDir, { recursive: true });

  await runDdl(connection, STATE_TABLE);
  const meta = { syncId, extractedAt: new Date().toISOString() };
  const writers = new Map<string, TableWriter>();
  for (const stream of streams) {
    const table = tableFor(stream.name);
    await runDdl(connection, table);
    const columns = await tableColumns(connection, table);
    writers.set(stream.name, new TableWriter(table, columns, stream.primaryKey.map((k) => k[0]!), stagingDir, meta));
  }
  return new DuckDbDestination(instance, connection, writers, stagingDir, syncId);
}

class DuckDbDestination implements Destination {
  private pendingStates = new Map<string, Record<string, unknown>>();
  private closed = false;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly writers: Map<string, TableWriter>,
    private readonly stagingDir: string,
    private readonly syncId: string,
  ) {}

  async readState(): Promise<StreamStates> {
    const result = await this.connection.runAndReadAll(`SELECT stream, state::VARCHAR AS state FROM ${STATE_TABLE}`);
    const out: StreamStates = {};
    for (const [stream, state] of result.getRows()) out[String(stream)] = JSON.parse(String(state)) as Record<string, unknown>;
    return out;
  }

  handle = async (message: AirbyteMessage, raw?: string): Promise<void> => {
    if (message.type === 'RECORD') {
      if (this.pendingStates.size > 0) await this.commit();
      const writer = this.writers.get(message.record.stream);
      if (!writer) throw new SystemError(`no table for stream ${message.record.stream}`);
      if (!writer.add(message.record.data, raw)) {
        await this.commit();
        writer.add(message.record.data, raw);
      }
      if (writer.rows >= MAX_BATCH_ROWS) await this.commit();
    } else if (message.type === 'STATE') {
      const { stream_descriptor, stream_state } = message.state.stream;
      this.pendingStates.set(stream_descriptor.name, stream_state ?? {});
    }
  };

  /** One transaction: every staged batch plus the pending states. */
  private async commit(): Promise<void> {
    const statements: string[] = [];
    for (const writer of this.writers.values()) if (writer.rows > 0) statements.push(...writer.flushStatements());
    const states = [...this.pendingStates.entries()];
    if (statements.length === 0 && states.length === 0) return;
    if (states.length > 0) {
      const values = states.map(([stream, state]) => `(${literal(stream)}, ${literal(JSON.stringify(state))}::JSON, now()::TIMESTAMP, ${literal(this.syncId)})`).join(', ');
      statements.push(`DELETE FROM ${STATE_TABLE} WHERE stream IN (${states.map(([s]) => literal(s)).join(', ')})`);
      statements.push(`INSERT INTO ${STATE_TABLE} VALUES ${values}`);
    }
    await this.connection.run('BEGIN TRANSACTION');
    try {
      for (const sql of statements) await this.connection.run(sql);
      await this.connection.run('COMMIT');
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      throw new SystemError(`DuckDB could not commit a batch: ${(error as Error).message.split('\n')[0]}`, { cause: error });
    }
    for (const writer of this.writers.values()) if (writer.rows > 0) writer.reset();
    this.pendingStates.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.commit();
      await this.connection.run('CHECKPOINT');
    } finally {
      for (const writer of this.writers.values()) writer.close();
      fs.rmSync(this.stagingDir, { recursive: true, force: true });
      this.connection.closeSync();
      this.instance.closeSync();
      log.debug('closed');
    }
  }
}

async function runDdl(connection: DuckDBConnection, table: string): Promise<void> {
  const file = path.join(packageRoot(), 'sql', 'duckdb', `${table}.sql`);
  if (!fs.existsSync(file)) throw new SystemError(`no DDL for table ${table}: expected ${file}`);
  await connection.run(fs.readFileSync(file, 'utf8'));
}

async function tableColumns(connection: DuckDBConnection, table: string): Promise<Column[]> {
  const result = await connection.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ${literal(table)} ORDER BY column_index`,
  );
  return result.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
