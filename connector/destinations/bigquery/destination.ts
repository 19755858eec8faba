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
import type { StreamStates } from '../../protocol/inputs.js';
import type { StreamDefinition } from '../../sources/source.js';
import { STATE_TABLE, tableFor, type Destination } from '../destination.js';
import { StagedHandler, type CommitPolicy, type StagedTarget } from '../staged-handler.js';
import { bigQueryClient, runQueryJob, wrap, type BigQueryDestinationConfig } from './client.js';
import { bigQueryDdl } from './ddl.js';
import { NdjsonBatch, type BigQueryColumn } from './ndjson-batch.js';
import { ddlColumns, driftStatements } from './schema-drift.js';
import { stringLiteral, tablePath } from './sql-text.js';

/** Load jobs and MERGEs have a fixed cost each: commit in larger batches than on DuckDB. */
const COMMIT_POLICY: CommitPolicy = { commitBytes: 64 * 1024 * 1024, commitSeconds: 30, maxBatchBytes: 256 * 1024 * 1024 };
const log = logger('bigquery');

export async function openBigQuery(config: BigQueryDestinationConfig, streams: StreamDefinition[], syncId: string): Promise<Destination> {
  const bigquery = bigQueryClient(config);
  const dataset = `${config.project_id}.${config.dataset}`;
  try {
    const [exists] = await bigquery.dataset(config.dataset).exists();
    if (!exists) await bigquery.createDataset(config.dataset, { location: config.location });
  } catch (error) {
    throw wrap(error, `dataset ${dataset}`);
  }
  const stagingDir = fs.mkdtempSync(path.join(os.tmpdir(), `parley-bq-${syncId}-`));
  const meta = { syncId, extractedAt: new Date().toISOString() };
  const batches = new Map<string, NdjsonBatch>();
  let jobSeq = 0;
  for (const table of [STATE_TABLE, ...streams.map((s) => tableFor(s.name))]) {
    const ddl = bigQueryDdl(table, dataset);
    await runQueryJob(bigquery, ddl.sql, `parley_${syncId}_ddl_${jobSeq++}`, config.location);
    const existing = await tableSchema(bigquery, config.dataset, table);
    for (const statement of driftStatements(table, dataset, ddlColumns(ddl.sql), existing)) {
      log.info(`schema drift: ${statement}`);
      await runQueryJob(bigquery, statement, `parley_${syncId}_ddl_${jobSeq++}`, config.location);
    }
  }
  for (const stream of streams) {
    const table = tableFor(stream.name);
    const columns = await tableSchema(bigquery, config.dataset, table);
    const key = stream.primaryKey.map((k) => k[0]!);
    batches.set(stream.name, new NdjsonBatch(table, columns, key, bigQueryDdl(table, dataset).partition, stagingDir, meta));
  }
  return new BigQueryDestination(bigquery, config, dataset, batches, stagingDir, syncId);
}

async function tableSchema(bigquery: BigQuery, datasetId: string, table: string): Promise<BigQueryColumn[]> {
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
    private readonly syncId: string,
  ) {}

  async readState(): Promise<StreamStates> {
    const [rows] = await this.bigquery.query({ query: `SELECT stream, TO_JSON_STRING(state) AS state FROM ${tablePath(this.dataset, STATE_TABLE)}`, location: this.config.location });
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
    const partition = bigQueryDdl(batch.table, this.dataset).partition;
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
    const values = states.map(([stream, state]) => `(${stringLiteral(stream)}, PARSE_JSON(${stringLiteral(JSON.stringify(state))}), CURRENT_TIMESTAMP(), ${sync})`);
    return [
      `DELETE FROM ${table} WHERE stream IN (${states.map(([stream]) => stringLiteral(stream)).join(', ')})`,
      `INSERT INTO ${table} (stream, state, updated_at, _sync_id) VALUES ${values.join(', ')}`,
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
