/**
 * Running dbt (the real CLI from the venv) against the sync config's warehouse. dbt's own output goes
 * to stderr like every other log, redacted like every other log (dbt-output.ts); artefacts go beside
 * the database, so parallel runs on different databases never share a target folder.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, SystemError } from '../core/errors.js';
import { packageRoot } from '../core/paths.js';
import type { DestinationConfig } from '../engine/sync-config.js';
import { pipeRedacted, redactLogFiles } from './dbt-output.js';
import { ensureVenv } from './venv.js';

export type DbtTarget = 'duckdb' | 'bigquery';

export interface DbtRunOptions {
  destination: DestinationConfig;
  /** dbt arguments after the sub-command, e.g. ['--select', 'marts']. */
  extraArgs?: string[];
  command?: 'build' | 'run' | 'test';
}

/** How dbt is invoked against a destination: the executable, the environment, the target and the artefact folder. */
export interface DbtInvocation {
  dbt: string;
  project: string;
  env: NodeJS.ProcessEnv;
  target: DbtTarget;
  /** target/ and logs/ go here (beside the DuckDB file, or a temp folder per BigQuery dataset). */
  workDir: string;
}

export function dbtInvocation(destination: DestinationConfig): DbtInvocation {
  const dbt = ensureVenv();
  const project = path.join(packageRoot(), 'transformations');
  const env: NodeJS.ProcessEnv = { ...process.env, DBT_SEND_ANONYMOUS_USAGE_STATS: 'false', DBT_USE_COLORS: process.stderr.isTTY ? 'true' : 'false' };
  let target: DbtTarget;
  let workDir: string;
  switch (destination.type) {
    case 'duckdb': {
      const database = path.resolve(destination.path);
      env.PARLEY_DUCKDB_PATH = database;
      target = 'duckdb';
      workDir = `${database}.dbt`;
      break;
    }
    case 'bigquery': {
      // profiles.yml's bigquery target reads these; the raw tables and the marts share the dataset.
      const d = destination;
      env.PARLEY_BQ_PROJECT = d.project_id;
      env.PARLEY_BQ_DATASET = d.dataset;
      env.PARLEY_BQ_LOCATION = d.location;
      env.PARLEY_RAW_SCHEMA = d.dataset;
      if (d.api_endpoint) env.PARLEY_BQ_API_ENDPOINT = d.api_endpoint;
      if (d.credentials_json) env.PARLEY_BQ_KEYFILE_JSON = d.credentials_json;
      target = 'bigquery';
      workDir = path.join(os.tmpdir(), `parley-dbt-${d.project_id}-${d.dataset}`);
      break;
    }
    default:
      throw new ConfigError(`destination.type ${(destination as { type: string }).type} has no dbt target`);
  }
  return { dbt, project, env, target, workDir };
}

/**
 * Runs `dbt <command…>` with the project, profile, target and artefact paths; resolves to its exit
 * code. Its output goes to stderr through the redactor, and its log files are redacted after it.
 */
export async function spawnDbt(invocation: DbtInvocation, command: string[], extraArgs: string[] = []): Promise<number> {
  const { dbt, project, env, target, workDir } = invocation;
  const logPath = path.join(workDir, 'logs');
  const args = [
    ...command,
    '--project-dir', project,
    '--profiles-dir', project,
    '--target', target,
    '--target-path', path.join(workDir, 'target'),
    '--log-path', logPath,
    ...extraArgs,
  ];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(dbt, args, { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = Promise.all([pipeRedacted(child.stdout, process.stderr), pipeRedacted(child.stderr, process.stderr)]);
    child.on('error', reject);
    child.on('close', (status) => void output.then(() => resolve(status ?? 1), reject));
  });
  redactLogFiles(logPath);
  return code;
}

export async function runDbt(options: DbtRunOptions): Promise<void> {
  const code = await spawnDbt(dbtInvocation(options.destination), [options.command ?? 'build'], options.extraArgs ?? []);
  if (code !== 0) throw new SystemError(`dbt ${options.command ?? 'build'} failed (exit ${code}); its output above names the model or test.`);
}
