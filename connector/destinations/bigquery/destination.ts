/**
 * BigQuery destination. Rows are staged as NDJSON and loaded with load jobs (free; deterministic job
 * ids, so a retried batch cannot load twice) into per-sync staging tables; one multi-statement
 * transaction then MERGEs every staged table into its raw table — with a literal partition filter,
 * so only the touched partitions are scanned — and writes the stream states. Kill the process at any
 * point: the next sync resumes from the last committed state and the MERGE makes re-reads harmless.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { SystemError, TransientError } from '../../core/errors.js';
import { BIGQUERY_JOB_BACKOFF, DEADLINE_PASSED, Deadline, pollUntil } from '../../core/wait.js';
import { logger } from '../../core/log.js';
import { QUARANTINE_STREAM } from '../../core/quarantine.js';
import { stateTable } from '../../core/streams/state.js';
import { SOURCE_INSTANCE } from '../../core/tables/declare.js';
import { createTableSql, driftStatements } from '../../core/tables/ddl.js';
import type { StreamStates } from '../../protocol/inputs.js';
import type { StreamDefinition } from '../../sources/source.js';
import { adoptionPlan, STATE_TABLE, type Destination, type SyncIdentity } from '../destination.js';
import { StagedHandler, type CommitPolicy, type StagedTarget } from '../staged-handler.js';
import { accessError } from './access-errors.js';
import { bigQueryClient, runQueryJob, wrap, type BigQueryDestinationConfig } from './client.js';
import { NdjsonBatch } from './ndjson-batch.js';
import { stringLiteral, tablePath } from './sql-text.js';

/** Load jobs and MERGEs have a fixed cost each: commit in larger batches than on DuckDB. */
const COMMIT_POLICY: CommitPolicy = { commitBytes: 64 * 1024 * 1024, commitSeconds: 30, maxBatchBytes: 256 * 1024 * 1024 };
const log = logger('bigquery');

