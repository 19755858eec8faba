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
import { stateTable } from '../../core/streams/state.js';
import { SOURCE_INSTANCE, type TableDeclaration } from '../../core/tables/declare.js';
import { createTableSql, driftStatements } from '../../core/tables/ddl.js';
import type { StreamStates } from '../../protocol/inputs.js';
import type { StreamDefinition } from '../../sources/source.js';
import { adoptionPlan, STATE_TABLE, type Destination, type SyncIdentity } from '../destination.js';
import { StagedHandler, type CommitPolicy, type StagedTarget } from '../staged-handler.js';
import { TableWriter } from './table-writer.js';

export interface DuckDbDestinationConfig {
  type: 'duckdb';
  path: string;
  /** DuckDB memory limit. Default 64MB (see DEFAULT_MEMORY_LIMIT). */
  memory_limit?: string;
  threads?: number;
}

/**
 * Commit policy. A state is committed together with its records once COMMIT_BYTES are staged or
 * COMMIT_SECONDS have passed since the last commit (and always at the end). Committing every export
 * day measured ~2x slower on large syncs (a transaction and WAL checkpoint per day); a crash costs at
 * most one batch of re-reading. MAX_BATCH_BYTES bounds one transaction even without a state: DuckDB
 * holds an uncommitted insert in memory, so this is what keeps it inside its memory limit.
 */
const COMMIT_POLICY: CommitPolicy = { commitBytes: 24 * 1024 * 1024, commitSeconds: 5, maxBatchBytes: 48 * 1024 * 1024 };
const log = logger('duckdb');
/** The file is attached under this name (so it can be attached with storage options). */
const DATABASE = 'parley';
const ROW_GROUP_SIZE = 8192;
const ALLOCATOR_FLUSH = '8MB';
/**
 * What a commit needs is the batch's uncommitted row group plus read_csv's buffers, sized to the
 * batch (staging-file.ts): ~23 MB for a 48 MiB Genesys batch. Ultimate 1M at 64MB against 128MB,
 * same code: 279 vs 334 MiB peak RSS, CPU within noise; Genesys 305 and Sunbird 290 MiB at 1M
 * (385 and 349 at 128MB before the buffers were sized); every 1M and 5M bench passes. Before the
 * buffers were sized, 64MB ran out of memory in a Genesys 1M commit.
 */
const DEFAULT_MEMORY_LIMIT = '64MB';
/**
 * DuckDB checkpoints at a commit once its WAL passes 16 MB, i.e. at nearly every commit of a large
 * sync; each cost ~100 ms. The inserted row groups are written to the file before the commit
 * anyway (the WAL only points at them), so a crash replays little; the sync checkpoints at close.
 */
const CHECKPOINT_THRESHOLD = '1GB';
/**
 * A checkpoint's vacuum merges the row groups a sync's commits left part-filled (one per commit per
 * table) and compacts deleted rows. For a load of new rows it only re-compresses what was just
 * written: ~7 µs a row (200k Ultimate conversations: 1.4 of 12.5 CPU-s) and a file ~50 % larger
 * (the rewritten blocks stay allocated). So vacuum is off while loading, and the closing checkpoint
 * vacuums only when the sync replaced at least a row group's worth of rows, space worth reclaiming.
 */
const VACUUM_AFTER_DELETED_ROWS = ROW_GROUP_SIZE;

