/**
 * The Genesys source under trouble, through the real `parley sync` into DuckDB: a storm of 429s
 * carrying only inin-ratelimit-reset, failed jobs and short-lived tokens still load exactly the
 * truth (results expiring mid-paging: test/simulators/genesys-simulator.test.ts, same driver); a job that keeps failing stops the sync with the vendor's message and leaves no
 * job behind; SIGKILL at named crash points (connector/core/failpoint.ts) in turn, then a normal
 * run, loads exactly the truth.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startGenesysSimulator, type GenesysFaults, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { runCli, tempDir, writeJson } from '../helpers/cli.js';
import { killAt } from '../helpers/crash-points.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations, valid } from '../helpers/genesys-truth.js';
import { orgCursor } from '../helpers/state.js';

const HOUR = 3_600_000;
const today = todayUtc();
const generator = { seed: 31, conversationsPerDay: 60, invalidEvery: 0 };
const base = Date.parse(`${addDays(today, -1)}T00:00:00.000Z`);
let simulator: RunningGenesysSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function setup(faults: Partial<GenesysFaults>, clock: () => number = () => base, extra: Record<string, unknown> = {}) {
  simulator = await startGenesysSimulator({ now: clock, generator, faults: { availabilityLagHours: 0, ...faults } });
  const dir = tempDir('genesys-faults');
  const database = path.join(dir, 'g.duckdb');
  const config = writeJson(dir, 'sync.json', {
    source: {
      vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: addDays(today, -6), base_url: simulator.url, login_url: simulator.url,
      page_size: 15, job_poll_seconds: 0.02, max_requests_per_minute: 6000, ...extra,
    },
    destination: { type: 'duckdb', path: database },
  });
  return { database, config };
}

async function expectExactlyTruth(database: string, loadedThroughMs: number) {
  const truth = truthConversations({ startDate: addDays(today, -6), loadedThroughMs, generator }).filter(valid);
  const rows = await query<{ id: string; ended: string | null }>(database, 'SELECT conversation_id AS id, conversation_end AS ended FROM raw_genesys_conversations');
  expect(rows.length).toBe(truth.length);
  const ids = new Set(rows.map((r) => r.id));
  for (const t of truth) expect(ids.has(t.conversationId), t.conversationId).toBe(true);
}

describe('Genesys faults and crashes', () => {
  it('429 storm (inin-ratelimit-reset only), failed jobs, short-lived tokens: exactly the truth', async () => {
    // The simulator's clock runs 20× fast, so its 3-second tokens expire (401) while the client still
    // trusts them: the client must fetch a new one on the 401. The watermark is fixed at the start.
    const started = Date.now();
    const { database, config } = await setup(
      { rateLimitEvery: 4, retryAfterSeconds: 0, omitRetryAfter: true, failEvery: 5, tokenLifetimeSeconds: 3, slowMs: 15 },
      () => base + (Date.now() - started) * 20,
    );
    const result = await runCli(['sync', '--config', config]);
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    const stats = simulator!.stats();
    expect(stats.unauthorized).toBeGreaterThan(0);
    expect(stats.tokensIssued).toBeGreaterThan(1);
    expect(stats.jobsSubmitted.length).toBeGreaterThan(6); // 6 intervals, plus resubmissions
    expect(result.stderr).toMatch(/resubmitting/);
    expect(simulator!.liveJobs()).toEqual([]);
    const [state] = await query<{ state: string }>(database, "SELECT state::VARCHAR AS state FROM _parley_state WHERE stream = 'genesys_conversations'");
    await expectExactlyTruth(database, Date.parse(orgCursor(JSON.parse(state!.state))!));
  });

  it('a job that fails every time: the sync stops with the vendor message, no job left, nothing half-done committed', async () => {
    const { database, config } = await setup({ failEvery: 1 });
    const result = await runCli(['sync', '--config', config]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/did not complete in 3 attempts; the vendor said: Analytics job failed: internal processing error \(simulated\)/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(simulator!.liveJobs()).toEqual([]);
    const states = await query(database, "SELECT * FROM _parley_state WHERE stream = 'genesys_conversations'");
    expect(states).toEqual([]);
  });

  it('SIGKILL after a commit, after a job submit and with records staged, then a normal run: exactly the truth, each interval requested again only if unfinished', async () => {
    const { database, config } = await setup({ slowMs: 25 }, () => base, { page_size: 5, max_jobs_in_flight: 1, lookback_hours: 0 }); // no re-read: resumes exactly at the watermark
    const truth = truthConversations({ startDate: addDays(today, -6), loadedThroughMs: base, generator }).filter(valid).length;
    const committed = async () => (await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_genesys_conversations'))[0]!.n;
    // A conversation crossing midnight comes in two jobs: staging it twice commits first, so this
    // sync commits inside its second window (and again later), not only every 5 s.
    const partials: number[] = [];
    for (const point of [
      'commit.done@1', // the first window's rows and state are committed
      'job.submitted@1', // the resumed sync's first job is on the Genesys side, in no state
      'records.staged@2', // the resumed sync committed once, then staged more
    ]) {
      partials.push((await killAt('genesys', config, point, committed, truth)).partial);
    }
    expect([...partials].sort((a, b) => a - b)).toEqual(partials);
    const [partial] = await query<{ state: string }>(database, "SELECT state::VARCHAR AS state FROM _parley_state WHERE stream = 'genesys_conversations'");
    expect(partial, 'a state was committed before the kills').toBeDefined();
    const resumeFrom = orgCursor(JSON.parse(partial!.state));
    simulator!.resetStats();
    const final = await runCli(['sync', '--config', config]);
    expect(final.code, final.stderr.slice(-2000)).toBe(0);
    // The final run starts at the committed watermark: no finished interval is asked for again.
    const first = simulator!.stats().jobsSubmitted[0]!.interval.split('/')[0];
    expect(first).toBe(resumeFrom);
    await expectExactlyTruth(database, base);
  });
});
