/**
 * The Python side: a venv in `.venv` with the pinned dbt from transformations/requirements.txt,
 * created on first use and rebuilt when the requirements change (a stamp file holds their hash).
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SystemError } from '../core/errors.js';
import { logger } from '../core/log.js';
import { packageRoot } from '../core/paths.js';

const log = logger('venv');

export function venvDir(): string {
  return process.env.PARLEY_VENV ?? path.join(packageRoot(), '.venv');
}

export function dbtExecutable(): string {
  return path.join(venvDir(), 'bin', 'dbt');
}

/** Makes sure the venv exists with the pinned requirements; returns the dbt executable. */
export function ensureVenv(): string {
  const requirements = path.join(packageRoot(), 'transformations', 'requirements.txt');
  const wanted = crypto.createHash('sha256').update(fs.readFileSync(requirements)).digest('hex');
  const stamp = path.join(venvDir(), '.parley-requirements.sha256');
  if (fs.existsSync(dbtExecutable()) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === wanted) return dbtExecutable();

  const python = process.env.PARLEY_PYTHON ?? 'python3';
  log.info(`creating ${venvDir()} with the pinned dbt (first use; takes a minute)`);
  run(python, ['-m', 'venv', venvDir()], `${python} -m venv (is Python 3.9+ with the venv module installed?)`);
  const pip = path.join(venvDir(), 'bin', 'pip');
  run(pip, ['install', '--disable-pip-version-check', '--quiet', '-r', requirements], 'pip install -r transformations/requirements.txt');
  fs.writeFileSync(stamp, `${wanted}\n`);
  return dbtExecutable();
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2] });
  if (result.error || result.status !== 0) {
    throw new SystemError(`${what} failed${result.error ? `: ${result.error.message}` : ` with exit code ${result.status}`}`);
  }
}
