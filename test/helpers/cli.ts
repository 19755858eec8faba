/**
 * Runs the real CLI (`node bin/parley.js`, the Docker entrypoint) as a child process and checks that
 * every stdout line of a protocol command is one valid Airbyte message.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AirbyteMessage } from '../../connector/protocol/messages.js';
import { expectCanonicalMessage } from './airbyte-schema.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CLI = path.join(ROOT, 'bin', 'parley.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function assertBuilt(): void {
  if (!fs.existsSync(path.join(ROOT, 'dist/connector/cli/main.js'))) {
    throw new Error('dist/ is missing: run `npm test` (it builds first) or `npm run build`.');
  }
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, PARLEY_HTTP_RETRY_BASE_MS: '20', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}


export interface KilledAt {
  /** True when the sync announced the failpoint and was killed there. */
  reached: boolean;
  result: CliResult;
}

/**
 * Starts `parley sync --config F` with `PARLEY_FAILPOINT=<point>` (connector/core/failpoint.ts), waits
 * for the line announcing it, then SIGKILLs the process — which is blocked at that point, so the kill
 * lands exactly there. `reached` is false when the sync ended without passing the point.
 */
export async function syncKilledAt(config: string, point: string, options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<KilledAt> {
  assertBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'sync', '--config', config], {
      cwd: ROOT,
      env: { ...process.env, PARLEY_HTTP_RETRY_BASE_MS: '20', ...options.env, PARLEY_FAILPOINT: point },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let reached = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!reached && stderr.includes('parley failpoint reached: ')) {
        reached = true;
        child.kill('SIGKILL');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ reached, result: { code, signal, stdout, stderr } });
    });
  });
}

/**
 * Parses stdout: every line must be a valid Airbyte message, both against the canonical protocol
 * schema (test/contract/airbyte-protocol/) and against Parley's own zod types (throws naming the line otherwise).
 */
export function messages(stdout: string): AirbyteMessage[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line, index) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`stdout line ${index + 1} is not JSON: ${line.slice(0, 200)}`);
      }
      expectCanonicalMessage(json, index + 1);
      const parsed = AirbyteMessage.safeParse(json);
      if (!parsed.success) throw new Error(`stdout line ${index + 1} is not an Airbyte message: ${parsed.error.message}\n${line.slice(0, 300)}`);
      return parsed.data;
    });
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `parley-${prefix}-`));
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(value, null, 2));
  return file;
}
