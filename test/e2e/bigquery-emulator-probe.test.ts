/**
 * What goccy/bigquery-emulator v0.8.1 (built by test/setup/bigquery-emulator.ts) does with the
 * BigQuery features Parley's destination and dbt models rely on, through the Node client
 * (@google-cloud/bigquery 8.3.0) and dbt-bigquery 1.10.3. Each test pins today's behaviour, so a
 * change in the emulator (or in our use of it) shows up here first. Probed on the bare emulator
 * (`emulatorUrl`) unless the row says "front" (the compatibility front, `url`).
 *
 * | feature                                                        | emulator v0.8.1                                                                                   |
 * |----------------------------------------------------------------|---------------------------------------------------------------------------------------------------|
 * | create dataset with location                                   | works; location echoed ("EU")                                                                      |
 * | create an existing dataset                                     | fails HTTP 500 "dataset X is already created" (BigQuery: 409). Python clients retry 500s: dbt's  |
 * |                                                                | `create_dataset(exists_ok=True)` would spin for job_execution_timeout                            |
 * | CREATE SCHEMA [IF NOT EXISTS] (dbt's create_schema)            | accepted, but a no-op: no dataset is created. Create datasets through the API                      |
 * | sql/bigquery DDL: CREATE TABLE IF NOT EXISTS, JSON, NOT NULL,  | works, and a second run is a no-op. But PARTITION BY / CLUSTER BY are dropped (tables.get has no   |
 * |   PARTITION BY DATE(ts), CLUSTER BY                            | timePartitioning / clustering) and NOT NULL columns are listed NULLABLE                          |
 * | NOT NULL on write                                              | enforced: INSERT / load of a NULL fails ("NOT NULL constraint failed: <table>.<col>")              |
 * | load job, local NDJSON, explicit jobId, WRITE_TRUNCATE,        | works, only with a no-op auth client (below). WRITE_TRUNCATE replaces, WRITE_APPEND appends; a   |
 * |   JSON column given as JSON objects / arrays                   | failed load leaves the table as it was. Load jobs carry no statistics (no outputRows)             |
 * | load through a client without authClient                       | the client crashes the process: uncaught TypeError "Cannot set properties of undefined (setting |
 * |                                                                | 'Content-Type')" in teeny-request (not asserted here: it kills the test worker)                    |
 * | re-submitting a jobId (load)                                   | HTTP 500 internalError "failed to add job: job <id> is already created"; not loaded again          |
 * | re-submitting a jobId (DML query)                              | HTTP 400 "failed to add job: job <id> is already created"; the DML is not applied again            |
 * |                                                                | (BigQuery: 409 duplicate "Already Exists: Job ..." for both)                                       |
 * | MERGE ON k1 = k1 AND k2 = k2 AND DATE(T.ts) IN (DATE '..', ..) | works, BigQuery semantics (a source row whose target is outside the listed days is NOT MATCHED)  |
 * |   WHEN MATCHED UPDATE SET .. WHEN NOT MATCHED INSERT (cols) .. |                                                                                                   |
 * | BEGIN TRANSACTION; MERGE; MERGE; COMMIT TRANSACTION;           | runs, both MERGEs applied                                                                          |
 * | ... with a failing statement after the first MERGE             | job fails (jobInternalError) but NOT atomic: the statements before the failure stay applied     |
 * | ROLLBACK TRANSACTION                                           | fails at analysis "Statement not supported: RollbackStatement" (statements before it applied)    |
 * | script ending inside a transaction (no COMMIT)                 | changes kept (BigQuery rolls back and fails)                                                      |
 * | ERROR('..') in a script statement before the last one          | does not fail the job (its rows are never read); in the last statement or alone it does          |
 * | job statistics                                                 | SELECT: totalBytesProcessed / totalBytesBilled (emulator's own byte count); dry run too.        |
 * |                                                                | DDL, DML, scripts: none. numDmlAffectedRows: never. statementType: always "SELECT"              |
 * | front: statementType / CTAS destination                        | set from the statement (CREATE_TABLE_AS_SELECT with destinationTable, MERGE, SCRIPT, ...)        |
 * | SET (v) = (SELECT AS STRUCT ..), MERGE .. USING (SELECT * FROM t) | parse / analysis errors ("Unexpected keyword NULL", "source must be a single-table reference"): |
 * |   (dbt-bigquery's dynamic insert_overwrite script)             | the front rewrites them to SET v = (SELECT ..) and USING t; then the script replaces the days    |
 * | comments in a script with DECLARE (dbt's query-comment header) | parse errors ("Unexpected ..."); the front drops comments from such scripts                       |
 * | CREATE TABLE .. AS inside a script with DECLARE                | HTTP 500 "nil pointer dereference". dbt makes the temp table in its own job when on_schema_change |
 * |                                                                | is set (the marts set 'fail'), so its scripts never contain one                                   |
 * | CREATE OR REPLACE TABLE / VIEW over an existing one            | replaces it and stores the job DONE, but answers HTTP 409 "table t: table is already created"    |
 * |                                                                | (the Node client reads the job on a 409 and carries on; dbt-bigquery fails). Front: the stored job |
 * | memory                                                         | grows 10-30 MB per query, never shrinks; ~5 GB after one dbt build, and then googlesqlite panics |
 * |                                                                | ("slice bounds out of range [-2147483...]"). The front restarts it above 2.5 GB; data survive |
 * | concurrency                                                    | the emulator handles one request at a time (its own middleware); parallel jobs are safe         |
 * | CAST / SAFE_CAST(STRING AS TIMESTAMP) of text without a zone   | read as America/Los_Angeles (BigQuery: UTC). TIMESTAMP '..' literals and TIMESTAMP(text, 'UTC')  |
 * |                                                                | are UTC. CAST(TIMESTAMP AS STRING) prints Los Angeles time                                       |
 * | job errors                                                     | jobs.insert answers with the job DONE and status.errorResult reason "jobInternalError"          |
 * | dbt build --target bigquery (front, datasets made via the API) | passes: every model and the project's own data tests (dbt's built-in not_null / accepted_values / |
 * |                                                                | relationships run on DuckDB; unit tests: dbt-bigquery-unit-tests.test.ts, on their own emulator). |
 * |                                                                | Without the front: fails at the first statement (statementType, above)                           |
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbtOnEmulator, emulatorClient, rawDdl as sharedRawDdl } from '../helpers/dbt-emulator.js';
import { startEmulator, type RunningEmulator } from '../setup/bigquery-emulator.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PROJECT = 'parley-probe';
const LOCATION = 'EU';

/** A client for the emulator (a no-op auth client: see emulatorClient). */
function client(apiEndpoint: string): BigQuery {
  return emulatorClient(apiEndpoint, PROJECT, LOCATION);
}

