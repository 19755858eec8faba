/**
 * The local BigQuery: goccy/bigquery-emulator v0.8.1 (pure Go, no Docker), built once from the Go
 * module cache into `<repo>/.tools/bin/bigquery-emulator` (git-ignored), then started per test file
 * on free 127.0.0.1 ports.
 *
 * Why not `go install …@v0.8.1`: the module proxy refuses the version-list lookup `go install` makes
 * for this module, while `go mod download` of the exact version works; so the binary is built from
 * the downloaded module directory. Set PARLEY_BIGQUERY_EMULATOR to a prebuilt binary to skip the build.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../connector/core/paths.js';

export const EMULATOR_MODULE = 'github.com/goccy/bigquery-emulator';
export const EMULATOR_VERSION = 'v0.8.1';
const HOST = '127.0.0.1';

export function emulatorBinaryPath(): string {
  return process.env.PARLEY_BIGQUERY_EMULATOR ?? path.join(packageRoot(), '.tools', 'bin', 'bigquery-emulator');
}

function say(message: string): void {
  process.stderr.write(`[bigquery-emulator] ${message}\n`);
}

/** With PARLEY_BIGQUERY_EMULATOR_TRACE=<file>: one line per request (time, path, status) and restart. */
function trace(line: string): void {
  const file = process.env.PARLEY_BIGQUERY_EMULATOR_TRACE;
  if (file) fs.appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
}

/**
 * The emulator binary, built when missing (a cold build takes minutes and a few GB of memory; later
 * calls return at once). Throws with what to do when Go is not installed or the build fails.
 */
export function ensureEmulatorBinary(): string {
  const binary = emulatorBinaryPath();
  if (fs.existsSync(binary)) return binary;
  if (process.env.PARLEY_BIGQUERY_EMULATOR) {
    throw new Error(`PARLEY_BIGQUERY_EMULATOR=${binary}: no such file (unset it to build ${EMULATOR_MODULE}@${EMULATOR_VERSION} into .tools/bin)`);
  }

  const go = process.env.PARLEY_GO ?? 'go';
  const probe = spawnSync(go, ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `the BigQuery tests need ${EMULATOR_MODULE}@${EMULATOR_VERSION}, built once with Go >= 1.25, and '${go}' ` +
        `is not runnable (${probe.error?.message ?? `exit code ${probe.status}`}). Install Go (https://go.dev/dl/), ` +
        `set PARLEY_GO to its go binary, or set PARLEY_BIGQUERY_EMULATOR to a prebuilt emulator binary.`,
    );
  }

  const started = Date.now();
  say(`building ${EMULATOR_MODULE}@${EMULATOR_VERSION} into ${binary} with ${probe.stdout.trim()} (once; takes minutes)`);
  const env = { ...process.env, CGO_ENABLED: '0' };
  const download = spawnSync(go, ['mod', 'download', '-json', `${EMULATOR_MODULE}@${EMULATOR_VERSION}`], {
    encoding: 'utf8',
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (download.error || download.status !== 0) {
    throw new Error(`go mod download ${EMULATOR_MODULE}@${EMULATOR_VERSION} failed (${download.error?.message ?? `exit code ${download.status}`}): ${download.stdout}`);
  }
  const moduleDir = (JSON.parse(download.stdout) as { Dir?: string }).Dir;
  if (!moduleDir || !fs.existsSync(moduleDir)) throw new Error(`go mod download gave no module directory: ${download.stdout}`);

  // Build beside the target and rename: a half-written binary is never seen under the final name.
  fs.mkdirSync(path.dirname(binary), { recursive: true });
  const partial = `${binary}.${process.pid}.partial`;
  const build = spawnSync(
    go,
    ['build', '-o', partial, '-ldflags', `-s -w -X main.version=${EMULATOR_VERSION}`, './cmd/bigquery-emulator'],
    { cwd: moduleDir, env, stdio: ['ignore', 2, 2] },
  );
  if (build.error || build.status !== 0) {
    fs.rmSync(partial, { force: true });
    throw new Error(`go build of ${EMULATOR_MODULE}@${EMULATOR_VERSION} in ${moduleDir} failed (${build.error?.message ?? `exit code ${build.status}`}); see the output above`);
  }
  fs.renameSync(partial, binary);
  say(`built in ${Math.round((Date.now() - started) / 1000)} s`);
  return binary;
}

export interface RunningEmulator {
  /**
   * REST root to give clients (Node `apiEndpoint`, dbt `api_endpoint`): the compatibility front
   * (see `startEmulator`), e.g. http://127.0.0.1:40123.
   */
  url: string;
  port: number;
  /** The emulator's own REST root: requests sent there bypass the front (no fixes, no restarts). */
  emulatorUrl: string;
  emulatorPort: number;
  /** BigQuery Storage API (gRPC) of the emulator, 127.0.0.1 too. */
  grpcPort: number;
  project: string;
  /** Times the front has restarted the emulator process (see `startEmulator`). */
  restarts(): number;
  /** Process id of the emulator now running. */
  emulatorPid(): number | undefined;
  stop(): Promise<void>;
}

/** Children still running; killed if the test process exits without stopping them. */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function killAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL');
  });
}