export async function openDuckDb(config: DuckDbDestinationConfig, streams: StreamDefinition[], identity: SyncIdentity): Promise<Destination> {
  const { syncId } = identity;
  const dbPath = path.resolve(config.path);
  try {
    fs.mkdirSync(path.dirname(dbPath), { recursive: true });
  } catch (error) {
    throw new ConfigError(`destination.path: cannot create the folder for ${dbPath} (${(error as NodeJS.ErrnoException).code}); choose a writable path.`);
  }
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;
  try {
    instance = await DuckDBInstance.create(':memory:', {
      // One thread: loads are sequential batches, and a second thread measured ~25% more CPU per row.
      threads: String(config.threads ?? 1),
      memory_limit: config.memory_limit ?? DEFAULT_MEMORY_LIMIT,
      preserve_insertion_order: 'false',
      checkpoint_threshold: CHECKPOINT_THRESHOLD,
      max_vacuum_tasks: '0',
      // With bin/parley.js's allocator decay (1 s), a task that allocated more than this hands its
      // freed memory back at its end. Measured at 200k conversations against returning every free at
      // once: page faults 613k → 350k, kernel CPU −0.7 s, peak RSS 302 → 278 MiB.
      allocator_flush_threshold: ALLOCATOR_FLUSH,
      allocator_bulk_deallocation_flush_threshold: ALLOCATOR_FLUSH,
    });
    connection = await instance.connect();
    // Small row groups: a checkpoint compresses a row group's column at once, and 122,880 rows of
    // ~1.4 KB raw records is ~170 MB; 8,192 rows measured ~45% less peak RSS, less CPU, a smaller file.
    await attach(connection, dbPath);
    await connection.run(`USE ${DATABASE}`);
  } catch (error) {
    const message = (error as Error).message;
    if (/lock/i.test(message)) {
      throw new ConfigError(`destination.path: ${dbPath} is open in another process (${message.split('\n')[0]}). Close it (e.g. a DuckDB shell or a running sync) and retry.`);
    }
    throw new ConfigError(`destination.path: cannot open ${dbPath} as a DuckDB database: ${message.split('\n')[0]}`);
  }
  const stagingDir = `${dbPath}.staging`;
  fs.rmSync(stagingDir, { recursive: true, force: true });
  fs.mkdirSync(stagingDir, { recursive: true });

  await upgradeStateTable(connection);
  const meta = { syncId, extractedAt: new Date().toISOString(), instance: identity.instance };
  const writers = new Map<string, TableWriter>();
  for (const table of [stateTable, ...new Map(streams.map((s) => [s.table.name, s.table])).values()]) await ensureTable(connection, table);
  for (const stream of streams) writers.set(stream.name, new TableWriter(stream.table, stagingDir, meta));
  await adoptLegacyRows(connection, identity, streams);
  return new DuckDbDestination(instance, connection, writers, stagingDir, syncId, identity.instance);
}

/** Creates the table from its declaration, or brings an existing one up to it (new columns added). */
async function ensureTable(connection: DuckDBConnection, table: TableDeclaration): Promise<void> {
  await connection.run(createTableSql('duckdb', table));
  const existing = await tableColumns(connection, table.name);
  for (const statement of driftStatements('duckdb', table, existing)) {
    log.info(`schema: ${statement}`);
    await connection.run(statement);
  }
}

/**
 * Parley 0.1's `_parley_state` had one row per stream (PRIMARY KEY (stream)); rows are now per
 * (source_instance, stream). DuckDB cannot drop a key constraint, so the table is rebuilt once, in a
 * transaction, its rows kept with source_instance NULL (adopted below by the first sync of their vendor).
 */
async function upgradeStateTable(connection: DuckDBConnection): Promise<void> {
  const columns = await tableColumns(connection, STATE_TABLE);
  if (columns.length === 0 || columns.some((c) => c.name === SOURCE_INSTANCE)) return;
  await inTransaction(connection, [
    `ALTER TABLE ${STATE_TABLE} RENAME TO ${STATE_TABLE}_v1`,
    createTableSql('duckdb', stateTable),
    `INSERT INTO ${STATE_TABLE} (stream, state, updated_at, _sync_id) SELECT stream, state, updated_at, _sync_id FROM ${STATE_TABLE}_v1`,
    `DROP TABLE ${STATE_TABLE}_v1`,
  ]);
  log.info(`upgraded ${STATE_TABLE} to one row per (source_instance, stream)`);
}