interface JobError extends Error {
  code?: number;
  errors?: Array<{ reason?: string; message?: string }>;
}

async function failure(promise: Promise<unknown>): Promise<JobError> {
  try {
    await promise;
  } catch (error) {
    return error as JobError;
  }
  throw new Error('expected a failure');
}

let emulator: RunningEmulator;
let bq: BigQuery;
let tmp: string;

async function query(sql: string, options: { jobId?: string; dryRun?: boolean } = {}) {
  const [job] = await bq.createQueryJob({ query: sql, ...options });
  if (options.dryRun) return { rows: [], metadata: job.metadata }; // a dry run leaves no job to get
  const [rows] = await job.getQueryResults();
  const [metadata] = await job.getMetadata();
  return { rows: rows as Array<Record<string, unknown>>, metadata };
}

/** One jobs.insert over plain REST (no client retries or 409 handling), as dbt-bigquery sends it. */
async function insert(root: string, sql: string) {
  const jobId = `probe_${Math.random().toString(36).slice(2)}`;
  const response = await fetch(`${root}/bigquery/v2/projects/${PROJECT}/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jobReference: { projectId: PROJECT, jobId }, configuration: { query: { query: sql, useLegacySql: false } } }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { status?: { state?: string; errorResult?: { message?: string } }; error?: { message?: string } },
  };
}

function writeNdjson(name: string, rows: unknown[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return file;
}

function rawDdl(file: string, dataset: string): string {
  return sharedRawDdl(file, PROJECT, dataset);
}

function conversation(botId: string, conversationId: string, start: string, status: string | null, resolution: string | null, extra: Record<string, unknown> = {}) {
  return {
    source_instance: 'probe-org',
    bot_id: botId,
    conversation_id: conversationId,
    export_date: start.slice(0, 10),
    bot_name: 'Probe bot',
    platform_conversation_id: `p-${conversationId}`,
    conversation_start_time: start,
    conversation_end_time: start,
    language: 'en',
    channel: 'web',
    test_mode: false,
    conversation_status: status,
    last_resolution: resolution,
    is_llm_conversation: false,
    bot_messages_count: 3,
    visitor_messages_count: 4,
    not_understood_messages_count: 1,
    triggered_intent_replies: [
      { intent_id: 'i1', intent_name: 'Greeting', intent_timestamp: start, not_meaningful: true },
      // no zone: UTC to Parley (20:00 UTC is before c2's Greeting at 23:30 UTC; as Los Angeles time it would be after)
      { intent_id: 'i2', intent_name: 'Refund', intent_timestamp: '2026-11-01 20:00:00', not_meaningful: false },
    ],
    record: { conversation_id: conversationId, nested: { list: [1, 2] } },
    _extracted_at: '2026-11-20T00:00:00Z',
    _sync_id: 'sync-1',
    ...extra,
  };
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bq-probe-'));
  emulator = await startEmulator({ project: PROJECT });
  bq = client(emulator.emulatorUrl);
});

afterAll(async () => {
  await emulator?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('datasets and DDL', () => {
  it('creates a dataset with a location; a second create is a 500, not a 409', async () => {
    const [dataset] = await bq.createDataset('probe_ds', { location: LOCATION });
    expect(dataset.metadata.location).toBe(LOCATION);
    const again = await failure(bq.createDataset('probe_ds', { location: LOCATION }));
    expect(again.code).toBe(500);
    expect(again.message).toMatch(/already created/);
  });

  it('accepts CREATE SCHEMA but creates no dataset', async () => {
    await query(`CREATE SCHEMA IF NOT EXISTS \`${PROJECT}\`.\`made_by_ddl\``);
    const [datasets] = await bq.getDatasets();
    expect(datasets.map((d) => d.id)).not.toContain('made_by_ddl');
  });

  it('runs the raw-table DDL (twice), dropping partitioning, clustering and NOT NULL from the metadata', async () => {
    await bq.createDataset('ddl_ds', { location: LOCATION });
    const ddl = rawDdl('raw_ultimate_conversations.sql', 'ddl_ds');
    await query(ddl);
    await query(ddl); // IF NOT EXISTS: no error
    const [metadata] = await bq.dataset('ddl_ds').table('raw_ultimate_conversations').getMetadata();
    const fields = metadata.schema.fields as Array<{ name: string; type: string; mode?: string }>;
    expect(fields.find((f) => f.name === 'record')).toMatchObject({ type: 'JSON' });
    expect(fields.find((f) => f.name === 'triggered_intent_replies')).toMatchObject({ type: 'JSON' });
    // gaps: BigQuery reports REQUIRED, DAY partitioning on conversation_start_time and the clustering
    expect(fields.find((f) => f.name === 'bot_id')?.mode).toBe('NULLABLE');
    expect(metadata.timePartitioning).toBeUndefined();
    expect(metadata.clustering).toBeUndefined();
    // ...while NOT NULL is enforced on write
    const insert = await failure(
      query(`INSERT INTO \`${PROJECT}.ddl_ds.raw_ultimate_conversations\` (bot_id, conversation_id) VALUES (NULL, 'c')`),
    );
    expect(insert.message).toMatch(/NOT NULL constraint failed/);
    for (const file of ['raw_ultimate_export_days.sql', '_parley_quarantine.sql', '_parley_state.sql']) await query(rawDdl(file, 'ddl_ds'));
  });
});