/** Distinct free TCP ports on 127.0.0.1 (held together while chosen, so they differ). */
async function freePorts(count: number): Promise<number[]> {
  const servers: net.Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = net.createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, HOST, () => resolve());
      });
      ports.push((server.address() as net.AddressInfo).port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  }
}

/** Resident memory of a process in bytes (Linux /proc), or undefined where unknown. */
function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}


/**
 * Starts an emulator serving `project` on 127.0.0.1 only, behind a compatibility front, and
 * resolves once the REST API answers. Each call is an independent, empty BigQuery, kept in a
 * SQLite file in a temporary folder that `stop()` removes.
 *
 * The front (also on 127.0.0.1) works around emulator defects that no SQL can avoid
 * (test/e2e/bigquery-emulator-probe.test.ts shows each on the bare emulator):
 * - Memory: the emulator grows by 10-30 MB per query and never gives it back; a single `dbt build`
 *   takes it to ~5 GB, and by then queries panic inside googlesqlite ("slice bounds out of range
 *   [-2147483...]", a 32-bit offset overflowing). The front passes one request at a time and,
 *   between two requests, restarts the emulator on the same ports once it holds more than
 *   PARLEY_BIGQUERY_EMULATOR_RECYCLE_MB (default 2560) MB; a fresh process with dbt's tables and
 *   views already holds ~1.1 GB a few seconds after it starts, so a lower limit restarts it all the time. Datasets, tables, rows and jobs live in
 *   the SQLite file and survive the restart (well under a second). The emulator loads every stored
 *   job with its result rows when it starts, so before a restart the front deletes all but the 50
 *   newest query jobs (clients read a job right after making it; load jobs are never deleted).
 * - Job metadata: every query job says statementType SELECT, and DDL jobs name no destination
 *   table. dbt-bigquery reads both after each statement and fails (`'NoneType' object has no
 *   attribute 'path'`). The front sets statementType from the statement (CREATE_VIEW,
 *   CREATE_TABLE_AS_SELECT, MERGE, SCRIPT, ...) and, for CREATE TABLE, the destination / DDL
 *   target table, as BigQuery does.
 * - Two statement forms its parser rejects, which dbt-bigquery's insert_overwrite script uses
 *   (`rewriteForEmulator`): `SET (v) = (SELECT AS STRUCT expr ...)` ("Unexpected keyword NULL")
 *   becomes `SET v = (SELECT expr ...)`, and `MERGE ... USING (SELECT * FROM t) AS s` ("MERGE: source
 *   must be a single-table reference") becomes `USING t AS s`. Same meaning, BigQuery accepts both.
 * - A jobs.insert whose job id exists (a client retrying after a timeout while its first attempt
 *   waited or ran): the emulator refuses it with a 400 or 500 ("job <id> is already created"); the
 *   front answers 409 duplicate, and the client reads the existing job. BigQuery documents this:
 *   job ids are unique and client-generated "to allow reliable retry of the jobs.insert call"
 *   (https://cloud.google.com/bigquery/docs/running-jobs), and reason `duplicate`, HTTP 409, is
 *   returned "when trying to create a job, dataset, or table that already exists"
 *   (https://cloud.google.com/bigquery/docs/error-messages). Parley's destination does not depend
 *   on it for correctness: every commit statement is idempotent, and the crash and commit-script
 *   tests run on the bare emulator too (ultimate-bigquery-crash, bigquery-commit-script). A
 *   request whose client has disconnected before its turn is not sent at all.
 * - `CREATE OR REPLACE TABLE|VIEW` over an existing one (every dbt run after the first; Parley's
 *   destination never sends one): the emulator replaces it and stores the job DONE, then answers 409
 *   "table is already created". The front answers with the stored job, as BigQuery does: OR REPLACE
 *   "replaces any table with the same name if it exists"
 *   (https://cloud.google.com/bigquery/docs/reference/standard-sql/data-definition-language#create_table_statement).
 * - statementType: BigQuery reports the statement's type per job (JobStatistics2.statementType,
 *   https://cloud.google.com/bigquery/docs/reference/rest/v2/Job); dbt-bigquery reads it, Parley does not.
 * It changes no other SQL, and no data, status codes or errors. Not answered here, and so not relied
 * on: multi-statement transactions. BigQuery commits a script's transaction atomically and rolls it
 * back when the script fails or ends before COMMIT (https://cloud.google.com/bigquery/docs/transactions);
 * the emulator runs the statements one by one and keeps what ran, and Parley's commit is built to be
 * correct either way (connector/destinations/bigquery/commit-script.ts).
 */