/** Rows of Parley 0.1 (no source_instance) become this sync's instance's, with their state (destination.ts adoptionPlan). */
async function adoptLegacyRows(connection: DuckDBConnection, identity: SyncIdentity, streams: StreamDefinition[]): Promise<void> {
  const names = identity.sourceStreams;
  const list = names.map(literal).join(', ');
  const [[legacyStates, otherInstances]] = (await connection.runAndReadAll(
    `SELECT count(*) FILTER (WHERE ${SOURCE_INSTANCE} IS NULL), count(*) FILTER (WHERE ${SOURCE_INSTANCE} IS DISTINCT FROM ${literal(identity.instance)} AND ${SOURCE_INSTANCE} IS NOT NULL) FROM ${STATE_TABLE} WHERE stream IN (${list})`,
  )).getRows() as [[bigint, bigint]];
  const tables = [...new Set(streams.filter((s) => names.includes(s.name)).map((s) => s.table.name)), '_parley_quarantine'];
  let legacyRows = 0n;
  for (const table of tables) {
    const where = table === '_parley_quarantine' ? ` AND source_stream IN (${list})` : '';
    const [[n]] = (await connection.runAndReadAll(`SELECT count(*) FROM "${table}" WHERE ${SOURCE_INSTANCE} IS NULL${where}`)).getRows() as [[bigint]];
    legacyRows += n;
  }
  const plan = adoptionPlan(Number(legacyStates), Number(otherInstances), Number(legacyRows));
  if (plan === 'none') return;
  if (plan === 'refuse') {
    log.warn(`${Number(legacyRows)} rows from before source instances exist, but another instance already syncs these streams: they are left as they are (source_instance NULL)`);
    return;
  }
  const value = literal(identity.instance);
  await inTransaction(connection, [
    `UPDATE ${STATE_TABLE} SET ${SOURCE_INSTANCE} = ${value} WHERE ${SOURCE_INSTANCE} IS NULL AND stream IN (${list})`,
    ...tables.map((table) => `UPDATE "${table}" SET ${SOURCE_INSTANCE} = ${value} WHERE ${SOURCE_INSTANCE} IS NULL${table === '_parley_quarantine' ? ` AND source_stream IN (${list})` : ''}`),
  ]);
  log.info(`adopted ${Number(legacyStates)} state row(s) and ${Number(legacyRows)} raw row(s) of an earlier Parley version as source instance ${identity.instance}`);
}

