/**
 * dbt-bigquery against the local BigQuery emulator (test/setup/bigquery-emulator.ts): a raw dataset
 * made with sql/bigquery's DDL, a marts dataset, and `dbt` run asynchronously with the env the
 * profile reads. Asynchronous on purpose: the emulator's front runs in the test process, so a
 * spawnSync would starve it.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import { dbtExecutable, ensureVenv } from '../../connector/transform/venv.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * A client for the emulator. The no-op auth client is required for load jobs (multipart uploads):
 * without one the client sends the upload without a headers object and teeny-request throws an
 * uncaught TypeError. Any object with getRequestHeaders() resolving to headers will do; the
 * library's types want a google-auth-library AuthClient, hence the cast.
 */
export function emulatorClient(apiEndpoint: string, project: string, location: string): BigQuery {
  const noAuth = { getRequestHeaders: async () => new Headers() };
  return new BigQuery({ projectId: project, apiEndpoint, location, authClient: noAuth as unknown as BigQueryOptions['authClient'] });
}

export function rawDdl(file: string, project: string, dataset: string): string {
  return fs.readFileSync(path.join(ROOT, 'sql', 'bigquery', file), 'utf8').replaceAll('{{dataset}}', `${project}.${dataset}`);
}

/** Creates `raw` (every raw table of sql/bigquery) and `marts`: CREATE SCHEMA is a no-op on the emulator, so datasets are made through the API, as the destination does. */
export async function prepareDatasets(client: BigQuery, project: string, location: string, raw: string, marts: string): Promise<void> {
  await client.createDataset(raw, { location });
  await client.createDataset(marts, { location });
  for (const file of fs.readdirSync(path.join(ROOT, 'sql', 'bigquery'))) await client.query(rawDdl(file, project, raw));
}

export interface DbtResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** A `dbt` runner for the emulator at `url`; each call is killed after `timeoutMs`. */
export function dbtOnEmulator(options: { url: string; project: string; location: string; raw: string; marts: string; workDir: string; timeoutMs: number }) {
  ensureVenv();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PARLEY_BQ_PROJECT: options.project,
    PARLEY_BQ_DATASET: options.marts,
    PARLEY_BQ_LOCATION: options.location,
    PARLEY_BQ_API_ENDPOINT: options.url,
    PARLEY_BQ_THREADS: '1',
    PARLEY_RAW_SCHEMA: options.raw,
  };
  delete env.PARLEY_BQ_KEYFILE_JSON;
  return (...args: string[]) =>
    new Promise<DbtResult>((resolve, reject) => {
      const child = spawn(
        dbtExecutable(),
        [
          ...args,
          '--project-dir', path.join(ROOT, 'transformations'),
          '--profiles-dir', path.join(ROOT, 'transformations'),
          '--target', 'bigquery',
          '--target-path', path.join(options.workDir, 'dbt-target'),
          '--log-path', path.join(options.workDir, 'dbt-logs'),
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.once('error', reject);
      child.once('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
}