describe('load jobs', () => {
  beforeAll(async () => {
    await bq.createDataset('load_ds', { location: LOCATION });
    await query(rawDdl('raw_ultimate_conversations.sql', 'load_ds'));
  });

  const table = () => bq.dataset('load_ds').table('raw_ultimate_conversations');
  const count = async () => Number((await query(`SELECT COUNT(*) AS n FROM \`${PROJECT}.load_ds.raw_ultimate_conversations\``)).rows[0]!.n);
  const rows = () => [
    conversation('b1', 'c1', '2026-11-01T10:00:00.000Z', 'botHandled', 'informed'),
    conversation('b1', 'c2', '2026-11-02T10:00:00Z', 'agent', 'escalated'),
  ];

  it('loads NDJSON with a deterministic jobId and WRITE_TRUNCATE; JSON objects land as JSON', async () => {
    const file = writeNdjson('load.ndjson', rows());
    const [job] = await table().load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE', jobId: 'parley_load_1' });
    expect(job.status?.state).toBe('DONE');
    expect(job.status?.errorResult).toBeUndefined();
    expect(job.jobReference?.jobId).toBe('parley_load_1');
    expect(job.statistics).toBeUndefined(); // gap: BigQuery gives statistics.load.outputRows
    const { rows: loaded } = await query(
      `SELECT TO_JSON_STRING(record) AS record, JSON_VALUE(triggered_intent_replies, '$[1].intent_name') AS intent
       FROM \`${PROJECT}.load_ds.raw_ultimate_conversations\` WHERE conversation_id = 'c1'`,
    );
    expect(loaded).toEqual([{ record: '{"conversation_id":"c1","nested":{"list":[1,2]}}', intent: 'Refund' }]);

    await table().load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE', jobId: 'parley_load_2' });
    expect(await count()).toBe(2); // truncated, not appended
    await table().load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND', jobId: 'parley_load_3' });
    expect(await count()).toBe(4);
  });

  it('refuses a re-submitted jobId with a 500 (BigQuery: 409) and does not load again', async () => {
    const file = writeNdjson('again.ndjson', rows());
    const again = await failure(table().load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_APPEND', jobId: 'parley_load_3' }));
    expect(again.code).toBe(500);
    expect(again.message).toMatch(/failed to add job: job parley_load_3 is already created/);
    expect(await count()).toBe(4);
    const [metadata] = await bq.job('parley_load_3', { location: LOCATION }).getMetadata();
    expect(metadata.status.state).toBe('DONE');
  });

  it('leaves the table as it was when a load fails', async () => {
    const file = writeNdjson('bad.ndjson', [{ ...rows()[0], bot_id: null }]);
    const bad = await failure(table().load(file, { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE', jobId: 'parley_load_bad' }));
    expect(bad.message).toMatch(/NOT NULL constraint failed/);
    expect(await count()).toBe(4);
  });
});

describe('MERGE, scripts and transactions', () => {
  const T = `\`${PROJECT}.merge_ds.target\``;
  const S = `\`${PROJECT}.merge_ds.staging\``;
  const merge = (bump: number) => `MERGE ${T} AS T USING ${S} AS S
    ON T.k1 = S.k1 AND T.k2 = S.k2 AND DATE(T.ts) IN (DATE '2026-11-01', DATE '2026-11-02')
    WHEN MATCHED THEN UPDATE SET ts = S.ts, v = S.v + ${bump}, j = S.j
    WHEN NOT MATCHED THEN INSERT (k1, k2, ts, v, j) VALUES (S.k1, S.k2, S.ts, S.v + ${bump}, S.j)`;
  const state = async () => (await query(`SELECT k1, k2, v FROM ${T} ORDER BY k1, k2, v`)).rows.map((r) => `${r.k1}${r.k2}=${r.v}`).join(' ');

  beforeAll(async () => {
    await bq.createDataset('merge_ds', { location: LOCATION });
    await query(`CREATE TABLE ${T} (k1 STRING NOT NULL, k2 STRING NOT NULL, ts TIMESTAMP NOT NULL, v INT64, j JSON) PARTITION BY DATE(ts) CLUSTER BY k1, k2`);
    await query(`CREATE TABLE ${S} (k1 STRING NOT NULL, k2 STRING NOT NULL, ts TIMESTAMP NOT NULL, v INT64, j JSON)`);
  });

  it('MERGEs on two keys plus a literal list of partition days', async () => {
    await query(`INSERT INTO ${T} (k1, k2, ts, v, j) VALUES
      ('a', '1', TIMESTAMP '2026-11-01 10:00:00', 1, JSON '{"x": 1}'),
      ('a', '2', TIMESTAMP '2026-11-02 10:00:00', 1, NULL),
      ('b', '1', TIMESTAMP '2026-11-05 10:00:00', 1, NULL)`);
    await query(`INSERT INTO ${S} (k1, k2, ts, v, j) VALUES
      ('a', '1', TIMESTAMP '2026-11-01 11:00:00', 2, JSON '{"x": 2}'),
      ('a', '3', TIMESTAMP '2026-11-02 10:00:00', 2, NULL),
      ('b', '1', TIMESTAMP '2026-11-05 10:00:00', 2, NULL)`);
    const { metadata } = await query(merge(0));
    // a1 updated; a2 untouched; a3 inserted; b1's target row is on a day not listed: NOT MATCHED, inserted
    expect(await state()).toBe('a1=2 a2=1 a3=2 b1=1 b1=2');
    expect((await query(`SELECT TO_JSON_STRING(j) AS j FROM ${T} WHERE k1 = 'a' AND k2 = '1'`)).rows).toEqual([{ j: '{"x":2}' }]);
    // gaps: BigQuery says MERGE and gives numDmlAffectedRows / dmlStats
    expect(metadata.statistics.query.statementType).toBe('SELECT');
    expect(metadata.statistics.query.numDmlAffectedRows).toBeUndefined();
    expect(metadata.statistics.totalBytesProcessed).toBeUndefined();
  });

  it('runs BEGIN TRANSACTION; MERGE; MERGE; COMMIT TRANSACTION;', async () => {
    await query(`DELETE FROM ${T} WHERE k1 = 'b'`);
    await query(`BEGIN TRANSACTION;\n${merge(100)};\n${merge(1000)};\nCOMMIT TRANSACTION;`);
    expect(await state()).toBe('a1=1002 a2=1 a3=1002 b1=102 b1=1002');
  });

  it('does not roll back a transaction whose later statement fails (BigQuery does)', async () => {
    await query(`DELETE FROM ${T} WHERE k1 = 'b'`);
    const failed = await failure(
      query(`BEGIN TRANSACTION;\n${merge(5)};\nINSERT INTO ${T} (k1, k2, ts) VALUES (NULL, 'x', CURRENT_TIMESTAMP());\nCOMMIT TRANSACTION;`),
    );
    expect(failed.message).toMatch(/NOT NULL constraint failed/);
    expect(failed.errors?.[0]?.reason).toBe('jobInternalError');
    expect(await state()).toBe('a1=7 a2=1 a3=7 b1=7'); // the first MERGE stayed applied

    const analysis = await failure(query(`BEGIN TRANSACTION;\nUPDATE ${T} SET v = 8 WHERE TRUE;\nSELECT nope FROM ${T};\nCOMMIT TRANSACTION;`));
    expect(analysis.message).toMatch(/Unrecognized name: nope/);
    expect(await state()).toBe('a1=8 a2=8 a3=8 b1=8');
  });

  it('has no ROLLBACK, keeps an uncommitted transaction, ignores ERROR() before the last statement', async () => {
    const rollback = await failure(query(`BEGIN TRANSACTION;\nUPDATE ${T} SET v = 9 WHERE TRUE;\nROLLBACK TRANSACTION;`));
    expect(rollback.message).toMatch(/Statement not supported: RollbackStatement/);
    expect(await state()).toBe('a1=9 a2=9 a3=9 b1=9');

    await query(`BEGIN TRANSACTION;\nUPDATE ${T} SET v = 10 WHERE TRUE;`);
    expect(await state()).toBe('a1=10 a2=10 a3=10 b1=10');

    // ERROR() fails the job only in the statement whose rows are read (the last one)
    await query(`BEGIN TRANSACTION;\nUPDATE ${T} SET v = 11 WHERE TRUE;\nSELECT ERROR('boom');\nCOMMIT TRANSACTION;`);
    expect(await state()).toBe('a1=11 a2=11 a3=11 b1=11');
    expect((await failure(query(`UPDATE ${T} SET v = 12 WHERE TRUE;\nSELECT ERROR('boom');`))).message).toMatch(/boom/);
    expect(await state()).toBe('a1=12 a2=12 a3=12 b1=12');
  });

  it('refuses a re-submitted query jobId without running the DML again', async () => {
    await query(`UPDATE ${T} SET v = v + 1 WHERE TRUE`, { jobId: 'parley_merge_fixed' });
    const again = await failure(query(`UPDATE ${T} SET v = v + 1 WHERE TRUE`, { jobId: 'parley_merge_fixed' }));
    expect(again.code).toBe(400);
    expect(again.message).toMatch(/failed to add job: job parley_merge_fixed is already created/);
    expect(await state()).toBe('a1=13 a2=13 a3=13 b1=13');
  });
});

describe('statistics, time zones, jobs.query, memory', () => {
  it('reports totalBytesProcessed on SELECT jobs and dry runs only', async () => {
    await bq.createDataset('stats_ds', { location: LOCATION });
    await query(`CREATE TABLE \`${PROJECT}.stats_ds.t\` (a STRING, b INT64)`);
    const insert = await query(`INSERT INTO \`${PROJECT}.stats_ds.t\` (a, b) VALUES ('x', 1), ('y', 2)`);
    expect(insert.metadata.statistics.totalBytesProcessed).toBeUndefined();
    const select = await query(`SELECT * FROM \`${PROJECT}.stats_ds.t\``);
    expect(Number(select.metadata.statistics.totalBytesProcessed)).toBeGreaterThan(0);
    expect(select.metadata.statistics.query.totalBytesProcessed).toBe(select.metadata.statistics.totalBytesProcessed);
    expect(select.metadata.statistics.query.totalBytesBilled).toBeDefined();
    const dry = await query(`SELECT * FROM \`${PROJECT}.stats_ds.t\``, { dryRun: true });
    expect(Number(dry.metadata.statistics.totalBytesProcessed)).toBeGreaterThan(0);
  });

  it('reads zone-less timestamp text as Los Angeles time in CAST, UTC elsewhere', async () => {
    const { rows } = await query(`SELECT
      UNIX_SECONDS(TIMESTAMP '2026-10-31 23:00:00') AS literal,
      UNIX_SECONDS(SAFE_CAST('2026-10-31 23:00:00' AS TIMESTAMP)) AS cast_naive,
      UNIX_SECONDS(SAFE_CAST('2026-10-31 23:00:00+00:00' AS TIMESTAMP)) AS cast_offset,
      UNIX_SECONDS(SAFE.TIMESTAMP('2026-10-31 23:00:00', 'UTC')) AS function_utc,
      UNIX_SECONDS(SAFE.TIMESTAMP('2026-11-01T01:00:00+02:00', 'UTC')) AS function_offset,
      SAFE.TIMESTAMP('not a time', 'UTC') AS function_invalid,
      CAST(TIMESTAMP '2026-10-31 23:00:00' AS STRING) AS to_text`);
    const utc = Date.UTC(2026, 9, 31, 23) / 1000;
    expect(rows[0]).toEqual({
      literal: utc,
      cast_naive: utc + 7 * 3600, // gap: BigQuery reads it as UTC
      cast_offset: utc,
      function_utc: utc,
      function_offset: utc,
      function_invalid: null,
      to_text: '2026-10-31 16:00:00-07', // gap: BigQuery prints '2026-10-31 23:00:00+00'
    });
  });

  it('replaces a table with CREATE OR REPLACE but answers 409 "already created"; the front answers with the job', async () => {
    await bq.createDataset('replace_ds', { location: LOCATION });
    const replace = (n: number) => `CREATE OR REPLACE TABLE \`${PROJECT}.replace_ds.t\` AS SELECT ${n} AS x`;
    // jobs.insert over REST, as dbt-bigquery sends it (the Node client hides a 409 by reading the job)
    expect((await insert(emulator.emulatorUrl, replace(1))).status).toBe(200); // creating works
    const bare = await insert(emulator.emulatorUrl, replace(2));
    expect([bare.status, bare.body.error?.message]).toEqual([409, 'table t: table is already created']);
    expect((await query(`SELECT x FROM \`${PROJECT}.replace_ds.t\``)).rows).toEqual([{ x: 2 }]); // ...yet it replaced
    const front = await insert(emulator.url, replace(3));
    expect([front.status, front.body.status?.state]).toEqual([200, 'DONE']);
    expect((await query(`SELECT x FROM \`${PROJECT}.replace_ds.t\``)).rows).toEqual([{ x: 3 }]);
  });

  it('grows by megabytes per query and never shrinks (the front restarts it, keeping the data)', async () => {
    const rss = (pid: number | undefined) => Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
    const before = rss(emulator.emulatorPid());
    for (let i = 0; i < 10; i++) await query(`SELECT ${i} AS x`);
    expect(rss(emulator.emulatorPid()) - before).toBeGreaterThan(10 * 4 * 1024 * 1024); // > 4 MB a query (measured 10-30)

    const small = await startEmulator({ project: PROJECT, recycleMb: 300 });
    try {
      const front = client(small.url);
      await front.createDataset('kept_ds', { location: LOCATION });
      const run = async (sql: string) => {
        const [job] = await front.createQueryJob({ query: sql });
        return (await job.getQueryResults())[0] as Array<Record<string, unknown>>;
      };
      await run(`CREATE TABLE \`${PROJECT}.kept_ds.t\` (x INT64)`);
      await run(`INSERT INTO \`${PROJECT}.kept_ds.t\` (x) VALUES (1), (2)`);
      for (let i = 0; i < 30 && small.restarts() === 0; i++) await run(`SELECT COUNT(*) AS n FROM \`${PROJECT}.kept_ds.t\` WHERE x > ${i}`);
      expect(small.restarts()).toBeGreaterThan(0);
      expect(await run(`SELECT SUM(x) AS total FROM \`${PROJECT}.kept_ds.t\``)).toEqual([{ total: 3 }]);
    } finally {
      await small.stop();
    }
  });

  it('front: states the statement type and the CREATE TABLE AS SELECT destination', async () => {
    const front = client(emulator.url);
    await front.createDataset('front_ds', { location: LOCATION });
    const type = async (sql: string) => {
      const [job] = await front.createQueryJob({ query: sql });
      await job.getQueryResults();
      const [metadata] = await job.getMetadata();
      return metadata as { statistics: { query: { statementType: string } }; configuration: { query: { destinationTable?: unknown } } };
    };
    const ctas = await type(`/* dbt */ create or replace table \`${PROJECT}\`.\`front_ds\`.\`m\` partition by d cluster by a OPTIONS() as (select 'x' as a, date '2026-11-01' as d)`);
    expect(ctas.statistics.query.statementType).toBe('CREATE_TABLE_AS_SELECT');
    expect(ctas.configuration.query.destinationTable).toEqual({ projectId: PROJECT, datasetId: 'front_ds', tableId: 'm' });
    expect((await type(`create or replace view \`${PROJECT}.front_ds.v\` as (select 1 as x)`)).statistics.query.statementType).toBe('CREATE_VIEW');
    expect((await type(`insert into \`${PROJECT}.front_ds.m\` (a, d) values ('y', date '2026-11-02')`)).statistics.query.statementType).toBe('INSERT');
    expect((await type(`BEGIN TRANSACTION; DELETE FROM \`${PROJECT}.front_ds.m\` WHERE a = 'y'; COMMIT TRANSACTION;`)).statistics.query.statementType).toBe('SCRIPT');
    expect((await type(`select ';' as semicolon`)).statistics.query.statementType).toBe('SELECT');
  });

  it("front: runs dbt-bigquery's insert_overwrite script, which the bare emulator cannot parse", async () => {
    const front = client(emulator.url);
    await front.createDataset('overwrite_ds', { location: LOCATION });
    const t = `\`${PROJECT}.overwrite_ds.t\``;
    const tmpTable = `\`${PROJECT}.overwrite_ds.t__dbt_tmp\``;
    const run = async (bq: BigQuery, sql: string) => {
      const [job] = await bq.createQueryJob({ query: sql });
      return (await job.getQueryResults())[0] as Array<Record<string, unknown>>;
    };
    await run(front, `CREATE TABLE ${t} (k STRING, day DATE) PARTITION BY day`);
    await run(front, `INSERT INTO ${t} (k, day) VALUES ('a', DATE '2026-11-01'), ('b', DATE '2026-11-02'), ('c', DATE '2026-11-03')`);
    // the shape of dbt-bigquery 1.10's bq_dynamic_insert_overwrite_sql when the temp table exists
    // already (on_schema_change set: dbt makes it first to compare columns). A CREATE TABLE inside
    // the script crashes the emulator (500 "nil pointer dereference").
    await run(front, `create or replace table ${tmpTable} as (select 'b2' as k, date '2026-11-02' as day union all select 'd', date '2026-11-04')`);
    const script = `declare dbt_partitions_for_replacement array<date>;
      set (dbt_partitions_for_replacement) = (
          select as struct
              array_agg(distinct day IGNORE NULLS)
          from ${tmpTable}
      );
      merge into ${t} as DBT_INTERNAL_DEST
          using (
          select
          * from ${tmpTable}
        ) as DBT_INTERNAL_SOURCE
          on FALSE
      when not matched by source
           and DBT_INTERNAL_DEST.day in unnest(dbt_partitions_for_replacement)
          then delete
      when not matched then insert (\`k\`, \`day\`) values (\`k\`, \`day\`);
      -- 4. clean up the temp table
      drop table if exists ${tmpTable}`;
    const bareRun = await insert(emulator.emulatorUrl, script);
    expect(bareRun.body.status?.errorResult?.message).toMatch(/Unexpected keyword NULL/);
    const frontRun = await insert(emulator.url, `/* {"app": "dbt"} */\n  -- generated script\n${script}`);
    expect([frontRun.status, frontRun.body.status?.state, frontRun.body.status?.errorResult]).toEqual([200, 'DONE', undefined]);
    expect(await run(front, `SELECT k, CAST(day AS STRING) AS day FROM ${t} ORDER BY k`)).toEqual([
      { k: 'a', day: '2026-11-01' },
      { k: 'b2', day: '2026-11-02' },
      { k: 'c', day: '2026-11-03' },
      { k: 'd', day: '2026-11-04' },
    ]);
  });
});

describe('dbt-bigquery on the emulator', () => {
  it('dbt build --target bigquery passes over raw tables made with sql/bigquery and loaded rows', async () => {
    const front = client(emulator.url);
    // CREATE SCHEMA is a no-op on the emulator: the datasets are made through the API, as the
    // destination does.
    await front.createDataset('dbt_raw', { location: LOCATION });
    await front.createDataset('dbt_marts', { location: LOCATION });
    for (const file of fs.readdirSync(path.join(ROOT, 'sql', 'bigquery'))) await front.query(rawDdl(file, 'dbt_raw'));
    const conversations = [
      conversation('b1', 'c1', '2026-11-01T10:00:00.000Z', 'botHandled', 'informed'),
      conversation('b1', 'c2', '2026-11-01T23:30:00Z', 'agent', 'escalated'),
      conversation('b1', 'c3', '2026-11-02T10:00:00Z', 'botHandled', 'resolved', { triggered_intent_replies: [] }),
      conversation('b1', 'c4', '2026-11-02T12:00:00Z', 'email', null, { test_mode: true, triggered_intent_replies: null }),
      conversation('b2', 'c1', '2026-11-01T09:00:00Z', 'botHandled', 'informed'),
    ];
    const exportDays = ['2026-11-01', '2026-11-02'].flatMap((day) =>
      ['b1', 'b2'].map((bot) => ({ source_instance: 'probe-org', bot_id: bot, export_date: day, status: 'loaded', file_count: 1, conversation_count: 2, quarantined_count: 0, record: { files: 1 }, _extracted_at: '2026-11-20T00:00:00Z', _sync_id: 'sync-1' })),
    );
    const load = { sourceFormat: 'NEWLINE_DELIMITED_JSON', writeDisposition: 'WRITE_TRUNCATE' } as const;
    await front.dataset('dbt_raw').table('raw_ultimate_conversations').load(writeNdjson('dbt-conversations.ndjson', conversations), load);
    await front.dataset('dbt_raw').table('raw_ultimate_export_days').load(writeNdjson('dbt-days.ndjson', exportDays), load);

    const dbt = dbtOnEmulator({ url: emulator.url, project: PROJECT, location: LOCATION, raw: 'dbt_raw', marts: 'dbt_marts', workDir: tmp, timeoutMs: 3_000_000 });
    // One full build of the models and of the project's own data tests: its generic tests
    // (unique_key, fraction_between_zero_and_one, ...) and singular tests, whose SQL is ours. dbt's
    // built-in not_null / accepted_values / relationships (~120 of ~180 data tests) are one macro on
    // every adapter, and run on DuckDB in every e2e build; here each costs the emulator 10–50 s as its
    // catalog grows. Unit tests: dbt-bigquery-unit-tests.test.ts, on an emulator of their own. A
    // second, incremental build is covered by bigquery-vs-duckdb.test.ts.
    const result = await dbt('build', '--exclude', 'test_type:unit', 'test_name:not_null', 'test_name:accepted_values', 'test_name:relationships');
    expect(result.status, `dbt build:\n${result.stdout.slice(-6_000)}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toMatch(/ERROR=0 SKIP=0/);

    const { rows } = await front.query(
      `SELECT bot_id, CAST(conversation_date AS STRING) AS day, total_conversations, bot_handled_rate, is_complete
       FROM \`${PROJECT}.dbt_marts.agg_bot_daily_metrics\` ORDER BY bot_id, day`,
    ).then(([r]) => ({ rows: r as Array<Record<string, unknown>> }));
    expect(rows).toEqual([
      { bot_id: 'b1', day: '2026-11-01', total_conversations: 2, bot_handled_rate: 0.5, is_complete: true },
      { bot_id: 'b1', day: '2026-11-02', total_conversations: 1, bot_handled_rate: 1, is_complete: false },
      { bot_id: 'b2', day: '2026-11-01', total_conversations: 1, bot_handled_rate: 1, is_complete: true },
      { bot_id: 'b2', day: '2026-11-02', total_conversations: 0, bot_handled_rate: null, is_complete: false },
    ]);
    const [intents] = await front.query(
      `SELECT bot_id, conversation_id, first_intent, last_intent, first_meaningful_intent FROM \`${PROJECT}.dbt_marts.fct_conversations\` ORDER BY bot_id, conversation_id`,
    );
    expect(intents).toEqual([
      { bot_id: 'b1', conversation_id: 'c1', first_intent: 'Greeting', last_intent: 'Refund', first_meaningful_intent: 'Refund' },
      // intent time text without a zone is read as UTC (bigquery__parse_utc_timestamp), not Los Angeles time
      { bot_id: 'b1', conversation_id: 'c2', first_intent: 'Refund', last_intent: 'Greeting', first_meaningful_intent: 'Refund' },
      { bot_id: 'b1', conversation_id: 'c3', first_intent: null, last_intent: null, first_meaningful_intent: null },
      { bot_id: 'b1', conversation_id: 'c4', first_intent: null, last_intent: null, first_meaningful_intent: null },
      { bot_id: 'b2', conversation_id: 'c1', first_intent: 'Greeting', last_intent: 'Refund', first_meaningful_intent: 'Refund' },
    ]);
  }, 3_300_000);
});