export async function startEmulator(options: {
  project: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  /** Resident size (MB) above which the front restarts the emulator; default 2560. */
  recycleMb?: number;
  /** Port of the front (the URL clients use); default a free one. */
  port?: number;
}): Promise<RunningEmulator> {
  const binary = ensureEmulatorBinary();
  const recycleBytes = (options.recycleMb ?? Number(process.env.PARLEY_BIGQUERY_EMULATOR_RECYCLE_MB ?? 2560)) * 1024 * 1024;
  let lastError: Error | undefined;
  // A port chosen free can be taken before the emulator binds it: try again with new ports.
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      return await startOnce(binary, options.project, options.logLevel ?? 'error', recycleBytes, options.port ?? 0);
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('emulator did not start');
}

interface EmulatorProcess {
  pid: number | undefined;
  stop(): Promise<void>;
}

/** Spawns the emulator and resolves once its REST API answers (or rejects with its output). */
async function launch(binary: string, args: string[], url: string, project: string): Promise<EmulatorProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  killAllOnExit();
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let hasExited = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      hasExited = true;
      running.delete(child);
      resolve();
    }),
  );
  const stop = async (): Promise<void> => {
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited) throw new Error(`bigquery-emulator exited before answering (exit code ${child.exitCode}): ${output.trim()}`);
    try {
      const response = await fetch(`${url}/bigquery/v2/projects/${encodeURIComponent(project)}/datasets`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { pid: child.pid, stop };
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`bigquery-emulator did not answer on ${url} within 60 s: ${output.trim()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function startOnce(binary: string, project: string, logLevel: string, recycleBytes: number, frontPort: number): Promise<RunningEmulator> {
  const [emulatorPort, grpcPort] = (await freePorts(2)) as [number, number];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bq-emulator-'));
  const args = [
    `--project=${project}`,
    `--host=${HOST}`,
    `--port=${emulatorPort}`,
    `--grpc-port=${grpcPort}`,
    `--log-level=${logLevel}`,
    `--database=${path.join(dataDir, 'bigquery.sqlite')}`,
  ];
  const emulatorUrl = `http://${HOST}:${emulatorPort}`;
  let emulator: EmulatorProcess;
  try {
    emulator = await launch(binary, args, emulatorUrl, project);
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  let restarts = 0;
  // Query jobs seen, oldest first. The emulator keeps every job with its result rows in its file and
  // loads them all when it starts: after a few hundred dbt queries a fresh process is over 1 GB at
  // once. Before each restart, all but the newest KEEP_QUERY_JOBS query jobs are deleted (clients
  // read a job right after making it; load jobs, whose ids the destination relies on, are kept).
  const queryJobs: string[] = [];
  const beforeEachRequest = async (): Promise<void> => {
    if ((residentBytes(emulator.pid) ?? 0) <= recycleBytes) return;
    for (const job of queryJobs.splice(0, Math.max(0, queryJobs.length - KEEP_QUERY_JOBS))) {
      await fetch(`${emulatorUrl}${job}/delete`, { method: 'DELETE' }).catch(() => undefined);
    }
    const before = residentBytes(emulator.pid) ?? 0;
    const started = Date.now();
    await emulator.stop();
    emulator = await launch(binary, args, emulatorUrl, project);
    restarts++;
    trace(`restart #${restarts} at ${Math.round(before / 1048576)} MB took ${Date.now() - started} ms`);
  };

  let front: http.Server;
  try {
    front = await startFront(emulatorPort, project, beforeEachRequest, frontPort, (job) => queryJobs.push(job));
  } catch (error) {
    await emulator.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const port = (front.address() as net.AddressInfo).port;
  return {
    url: `http://${HOST}:${port}`,
    port,
    emulatorUrl,
    emulatorPort,
    grpcPort,
    project,
    restarts: () => restarts,
    emulatorPid: () => emulator.pid,
    async stop() {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      await emulator.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The compatibility front.

const KEEP_QUERY_JOBS = 50;

async function startFront(
  emulatorPort: number,
  project: string,
  beforeEachRequest: () => Promise<void>,
  port: number,
  onQueryJob: (jobPath: string) => void,
): Promise<http.Server> {
  let queue: Promise<void> = Promise.resolve();
  const server = http.createServer((request, response) => {
    // One request at a time, in arrival order; the emulator may be restarted between two.
    queue = queue
      .then(async () => {
        try {
          await beforeEachRequest();
        } catch (error) {
          response.writeHead(502, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ error: { code: 502, message: `bigquery-emulator front: restart failed: ${(error as Error).message}` } }));
          return;
        }
        const started = Date.now();
        await relay(request, response, emulatorPort, project, onQueryJob);
        trace(`${Date.now() - started} ms ${request.method} ${request.url?.split('?')[0]} -> ${response.statusCode}`);
      })
      .catch(() => undefined);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve());
  });
  return server;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

async function relay(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  emulatorPort: number,
  project: string,
  onQueryJob: (jobPath: string) => void,
): Promise<void> {
  try {
    const body = rewriteRequestBody(request.url ?? '', await readAll(request));
    const headers = { ...request.headers, host: `${HOST}:${emulatorPort}` };
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    const send = (method: string | undefined, url: string | undefined, sendHeaders: http.OutgoingHttpHeaders, sendBody?: Buffer) =>
      new Promise<http.IncomingMessage>((resolve, reject) => {
        const forward = http.request({ host: HOST, port: emulatorPort, method, path: url, headers: sendHeaders }, resolve);
        forward.once('error', reject);
        forward.end(sendBody);
      });
    // A client that gave up while its request waited here has retried or will: do not run it twice.
    if (request.socket.destroyed) return;
    const insert = parseJobsInsert(request.method, request.url ?? '', body);
    if (insert && (await send('GET', insert.path, { host: `${HOST}:${emulatorPort}` }).then(async (r) => (await readAll(r), r.statusCode))) === 200) {
      // A job id that exists already (a client retrying an insert whose answer it missed): BigQuery
      // answers 409 duplicate (https://cloud.google.com/bigquery/docs/error-messages) and the client
      // reads the job; the emulator would refuse it with a 400 / 500 instead (see startEmulator).
      const message = `Already Exists: Job ${insert.path.split('/jobs/')[1]}`;
      response.writeHead(409, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { code: 409, message, status: 'ALREADY_EXISTS', errors: [{ reason: 'duplicate', message }] } }));
      return;
    }
    let upstream = await send(request.method, request.url, headers, body);
    let payload = await readAll(upstream);
    if (
      upstream.statusCode === 409 &&
      insert?.sql !== undefined &&
      /^CREATE\s+OR\s+REPLACE\s+(TABLE|VIEW)\b/i.test(skeleton(insert.sql).trim()) &&
      /table is already created/.test(payload.toString('utf8'))
    ) {
      // CREATE OR REPLACE over an existing table or view: the emulator has replaced it and stored
      // the job DONE, then answered 409 "already created". Answer with that stored job instead.
      const stored = await send('GET', insert.path, { host: `${HOST}:${emulatorPort}` });
      const storedPayload = await readAll(stored);
      if (stored.statusCode === 200) {
        upstream = stored;
        payload = storedPayload;
      }
    }
    const url = request.url ?? '';
    const isJobResource = JOB_RESOURCE.test(url);
    const isJobsQuery = request.method === 'POST' && JOBS_QUERY.test(url);
    if ((isJobResource || isJobsQuery) && upstream.statusCode === 200 && /json/.test(String(upstream.headers['content-type']))) {
      try {
        const json = JSON.parse(payload.toString('utf8')) as JobResource & { jobs?: JobResource[] };
        if (isJobResource) {
          for (const job of json.jobs ?? [json]) fixJobMetadata(job, project);
          payload = Buffer.from(JSON.stringify(json));
        }
        // query jobs made here are forgotten before a restart (see startOnce)
        const ref = json.jobReference;
        if (request.method === 'POST' && ref?.jobId && (isJobsQuery || json.configuration?.query)) onQueryJob(jobPath(ref.projectId ?? project, ref.jobId));
      } catch {
        // not a job resource after all: pass it on untouched
      }
    }
    const outHeaders = { ...upstream.headers, 'content-length': String(payload.length) };
    delete outHeaders['transfer-encoding'];
    response.writeHead(upstream.statusCode ?? 502, outHeaders);
    response.end(payload);
  } catch (error) {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { code: 502, message: `bigquery-emulator front: ${(error as Error).message}` } }));
  }
}