async function inTransaction(connection: DuckDBConnection, statements: string[]): Promise<void> {
  await connection.run('BEGIN TRANSACTION');
  try {
    for (const sql of statements) await connection.run(sql);
    await connection.run('COMMIT');
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => undefined);
    throw new SystemError(`DuckDB could not upgrade the warehouse: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
}

class DuckDbDestination implements Destination, StagedTarget {
  private readonly handler = new StagedHandler(this, COMMIT_POLICY);
  readonly handle = this.handler.handle;
  private closed = false;
  /** Rows this sync's committed batches replaced (deleted to insert their new version). */
  private replacedRows = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly writers: Map<string, TableWriter>,
    private readonly stagingDir: string,
    private readonly syncId: string,
    private readonly sourceInstance: string,
  ) {}

  async readState(): Promise<StreamStates> {
    const result = await this.connection.runAndReadAll(`SELECT stream, state::VARCHAR AS state FROM ${STATE_TABLE} WHERE ${SOURCE_INSTANCE} = ${literal(this.sourceInstance)}`);
    const out: StreamStates = {};
    for (const [stream, state] of result.getRows()) out[String(stream)] = JSON.parse(String(state)) as Record<string, unknown>;
    return out;
  }

  hasStream(stream: string): boolean {
    return this.writers.has(stream);
  }

  stage(stream: string, data: Record<string, unknown>, raw: string | undefined): boolean {
    return this.writers.get(stream)!.add(data, raw);
  }

  stagedBytes(): number {
    let size = 0;
    for (const writer of this.writers.values()) size += writer.stagedSize;
    return size;
  }

  /** One transaction: every staged batch plus the given states. */
  async commit(states: [string, Record<string, unknown>][]): Promise<void> {
    const batches = [...this.writers.values()].filter((w) => w.rows > 0).map((w) => w.flushStatements());
    const rows = [...this.writers.values()].reduce((n, w) => n + w.rows, 0);
    if (batches.length === 0 && states.length === 0) return;
    const stateStatements: string[] = [];
    if (states.length > 0) {
      const instance = literal(this.sourceInstance);
      const values = states.map(([stream, state]) => `(${instance}, ${literal(stream)}, ${literal(JSON.stringify(state))}::JSON, now()::TIMESTAMP, ${literal(this.syncId)})`).join(', ');
      stateStatements.push(`DELETE FROM ${STATE_TABLE} WHERE ${SOURCE_INSTANCE} = ${instance} AND stream IN (${states.map(([s]) => literal(s)).join(', ')})`);
      stateStatements.push(`INSERT INTO ${STATE_TABLE} (${SOURCE_INSTANCE}, stream, state, updated_at, _sync_id) VALUES ${values}`);
    }
    const cpuBefore = process.cpuUsage();
    const wallBefore = Date.now();
    await this.connection.run('BEGIN TRANSACTION');
    try {
      let replaced = 0;
      for (const batch of batches) {
        const [[deleted]] = (await this.connection.runAndReadAll(batch.remove)).getRows() as [[bigint]];
        replaced += Number(deleted);
        await this.connection.run(batch.insert);
      }
      for (const sql of stateStatements) await this.connection.run(sql);
      await this.connection.run('COMMIT');
      this.replacedRows += replaced;
      const cpu = process.cpuUsage(cpuBefore);
      log.debug(`commit: ${rows} rows (${replaced} replaced), ${states.length} states, ${Date.now() - wallBefore} ms, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
    } catch (error) {
      await this.connection.run('ROLLBACK').catch(() => undefined);
      const message = (error as Error).message.split('\n')[0]!;
      const hint = /out of memory/i.test(message) ? ' Raise destination.memory_limit (e.g. "256MB") and rerun: nothing of this batch was committed.' : '';
      throw new SystemError(`DuckDB could not commit a batch: ${message.replace(/\.$/, '')}.${hint}`, { cause: error });
    }
    for (const writer of this.writers.values()) if (writer.rows > 0) writer.reset();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handler.flush();
      if (this.replacedRows >= VACUUM_AFTER_DELETED_ROWS) {
        log.debug(`${this.replacedRows} rows replaced: the checkpoint vacuums`);
        await this.connection.run('RESET GLOBAL max_vacuum_tasks');
      }
      const cpuBefore = process.cpuUsage();
      await this.connection.run('CHECKPOINT');
      const cpu = process.cpuUsage(cpuBefore);
      log.debug(`checkpoint: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU`);
    } finally {
      for (const writer of this.writers.values()) writer.close();
      fs.rmSync(this.stagingDir, { recursive: true, force: true });
      this.connection.closeSync();
      this.instance.closeSync();
      log.debug('closed');
    }
  }
}

/**
 * Storage version v1.2.0 (DuckDB ≥ 1.2 reads it; without the option DuckDB writes v1.0 files) for
 * ZSTD-compressed strings (ddl.ts). A file of an older version is upgraded in place the first time;
 * one already on a newer version is attached as it is.
 */
const STORAGE_VERSION = 'v1.2.0';

async function attach(connection: DuckDBConnection, dbPath: string): Promise<void> {
  try {
    await connection.run(`ATTACH ${literal(dbPath)} AS ${DATABASE} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE}, STORAGE_VERSION '${STORAGE_VERSION}')`);
  } catch (error) {
    if (!/lower than what the database itself uses/i.test((error as Error).message)) throw error;
    await connection.run(`ATTACH ${literal(dbPath)} AS ${DATABASE} (ROW_GROUP_SIZE ${ROW_GROUP_SIZE})`);
  }
}

async function tableColumns(connection: DuckDBConnection, table: string): Promise<{ name: string; type: string }[]> {
  const result = await connection.runAndReadAll(
    `SELECT column_name, data_type FROM duckdb_columns() WHERE database_name = '${DATABASE}' AND schema_name = 'main' AND table_name = ${literal(table)} ORDER BY column_index`,
  );
  return result.getRows().map(([name, type]) => ({ name: String(name), type: String(type) }));
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
