/**
 * SIGTERM during `parley sync` / `parley run` (how a scheduler or the Airbyte platform stops a job):
 * the process stops within a second or two with a message saying what stays and exit code 143
 * (128 + SIGTERM), what it committed is whole — each bot's days before its cursor exactly the
 * truth, with their export-day rows — and the next sync completes to exactly the truth. `run`
 * builds no marts on a stopped sync. The signal is sent once the simulator has answered a given
 * number of signed-URL requests (a failpoint would block the signal handler too).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startUltimateSimulator, type RunningUltimateSimulator } from '../../connector/simulators/ultimate/server.js';
import { clearOfMidnight } from '../helpers/clock.js';
import { CLI, ROOT, runCli, tempDir, writeJson, type CliResult } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { exportDays, truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';

await clearOfMidnight(2 * 60_000);
const today = todayUtc();
const bots = ['term-bot-a', 'term-bot-b'];
const scope: Scope = { bots, firstDay: addDays(today, -8), lastDay: addDays(today, -1), generator: { seed: 17, conversationsPerDay: 12, invalidEvery: 20 } };
let simulator: RunningUltimateSimulator;

beforeAll(async () => {
  simulator = await startUltimateSimulator({ today, generator: scope.generator });
});
afterAll(async () => simulator?.close());

function config(name: string): { file: string; database: string } {
  const dir = tempDir(name);
  const database = path.join(dir, 'parley.duckdb');
  const source = { vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: scope.firstDay, lookback_days: 0 };
  return { file: writeJson(dir, 'sync.json', { source, destination: { type: 'duckdb', path: database } }), database };
}

/** Runs `parley <command>`, sends SIGTERM once `ready()` holds; resolves with the result and how long the exit took. */
function terminatedWhen(command: 'sync' | 'run', file: string, ready: () => boolean): Promise<{ result: CliResult; signalled: boolean; exitMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, command, '--config', file], { cwd: ROOT, env: { ...process.env, PARLEY_HTTP_RETRY_BASE_MS: '20' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalledAt: number | undefined;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      if (signalledAt === undefined && ready()) {
        signalledAt = Date.now();
        child.kill('SIGTERM');
      }
    }, 10);
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ result: { code, signal, stdout, stderr }, signalled: signalledAt !== undefined, exitMs: signalledAt === undefined ? 0 : Date.now() - signalledAt });
    });
  });
}

const rawKeys = async (database: string) =>
  (await query<{ k: string }>(database, "SELECT bot_id || '|' || conversation_id AS k FROM raw_ultimate_conversations ORDER BY k")).map((r) => r.k);
const truthKeys = (s: Scope) => truthConversations(s).map((c) => `${c.bot_id}|${c.conversation_id}`).sort();

describe('SIGTERM during a sync', () => {
  it('stops promptly with exit code 143, leaves only whole days committed, and the next sync reaches the truth', async () => {
    const { file, database } = config('sigterm');
    simulator.resetStats();
    simulator.setFaults({ slowMs: 40 });
    // Five days answered: the first bot is part-way through its eight.
    const { result, signalled, exitMs } = await terminatedWhen('sync', file, () => simulator.stats().signedUrlRequests.length >= 5);
    simulator.setFaults({ slowMs: 0 });
    expect(signalled, result.stderr).toBe(true);
    expect(result.code, result.stderr).toBe(143);
    expect(exitMs).toBeLessThan(3_000); // the day under way finishes (a few slow requests), nothing more
    expect(result.stderr).toMatch(/SIGTERM: finishing the current unit of work, then stopping/);
    expect(result.stderr).toMatch(/sync \S+ stopped \(the next sync resumes from here\)/);
    expect(result.stderr).toMatch(/parley sync: stopped by SIGTERM: every window committed before it stays .*the next sync resumes from there\n$/);
    expect(result.stderr).not.toMatch(/\n\s+at /);

    // What was committed is whole: per bot, the days before its cursor are loaded exactly (rows and
    // export-day rows); nothing after the cursor has an export-day row.
    const [row] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations'");
    const partitions = (JSON.parse(row!.s) as { partitions: Record<string, { cursor?: string }> }).partitions;
    const loadedThrough = Object.fromEntries(bots.map((b) => [b, partitions[b]?.cursor ? addDays(partitions[b]!.cursor!.slice(0, 10), -1) : addDays(scope.firstDay, -1)]));
    expect(loadedThrough[bots[0]!]! >= scope.firstDay, JSON.stringify(partitions)).toBe(true); // it did commit something…
    expect(loadedThrough[bots[1]!]! < scope.lastDay, JSON.stringify(partitions)).toBe(true); // …and stopped short of the end
    const committed = bots.flatMap((bot) => (loadedThrough[bot]! >= scope.firstDay ? truthKeys({ ...scope, bots: [bot], lastDay: loadedThrough[bot]! }) : []));
    const raw = await rawKeys(database);
    expect(raw.filter((k) => committed.includes(k))).toEqual([...committed].sort());
    // Rows of the day under way may be there too (upserted again next sync), but only truth rows.
    const all = new Set(truthKeys(scope));
    expect(raw.filter((k) => !all.has(k))).toEqual([]);
    const days = await query<{ k: string }>(database, "SELECT bot_id || '|' || strftime(export_date, '%Y-%m-%d') AS k FROM raw_ultimate_export_days WHERE status = 'loaded' ORDER BY k");
    const expectedDays = bots.flatMap((bot) => exportDays({ ...scope, lastDay: loadedThrough[bot]! }).map((d) => `${bot}|${d}`)).sort();
    expect(days.map((d) => d.k)).toEqual(expectedDays);

    const again = await runCli(['sync', '--config', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(await rawKeys(database)).toEqual(truthKeys(scope));
    const [counts] = await query<{ days: number; quarantined: number }>(
      database,
      "SELECT (SELECT count(*) FROM raw_ultimate_export_days WHERE status = 'loaded')::INT AS days, (SELECT count(*) FROM _parley_quarantine)::INT AS quarantined",
    );
    expect(counts).toEqual({ days: bots.length * exportDays(scope).length, quarantined: truthInvalidCount(scope) });
  });

  it('`parley run` stopped during its sync exits 143 and builds no marts', async () => {
    const { file, database } = config('sigterm-run');
    simulator.resetStats();
    simulator.setFaults({ slowMs: 40 });
    const { result, signalled } = await terminatedWhen('run', file, () => simulator.stats().signedUrlRequests.length >= 3);
    simulator.setFaults({ slowMs: 0 });
    expect(signalled, result.stderr).toBe(true);
    expect(result.code, result.stderr).toBe(143);
    expect(result.stderr).toMatch(/parley run: stopped by SIGTERM/);
    expect(result.stderr).not.toMatch(/dbt|\[transform\]/);
    const tables = await query<{ name: string }>(database, "SELECT table_name AS name FROM information_schema.tables WHERE table_name IN ('fct_conversations', 'agg_bot_daily_metrics')");
    expect(tables).toEqual([]);
  });
});