const JOBS_INSERT = /^\/bigquery\/v2\/projects\/[^/]+\/jobs(\?|$)/;
const JOBS_QUERY = /^\/bigquery\/v2\/projects\/[^/]+\/queries(\?|$)/;
const JOB_RESOURCE = /^\/(upload\/)?bigquery\/v2\/projects\/[^/]+\/jobs(\/[^/?]+)?(\?|$)/;

function jobPath(projectId: string, jobId: string): string {
  return `/bigquery/v2/projects/${encodeURIComponent(projectId)}/jobs/${encodeURIComponent(jobId)}`;
}

/** A JSON jobs.insert that names its job: the job's path, and its SQL when it is a query. */
function parseJobsInsert(method: string | undefined, url: string, body: Buffer): { path: string; sql: string | undefined } | undefined {
  if (method !== 'POST' || !JOBS_INSERT.test(url)) return undefined;
  try {
    const job = JSON.parse(body.toString('utf8')) as { jobReference?: { projectId?: string; jobId?: string }; configuration?: { query?: { query?: string } } };
    const ref = job.jobReference;
    if (!ref?.jobId || !ref.projectId) return undefined;
    return { path: jobPath(ref.projectId, ref.jobId), sql: job.configuration?.query?.query };
  } catch {
    return undefined;
  }
}

