/**
 * Jobs that outlive a sync, through the real `parley sync` into DuckDB: with job_wait_seconds the
 * first sync submits its detail jobs, waits that long, checkpoints the job ledger in the state and
 * ends successfully, saying how many jobs are pending — and releases none of them. The next sync
 * polls those jobs instead of submitting new ones, loads exactly the truth, and then releases them.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations, valid } from '../helpers/genesys-truth.js';

const today = todayUtc();
const startDate = addDays(today, -5);
const base = Date.parse(`${addDays(today, -1)}T00:00:00.000Z`); // the simulator's clock: 4 whole days to load
const generator = { seed: 41, conversationsPerDay: 40, invalidEvery: 0 };
let simulator: RunningGenesysSimulator;
let database: string;
const dir = tempDir('genesys-ledger');
const source = (extra: Record<string, unknown> = {}) => ({
  vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate, base_url: simulator.url, login_url: simulator.url,
  page_size: 20, job_poll_seconds: 0.1, max_jobs_in_flight: 4, max_requests_per_minute: 6000, ...extra,
});

beforeAll(async () => {
  // Each job takes 4 s of wall-clock time, longer than the first sync is willing to wait.
  simulator = await startGenesysSimulator({ now: () => base, generator, faults: { availabilityLagHours: 0, pendingPolls: 0, jobSeconds: 4 } });
  database = path.join(dir, 'g.duckdb');
});
afterAll(async () => simulator?.close());

const state = async () => {
  const [row] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'genesys_conversations'");
  return JSON.parse(row!.s) as { partitions: { '*': { cursor?: string; pending_jobs?: Array<{ start: string; end: string; job: string; attempts: number }> } } };
};

describe('Genesys detail jobs across syncs (job ledger)', () => {
  it('a sync whose wait runs out checkpoints the pending jobs and ends successfully, deleting none', async () => {
    const config = writeJson(dir, 'short.json', { source: source({ job_wait_seconds: 1 }), destination: { type: 'duckdb', path: database } });
    const started = Date.now();
    const result = await runCli(['sync', '--config', config]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.stderr).toMatch(/jobs pending\s+4\s+\(kept in the state: the next sync polls them\)/);
    const submitted = simulator.stats().jobsSubmitted;
    expect(submitted.map((j) => j.interval)).toEqual([0, 1, 2, 3].map((i) => `${addDays(startDate, i)}T00:00:00.000Z/${addDays(startDate, i + 1)}T00:00:00.000Z`));
    expect(simulator.stats().jobsDeleted).toEqual([]);
    expect(simulator.liveJobs().sort()).toEqual(submitted.map((j) => j.jobId).sort());

    const { partitions } = await state();
    expect(partitions['*'].cursor).toBeUndefined(); // nothing loaded yet
    expect(partitions['*'].pending_jobs!.map((j) => [j.start.slice(0, 10), j.job, j.attempts])).toEqual(submitted.map((j) => [j.interval.slice(0, 10), j.jobId, 1]));
    const [raw] = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_genesys_conversations');
    expect(raw!.n).toBe(0);
  });

  it('the next sync polls those jobs instead of submitting again, loads exactly the truth, then releases them', async () => {
    const pending = (await state()).partitions['*'].pending_jobs!.map((j) => j.job);
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // the vendor finishes the jobs meanwhile
    simulator.resetStats();
    const config = writeJson(dir, 'wait.json', { source: source(), destination: { type: 'duckdb', path: database } });
    const result = await runCli(['sync', '--config', config]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toMatch(/submitted by an earlier sync; polling it/);
    expect(simulator.stats().jobsSubmitted).toEqual([]);
    expect(new Set(simulator.stats().pages)).toEqual(new Set(pending));
    expect(simulator.stats().jobsDeleted.sort()).toEqual([...pending].sort());
    expect(simulator.liveJobs()).toEqual([]);

    const truth = truthConversations({ startDate, loadedThroughMs: base, generator }).filter(valid);
    const rows = await query<{ id: string }>(database, 'SELECT conversation_id AS id FROM raw_genesys_conversations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(truth.map((t) => t.conversationId).sort());
    expect((await state()).partitions['*']).toEqual({ cursor: new Date(base).toISOString() });
  });
});