export async function openBigQuery(config: BigQueryDestinationConfig, streams: StreamDefinition[], identity: SyncIdentity): Promise<Destination> {
  const { syncId } = identity;
  const bigquery = bigQueryClient(config);
  const dataset = `${config.project_id}.${config.dataset}`;
  try {
    const [exists] = await bigquery.dataset(config.dataset).exists();
    if (!exists) await bigquery.createDataset(config.dataset, { location: config.location });
  } catch (error) {
    throw accessError(error, config) ?? wrap(error, `dataset ${dataset}`);
  }
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bq-${syncId}-`));
  const meta = { syncId, extractedAt: new Date().toISOString(), instance: identity.instance };
  const batches = new Map<string, NdjsonBatch>();
  let jobSeq = 0;
  const run = (sql: string) => runQueryJob(bigquery, sql, `parley_${syncId}_ddl_${jobSeq++}`, config.location);
  // Each table from its declaration; an existing one gains the columns it lacks (its schema from the API).
  const present = new Map<string, Set<string>>();
  for (const table of [stateTable, ...new Map(streams.map((s) => [s.table.name, s.table])).values()]) {
    await run(createTableSql('bigquery', table, dataset));
    const statements = driftStatements('bigquery', table, await tableSchema(bigquery, config.dataset, table.name), dataset);
    for (const statement of statements) {
      log.info(`schema drift: ${statement}`);
      await run(statement);
    }
    const columns = new Set((await tableSchema(bigquery, config.dataset, table.name)).map((c) => c.name));
    present.set(table.name, columns);
    // Real BigQuery reports a column as soon as ADD COLUMN ran; the local emulator applies ADD COLUMN
    // to neither its schema nor its storage, so there a declared column may still be absent: say so.
    const absent = table.columns.filter((c) => !columns.has(c.name)).map((c) => c.name);
    if (absent.length > 0) log.warn(`${dataset}.${table.name} does not report column(s) ${absent.join(', ')} after ALTER TABLE ADD COLUMN; they are not written`);
  }
  for (const stream of streams) batches.set(stream.name, new NdjsonBatch(stream.table, stagingDir, meta, present.get(stream.table.name)));
  await adoptLegacyRows(bigquery, config, dataset, identity, streams, run);
  return new BigQueryDestination(bigquery, config, dataset, batches, stagingDir, identity);
}

/** Rows of Parley 0.1 (no source_instance) become this sync's instance's, with their state (destination.ts adoptionPlan). */
async function adoptLegacyRows(
  bigquery: BigQuery,
  config: BigQueryDestinationConfig,
  dataset: string,
  identity: SyncIdentity,
  streams: StreamDefinition[],
  run: (sql: string) => Promise<unknown>,
): Promise<void> {
  const list = identity.sourceStreams.map(stringLiteral).join(', ');
  const tables = [...new Set(streams.filter((s) => identity.sourceStreams.includes(s.name)).map((s) => s.table.name)), QUARANTINE_STREAM];
  const only = (table: string) => (table === QUARANTINE_STREAM ? ` AND source_stream IN (${list})` : '');
  const counts = [
    `(SELECT COUNTIF(${SOURCE_INSTANCE} IS NULL) FROM ${tablePath(dataset, STATE_TABLE)} WHERE stream IN (${list})) AS legacy_states`,
    `(SELECT COUNTIF(${SOURCE_INSTANCE} IS NOT NULL AND ${SOURCE_INSTANCE} != ${stringLiteral(identity.instance)}) FROM ${tablePath(dataset, STATE_TABLE)} WHERE stream IN (${list})) AS other_instances`,
    `(${tables.map((t) => `(SELECT COUNT(*) FROM ${tablePath(dataset, t)} WHERE ${SOURCE_INSTANCE} IS NULL${only(t)})`).join(' + ')}) AS legacy_rows`,
  ];
  const [rows] = await bigquery.query({ query: `SELECT ${counts.join(', ')}`, location: config.location });
  const row = (rows as Record<string, unknown>[])[0] ?? {};
  const plan = adoptionPlan(Number(row.legacy_states ?? 0), Number(row.other_instances ?? 0), Number(row.legacy_rows ?? 0));
  if (plan === 'none') return;
  if (plan === 'refuse') {
    log.warn(`rows from before source instances exist, but another instance already syncs these streams: they are left as they are (source_instance NULL)`);
    return;
  }
  const value = stringLiteral(identity.instance);
  const statements = [
    `UPDATE ${tablePath(dataset, STATE_TABLE)} SET ${SOURCE_INSTANCE} = ${value} WHERE ${SOURCE_INSTANCE} IS NULL AND stream IN (${list})`,
    ...tables.map((t) => `UPDATE ${tablePath(dataset, t)} SET ${SOURCE_INSTANCE} = ${value} WHERE ${SOURCE_INSTANCE} IS NULL${only(t)}`),
  ];
  await run(['BEGIN TRANSACTION;', ...statements.map((s) => `${s};`), 'COMMIT TRANSACTION;'].join('\n'));
  log.info(`adopted ${Number(row.legacy_states)} state row(s) and ${Number(row.legacy_rows)} raw row(s) of an earlier Parley version as source instance ${identity.instance}`);
}

async function tableSchema(bigquery: BigQuery, datasetId: string, table: string): Promise<{ name: string; type: string }[]> {
  try {
    const [metadata] = await bigquery.dataset(datasetId).table(table).getMetadata();
    const fields = (metadata as { schema?: { fields?: { name: string; type: string }[] } }).schema?.fields ?? [];
    return fields.map((f) => ({ name: f.name, type: f.type.toUpperCase() }));
  } catch (error) {
    throw wrap(error, `reading the schema of ${datasetId}.${table}`);
  }
}

class BigQueryDestination implements Destination, StagedTarget {
  private readonly handler = new StagedHandler(this, COMMIT_POLICY);
  readonly handle = this.handler.handle;
  private commitSeq = 0;
  private closed = false;

  constructor(
    private readonly bigquery: BigQuery,
    private readonly config: BigQueryDestinationConfig,
    private readonly dataset: string,
    private readonly batches: Map<string, NdjsonBatch>,
    private readonly stagingDir: string,
    private readonly identity: SyncIdentity,
  ) {}

  private get syncId(): string {
    return this.identity.syncId;
  }

  async readState(): Promise<StreamStates> {
    const [rows] = await this.bigquery.query({
      query: `SELECT stream, TO_JSON_STRING(state) AS state FROM ${tablePath(this.dataset, STATE_TABLE)} WHERE ${SOURCE_INSTANCE} = ${stringLiteral(this.identity.instance)}`,
      location: this.config.location,
    });
    const out: StreamStates = {};
    for (const row of rows as { stream: string; state: string }[]) out[row.stream] = JSON.parse(row.state) as Record<string, unknown>;
    return out;
  }

  hasStream(stream: string): boolean {
    return this.batches.has(stream);
  }

  stage(stream: string, data: Record<string, unknown>, raw: string | undefined): boolean {
    return this.batches.get(stream)!.add(data, raw);
  }

  stagedBytes(): number {
    let size = 0;
    for (const batch of this.batches.values()) size += batch.file.size;
    return size;
  }

  /** Load every staged batch, then MERGE them and write the states in one transaction. */
  async commit(states: [string, Record<string, unknown>][]): Promise<void> {
    const staged = [...this.batches.values()].filter((b) => b.rows > 0);
    if (staged.length === 0 && states.length === 0) return;
    const seq = this.commitSeq++;
    const statements: string[] = [];
    for (const batch of staged) {
      const stagingTable = `_parley_stage_${this.syncId.replace(/\W/g, '_')}_${batch.table}`;
      await this.load(batch, stagingTable, `parley_${this.syncId}_${seq}_load_${batch.table}`);
      statements.push(this.mergeStatement(batch, stagingTable));
    }
    if (states.length > 0) statements.push(...this.stateStatements(states));
    const script = ['BEGIN TRANSACTION;', ...statements.map((s) => `${s};`), 'COMMIT TRANSACTION;'].join('\n');
    const started = Date.now();
    await runQueryJob(this.bigquery, script, `parley_${this.syncId}_${seq}_commit`, this.config.location);
    log.debug(`commit ${seq}: ${staged.map((b) => `${b.table} ${b.rows} rows`).join(', ')}; ${states.length} states; ${Date.now() - started} ms`);
    for (const batch of staged) batch.reset();
  }

  private async load(batch: NdjsonBatch, stagingTable: string, jobId: string): Promise<void> {
    batch.file.finish();
    const table = this.bigquery.dataset(this.config.dataset).table(stagingTable);
    try {
      const [job] = await table.createLoadJob(batch.file.path, {
        jobId,
        sourceFormat: 'NEWLINE_DELIMITED_JSON',
        writeDisposition: 'WRITE_TRUNCATE',
        createDisposition: 'CREATE_IF_NEEDED',
        schema: { fields: batch.columns.map((c) => ({ name: c.name, type: c.type, mode: 'NULLABLE' })) },
        location: this.config.location,
      });
      await waitForJob(job);
    } catch (error) {
      if ((error as { code?: number }).code === 409) {
        // The same job id reached BigQuery before: wait for that load, do not load again.
        await waitForJob(this.bigquery.job(jobId, { location: this.config.location }));
        return;
      }
      throw wrap(error, `load job ${jobId} into ${stagingTable}`);
    }
  }

  private mergeStatement(batch: NdjsonBatch, stagingTable: string): string {
    const target = tablePath(this.dataset, batch.table);
    const source = tablePath(this.dataset, stagingTable);
    const on = batch.key.map((k) => `T.${k} = S.${k}`);
    const partition = batch.partition;
    if (partition && batch.partitions.size > 0) {
      const literals = [...batch.partitions].sort().map((d) => `DATE ${stringLiteral(d)}`).join(', ');
      on.push(`${partition.dateOf ? `DATE(T.${partition.column})` : `T.${partition.column}`} IN (${literals})`);
    }
    const names = batch.columns.map((c) => c.name);
    return [
      `MERGE ${target} T USING ${source} S ON ${on.join(' AND ')}`,
      `WHEN MATCHED THEN UPDATE SET ${names.filter((n) => !batch.key.includes(n)).map((n) => `${n} = S.${n}`).join(', ')}`,
      `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `S.${n}`).join(', ')})`,
    ].join('\n');
  }

  /** The states, replaced row by row (DELETE + INSERT: plain DML, inside the same transaction). */
  private stateStatements(states: [string, Record<string, unknown>][]): string[] {
    const table = tablePath(this.dataset, STATE_TABLE);
    const sync = stringLiteral(this.syncId);
    const instance = stringLiteral(this.identity.instance);
    const values = states.map(([stream, state]) => `(${instance}, ${stringLiteral(stream)}, PARSE_JSON(${stringLiteral(JSON.stringify(state))}), CURRENT_TIMESTAMP(), ${sync})`);
    return [
      `DELETE FROM ${table} WHERE ${SOURCE_INSTANCE} = ${instance} AND stream IN (${states.map(([stream]) => stringLiteral(stream)).join(', ')})`,
      `INSERT INTO ${table} (${SOURCE_INSTANCE}, stream, state, updated_at, _sync_id) VALUES ${values.join(', ')}`,
    ];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handler.flush();
    } finally {
      for (const batch of this.batches.values()) {
        batch.close();
        const stagingTable = `_parley_stage_${this.syncId.replace(/\W/g, '_')}_${batch.table}`;
        await this.bigquery.dataset(this.config.dataset).table(stagingTable).delete({ ignoreNotFound: true }).catch(() => undefined);
      }
      fs.rmSync(this.stagingDir, { recursive: true, force: true });
    }
  }
}

/** A load job may queue behind others; an hour without it finishing is a failure, not a hang. */
const JOB_WAIT_MS = 60 * 60_000;

async function waitForJob(job: { id?: string; getMetadata(): Promise<unknown[]> }): Promise<void> {
  const outcome = await pollUntil(
    async () => {
      const [metadata] = (await job.getMetadata()) as [{ status?: { state?: string; errorResult?: { message?: string }; errors?: { message?: string }[] } }];
      const status = metadata.status;
      if (status?.state !== 'DONE') return undefined;
      if (status.errorResult) {
        const details = (status.errors ?? []).slice(0, 3).map((e) => e.message).join('; ');
        throw new SystemError(`BigQuery job failed: ${status.errorResult.message ?? 'unknown error'}${details ? ` (${details})` : ''}`);
      }
      return true;
    },
    { backoff: BIGQUERY_JOB_BACKOFF, deadline: Deadline.in(JOB_WAIT_MS), checkFirst: true },
  );
  if (outcome === DEADLINE_PASSED) throw new TransientError(`BigQuery job ${job.id ?? ''} did not finish within ${JOB_WAIT_MS / 60_000} minutes; rerun the sync (its state was not moved).`);
}