interface TableReference {
  projectId: string;
  datasetId: string;
  tableId: string;
}
interface JobResource {
  jobReference?: { projectId?: string; jobId?: string };
  configuration?: { query?: { query?: string; destinationTable?: TableReference } };
  statistics?: { query?: { statementType?: string; ddlTargetTable?: TableReference } };
}

/** Sets statementType (and a CREATE TABLE's target) where the emulator reports its constant SELECT. */
export function fixJobMetadata(job: JobResource, defaultProject: string): void {
  const sql = job.configuration?.query?.query;
  const stats = job.statistics?.query;
  if (sql === undefined || stats === undefined || stats.statementType !== 'SELECT') return;
  const statement = classifyStatement(sql);
  if (!statement) return;
  stats.statementType = statement.type;
  if (statement.target && job.configuration?.query && !job.configuration.query.destinationTable) {
    const parts = statement.target;
    const table: TableReference =
      parts.length >= 3
        ? { projectId: parts[0]!, datasetId: parts[1]!, tableId: parts[2]! }
        : { projectId: job.jobReference?.projectId ?? defaultProject, datasetId: parts[0]!, tableId: parts[1]! };
    stats.ddlTargetTable = table;
    if (statement.type === 'CREATE_TABLE_AS_SELECT') job.configuration.query.destinationTable = table;
  }
}

/**
 * The SQL text with each comment replaced by a space. Backquoted names are kept; string literals
 * are kept too, or emptied to '' with `emptyStrings` (so keywords can be matched safely).
 */
