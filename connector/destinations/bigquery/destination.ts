/**
 * BigQuery destination. Rows are staged as NDJSON and loaded with load jobs (free; WRITE_TRUNCATE,
 * so loading a batch again replaces it) into per-sync stage tables (stage-tables.ts, which also
 * drops a killed sync's leftovers); one multi-statement transaction then MERGEs every staged table
 * into its raw table — with a literal partition filter, so only the touched partitions are scanned —
 * and writes the stream states (commit-script.ts). Each statement of that script is idempotent and
 * rows come before states, so exactly-once does not depend on the transaction: kill the process at
 * any point, or run the script twice, and the next sync resumes from a state that matches the rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { SystemError, TransientError } from '../../core/errors.js';
import { failpoint, failpointArmed, halt } from '../../core/failpoint.js';
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
import { commitScript, commitStatements } from './commit-script.js';
import { NdjsonBatch } from './ndjson-batch.js';
import { stringLiteral, tablePath } from './sql-text.js';
import { leftoverStageTables, STAGE_PREFIX, stageTableName } from './stage-tables.js';

/** Load jobs and MERGEs have a fixed cost each: commit in larger batches than on DuckDB. */
const COMMIT_POLICY: CommitPolicy = { commitBytes: 64 * 1024 * 1024, commitSeconds: 30, maxBatchBytes: 256 * 1024 * 1024 };
const log = logger('bigquery');

/** The destination's `commit_seconds`, when set, replaces the 30 s. */
function commitPolicy(config: BigQueryDestinationConfig): CommitPolicy {
  return config.commit_seconds === undefined ? COMMIT_POLICY : { ...COMMIT_POLICY, commitSeconds: config.commit_seconds };
}

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
  await dropLeftoverStageTables(bigquery, config, identity);
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

/** Stage tables a killed sync of this instance left behind (stage-tables.ts says which, and why only those). */
async function dropLeftoverStageTables(bigquery: BigQuery, config: BigQueryDestinationConfig, identity: SyncIdentity): Promise<void> {
  let names: string[];
  try {
    const [tables] = await bigquery.dataset(config.dataset).getTables({ autoPaginate: true });
    names = tables.map((t) => t.id ?? '').filter((id) => id.startsWith(STAGE_PREFIX));
  } catch (error) {
    throw wrap(error, `listing the tables of ${config.project_id}.${config.dataset}`);
  }
  for (const name of leftoverStageTables(names, identity.instance, identity.syncId)) {
    log.info(`dropping ${name}, left by a sync that did not finish`);
    await bigquery.dataset(config.dataset).table(name).delete({ ignoreNotFound: true }).catch((error: unknown) => {
      throw wrap(error, `dropping ${name}`);
    });
  }
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
  private readonly handler: StagedHandler;
  readonly handle: StagedHandler['handle'];
  private commitSeq = 0;
  private closed = false;

  constructor(
    private readonly bigquery: BigQuery,
    private readonly config: BigQueryDestinationConfig,
    private readonly dataset: string,
    private readonly batches: Map<string, NdjsonBatch>,
    private readonly stagingDir: string,
    private readonly identity: SyncIdentity,
  ) {
    this.handler = new StagedHandler(this, commitPolicy(config));
    this.handle = this.handler.handle;
  }

  private stageTable(table: string): string {
    return stageTableName(this.identity.instance, this.syncId, table);
  }

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

  /** Load every staged batch, then MERGE them and write the states in one script (commit-script.ts). */
  async commit(states: [string, Record<string, unknown>][]): Promise<void> {
    const batches = [...this.batches.values()].filter((b) => b.rows > 0);
    if (batches.length === 0 && states.length === 0) return;
    const seq = this.commitSeq++;
    const staged = batches.map((batch) => ({ batch, stageTable: this.stageTable(batch.table) }));
    for (const { batch, stageTable } of staged) await this.load(batch, stageTable, `parley_${this.syncId}_${seq}_load_${batch.table}`);
    // Both failpoints count only commits with rows (a states-only commit loads nothing).
    if (staged.length > 0) failpoint('bigquery.loaded', `commit ${seq}`); // every load job of this commit is done, no statement of its script has run
    const statements = commitStatements({ dataset: this.dataset, syncId: this.syncId, instance: this.identity.instance, staged, states });
    const jobId = `parley_${this.syncId}_${seq}_commit`;
    if (staged.length > 0 && failpointArmed('bigquery.commit-partial')) await this.haltInsideScript(statements, jobId);
    const started = Date.now();
    await runQueryJob(this.bigquery, commitScript(statements), jobId, this.config.location);
    log.debug(`commit ${seq}: ${batches.map((b) => `${b.table} ${b.rows} rows`).join(', ')}; ${states.length} states; ${Date.now() - started} ms`);
    for (const batch of batches) batch.reset();
  }

  /**
   * The failpoint bigquery.commit-partial: what a script stopped after its first k statements leaves
   * (BigQuery would roll it back; the emulator keeps what ran). Killing the client cannot stop a
   * script the server already runs, so the first k of the production statements run here, each as
   * its own job, and the process halts. k: PARLEY_FAILPOINT_STATEMENTS, default all but the last.
   */
  private async haltInsideScript(statements: string[], jobId: string): Promise<never> {
    const k = Number(process.env.PARLEY_FAILPOINT_STATEMENTS ?? statements.length - 1);
    if (!Number.isInteger(k) || k < 0 || k >= statements.length) {
      throw new SystemError(`PARLEY_FAILPOINT_STATEMENTS=${process.env.PARLEY_FAILPOINT_STATEMENTS}: this commit has ${statements.length} statements; give 0 to ${statements.length - 1}`);
    }
    for (let i = 0; i < k; i++) await runQueryJob(this.bigquery, statements[i]!, `${jobId}_partial_${i}`, this.config.location);
    const ran = statements.slice(0, k).map((s) => /^(\w+)\s+(?:INTO\s+)?`[^`]*\.(\w+)`/.exec(s)?.slice(1, 3).join(' ') ?? '?');
    halt('bigquery.commit-partial', `${k} of ${statements.length} statements ran${k > 0 ? `: ${ran.join(', ')}` : ''}`);
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

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handler.flush();
    } finally {
      for (const batch of this.batches.values()) {
        batch.close();
        await this.bigquery.dataset(this.config.dataset).table(this.stageTable(batch.table)).delete({ ignoreNotFound: true }).catch(() => undefined);
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