function stripComments(sql: string, options: { emptyStrings: boolean }): string {
  let out = '';
  for (let i = 0; i < sql.length; ) {
    const c = sql[i]!;
    if ((c === '-' && sql[i + 1] === '-') || c === '#') {
      while (i < sql.length && sql[i] !== '\n') i++;
      out += ' ';
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      const triple = c !== '`' && sql.startsWith(c.repeat(3), i);
      const close = triple ? c.repeat(3) : c;
      let j = i + close.length;
      while (j < sql.length && !sql.startsWith(close, j)) j += sql[j] === '\\' ? 2 : 1;
      const stop = Math.min(sql.length, j + close.length);
      out += options.emptyStrings && c !== '`' ? "''" : sql.slice(i, stop);
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The statement without comments and string contents, so keywords can be matched safely. */
function skeleton(sql: string): string {
  return stripComments(sql, { emptyStrings: true });
}

const NAME = String.raw`(?:\x60[^\x60]+\x60|[A-Za-z_][\w-]*)`;
const PATH = new RegExp(String.raw`^(${NAME}(?:\s*\.\s*${NAME})*)`);

function splitPath(path: string): string[] {
  return [...path.matchAll(new RegExp(NAME, 'g'))].flatMap((m) => m[0].replace(/`/g, '').split('.'));
}

function classifyStatement(sql: string): { type: string; target?: string[] } | undefined {
  const text = skeleton(sql).trim().replace(/;\s*$/, '');
  if (text.includes(';')) return { type: 'SCRIPT' };
  const upper = text.toUpperCase();
  const createTable = /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:TEMP(?:ORARY)?\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?/i.exec(text);
  if (createTable) {
    const rest = text.slice(createTable[0].length);
    const path = PATH.exec(rest)?.[1];
    const asSelect = /\bAS\s*\(*\s*(SELECT|WITH)\b/i.test(rest);
    return { type: asSelect ? 'CREATE_TABLE_AS_SELECT' : 'CREATE_TABLE', ...(path ? { target: splitPath(path) } : {}) };
  }
  const rules: Array<[RegExp, string]> = [
    [/^CREATE\s+(OR\s+REPLACE\s+)?(MATERIALIZED\s+)?VIEW\b/, 'CREATE_VIEW'],
    [/^CREATE\s+(OR\s+REPLACE\s+)?(TEMP(ORARY)?\s+)?FUNCTION\b/, 'CREATE_FUNCTION'],
    [/^CREATE\s+(SCHEMA|DATABASE)\b/, 'CREATE_SCHEMA'],
    [/^DROP\s+TABLE\b/, 'DROP_TABLE'],
    [/^DROP\s+VIEW\b/, 'DROP_VIEW'],
    [/^DROP\s+(SCHEMA|DATABASE)\b/, 'DROP_SCHEMA'],
    [/^ALTER\s+TABLE\b/, 'ALTER_TABLE'],
    [/^ALTER\s+VIEW\b/, 'ALTER_VIEW'],
    [/^TRUNCATE\s+TABLE\b/, 'TRUNCATE_TABLE'],
    [/^INSERT\b/, 'INSERT'],
    [/^UPDATE\b/, 'UPDATE'],
    [/^DELETE\b/, 'DELETE'],
    [/^MERGE\b/, 'MERGE'],
    [/^(BEGIN|DECLARE)\b/, 'SCRIPT'],
    [/^(SELECT|WITH|\()/, 'SELECT'],
  ];
  for (const [pattern, type] of rules) if (pattern.test(upper)) return { type };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Statement rewrites for the emulator's parser (see startEmulator).

/** SQL of a jobs.insert / jobs.query request body, rewritten by `rewriteForEmulator`. */
function rewriteRequestBody(url: string, body: Buffer): Buffer {
  const isJobsInsert = JOBS_INSERT.test(url);
  const isJobsQuery = JOBS_QUERY.test(url);
  if ((!isJobsInsert && !isJobsQuery) || body.length === 0) return body;
  try {
    const json = JSON.parse(body.toString('utf8')) as { query?: string; configuration?: { query?: { query?: string } } };
    const holder = isJobsQuery ? json : json.configuration?.query;
    if (typeof holder?.query !== 'string') return body;
    const rewritten = rewriteForEmulator(holder.query);
    if (rewritten === holder.query) return body;
    holder.query = rewritten;
    return Buffer.from(JSON.stringify(json));
  } catch {
    return body;
  }
}

/**
 * `SET (v) = (SELECT AS STRUCT expr ...)` -> `SET v = (SELECT expr ...)` (one variable), and
 * `USING (SELECT * FROM <table>) AS s` -> `USING <table> AS s`, and no comments in a script with
 * DECLARE: what dbt-bigquery's dynamic insert_overwrite sends, in forms the emulator runs. Anything
 * else is returned unchanged.
 */
export function rewriteForEmulator(sql: string): string {
  // Its script parser fails on comments around DECLARE ("Unexpected ..."), and dbt starts every
  // query with a /* {...} */ comment: scripts that declare variables go without their comments.
  const text = /^\s*declare\b/im.test(skeleton(sql)) ? stripComments(sql, { emptyStrings: false }) : sql;
  return text
    .replace(/\bset\s*\(\s*([A-Za-z_]\w*)\s*\)\s*=\s*\(\s*select\s+as\s+struct\s+/gi, 'set $1 = (select ')
    .replace(/\busing\s*\(\s*select\s+\*\s+from\s+((?:`[^`]+`|[A-Za-z_][\w-]*)(?:\s*\.\s*(?:`[^`]+`|[A-Za-z_][\w-]*))*)\s*\)\s*as\s+/gi, 'using $1 as ');
}
