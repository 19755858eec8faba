/**
 * Genesys operations signals, through the real CLI against the simulator over HTTP, into DuckDB:
 *
 * - a data lake whose availability date is stuck more than 36 hours behind now (the nightly batch
 *   failed): `check` still succeeds but says so, and the sync summary warns; a date that moves does
 *   neither;
 * - lookback_hours: a wrap-up code Genesys adds hours after a conversation ended is loaded by the
 *   next sync with the default (24), and never with 0;
 * - the sync summary ends with one line per stream: records, quarantined, cursor now.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { startGenesysSimulator, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';
import { messages, runCli, tempDir, writeJson } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { truthConversations, valid, wrapUpCode, WRAP_UP_CODE } from '../helpers/genesys-truth.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const dir = tempDir('genesys-ops');
const source = (url: string, startDate: string, extra: Record<string, unknown> = {}) => ({
  vendor: 'genesys', client_id: 'sim-client-id', client_secret: 'sim-client-secret', start_date: startDate, base_url: url, login_url: url,
  page_size: 50, job_poll_seconds: 0.02, max_requests_per_minute: 6000, ...extra,
});
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z');

describe('Genesys: a data lake that stopped moving', () => {
  // The simulator runs on the real clock; its availability date is stuck 40 hours ago.
  const stuckMs = Math.floor((Date.now() - 40 * HOUR) / HOUR) * HOUR;
  const startDate = addDays(new Date(stuckMs).toISOString().slice(0, 10), -2);
  const generator = { seed: 77, conversationsPerDay: 40, invalidEvery: 15 };
  let simulator: RunningGenesysSimulator;
  beforeAll(async () => {
    simulator = await startGenesysSimulator({ generator, faults: { availabilityStuckAt: new Date(stuckMs).toISOString(), pendingPolls: 1 } });
  });
  afterAll(async () => simulator?.close());

  it('check succeeds and warns that the availability date is 40 hours behind; with a moving date it does not', async () => {
    const config = writeJson(dir, 'stuck-source.json', source(simulator.url, startDate));
    const stuck = await runCli(['check', '--config', config]);
    expect(messages(stuck.stdout)).toMatchObject([
      { connectionStatus: { status: 'SUCCEEDED', message: expect.stringMatching(new RegExp(`warning: the data lake's availability date ${new Date(stuckMs).toISOString()} is 4[01] hours behind now \\(over 36\\).*nightly`)) } },
    ]);
    expect(stuck.stderr).toMatch(/WARN.*availability date .* hours behind now/);

    simulator.setFaults({ availabilityStuckAt: '' }); // the default: 6 hours behind now
    const moving = await runCli(['check', '--config', config]);
    simulator.setFaults({ availabilityStuckAt: new Date(stuckMs).toISOString() });
    const [status] = messages(moving.stdout);
    expect(status).toMatchObject({ connectionStatus: { status: 'SUCCEEDED' } });
    expect(JSON.stringify(status)).not.toMatch(/availability/);
  });

  it('the sync loads up to the stuck date, warns in its summary, and ends with one line per stream', async () => {
    const database = path.join(dir, 'stuck.duckdb');
    const config = writeJson(dir, 'stuck-sync.json', { source: source(simulator.url, startDate), destination: { type: 'duckdb', path: database } });
    const result = await runCli(['sync', '--config', config]);
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    const summary = result.stderr.slice(result.stderr.lastIndexOf(' finished:'));
    expect(summary).toMatch(/warning: genesys_conversations: the data lake's availability date .* is 4[01] hours behind now/);

    // Expected per stream, from the truth: a job per day of [start_date, stuck date), the last one
    // cut there; each returns the conversations whose lifetime overlaps it (a conversation crossing
    // midnight comes in two jobs, and is counted in each).
    const windows: Array<[number, number]> = [];
    for (let at = Date.parse(`${startDate}T00:00:00Z`); at < stuckMs; at += DAY) windows.push([at, Math.min(at + DAY, stuckMs)]);
    const truth = truthConversations({ startDate, loadedThroughMs: stuckMs, generator });
    const overlapping = ([from, to]: [number, number]) => truth.filter((t) => t.startMs < to && Math.min(t.endMs, stuckMs) > from);
    const records = windows.reduce((n, w) => n + overlapping(w).filter(valid).length, 0);
    const quarantined = windows.reduce((n, w) => n + overlapping(w).filter((t) => !valid(t)).length, 0);
    const daysPassed = windows.filter(([, to]) => (to - Date.parse(`${startDate}T00:00:00Z`)) % DAY === 0).length;
    const fmt = (n: number) => n.toLocaleString('en-US');
    const lines = summary.trimEnd().split('\n').slice(-3);
    expect(lines).toEqual([
      expect.stringMatching(/^ {2}stream genesys_flow_outcomes: 9 records, 0 quarantined, listed at \d{4}-\d\d-\d\dT[\d:.]+Z$/),
      `  stream genesys_conversations: ${fmt(records)} records, ${fmt(quarantined)} quarantined, cursor ${iso(stuckMs)}`,
      `  stream genesys_loaded_days: ${daysPassed} records, 0 quarantined, cursor ${iso(stuckMs)}`,
    ]);
    expect(records).toBeGreaterThan(50);
    expect(quarantined).toBeGreaterThan(0);
    const [raw] = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_genesys_conversations');
    expect(raw!.n).toBe(truth.filter(valid).length);
  });
});

describe('Genesys lookback_hours: details added after a conversation ended', () => {
  // The simulator's clock: two instants 6 hours apart, in the past (the sync's own clock never caps
  // the watermark); the availability date lags it by 6 hours; wrap-up codes come 4 hours late.
  const clock0 = Math.floor((Date.now() - 7 * HOUR) / HOUR) * HOUR;
  let clock = clock0;
  const delayMs = 4 * HOUR;
  const startDate = addDays(new Date(clock0).toISOString().slice(0, 10), -2);
  const generator = { seed: 78, conversationsPerDay: 120, invalidEvery: 0 };
  let simulator: RunningGenesysSimulator;
  const databases = { default: path.join(dir, 'lookback-default.duckdb'), zero: path.join(dir, 'lookback-zero.duckdb') };
  const configs = {
    default: writeJson(dir, 'lookback-default.json', {}),
    zero: writeJson(dir, 'lookback-zero.json', {}),
  };
  beforeAll(async () => {
    simulator = await startGenesysSimulator({ now: () => clock, generator, faults: { availabilityLagHours: 6, wrapUpDelayHours: 4, pendingPolls: 1 } });
    configs.default = writeJson(dir, 'lookback-default.json', { source: source(simulator.url, startDate), destination: { type: 'duckdb', path: databases.default } });
    configs.zero = writeJson(dir, 'lookback-zero.json', { source: source(simulator.url, startDate, { lookback_hours: 0 }), destination: { type: 'duckdb', path: databases.zero } });
  });
  afterAll(async () => simulator?.close());

  const coded = async (database: string) =>
    new Set((await query<{ id: string }>(database, `SELECT conversation_id AS id FROM raw_genesys_conversations WHERE record::VARCHAR LIKE '%"wrapUpCode":"${WRAP_UP_CODE}"%'`)).map((r) => r.id));

  it('a wrap-up code set after the first sync is loaded by the next one with the default lookback, and not with 0', async () => {
    const w0 = clock0 - 6 * HOUR;
    for (const config of Object.values(configs)) {
      const first = await runCli(['sync', '--config', config]);
      expect(first.code, first.stderr.slice(-3000)).toBe(0);
    }
    // Conversations the first sync loaded without their code: it was set after the watermark.
    const truth0 = truthConversations({ startDate, loadedThroughMs: w0, generator });
    const late = truth0.filter((t) => t.endMs <= w0 && wrapUpCode(t, w0, delayMs) === null && wrapUpCode(t, w0 + 6 * HOUR, delayMs) === WRAP_UP_CODE);
    expect(late.length).toBeGreaterThan(3);
    const codedAt0 = truth0.filter((t) => wrapUpCode(t, w0, delayMs) !== null).map((t) => t.conversationId).sort();
    for (const database of Object.values(databases)) expect([...(await coded(database))].sort()).toEqual(codedAt0);

    clock += 6 * HOUR;
    const w1 = clock - 6 * HOUR;
    for (const config of Object.values(configs)) {
      const next = await runCli(['sync', '--config', config]);
      expect(next.code, next.stderr.slice(-3000)).toBe(0);
    }
    const truth1 = truthConversations({ startDate, loadedThroughMs: w1, generator });
    // Default (24 h): the re-read covers them, so every conversation carries the code the lake has now.
    expect([...(await coded(databases.default))].sort()).toEqual(truth1.filter((t) => wrapUpCode(t, w1, delayMs) !== null).map((t) => t.conversationId).sort());
    // 0: the next sync reads only [w0, w1); conversations that ended before w0 keep the version without a code.
    const zero = await coded(databases.zero);
    for (const t of late) expect(zero.has(t.conversationId), t.conversationId).toBe(false);
    const rereadStart = new Date(w0 - 24 * HOUR).toISOString();
    expect(simulator.stats().jobsSubmitted.some((j) => j.interval.startsWith(rereadStart))).toBe(true);
  });
});

describe('Genesys lookback with jobs that outlive a sync', () => {
  it('a sync whose wait runs out keeps the new windows\' jobs in the ledger and deletes its re-read jobs', async () => {
    const base = Math.floor((Date.now() - 20 * HOUR) / HOUR) * HOUR;
    let clock = base;
    const startDate = addDays(new Date(base).toISOString().slice(0, 10), -1);
    const simulator = await startGenesysSimulator({ now: () => clock, generator: { seed: 79, conversationsPerDay: 20 }, faults: { availabilityLagHours: 0, pendingPolls: 0 } });
    try {
      const database = path.join(dir, 'parked.duckdb');
      const config = writeJson(dir, 'parked.json', { source: source(simulator.url, startDate, { job_wait_seconds: 1, max_jobs_in_flight: 5 }), destination: { type: 'duckdb', path: database } });
      const first = await runCli(['sync', '--config', config]);
      expect(first.code, first.stderr.slice(-2000)).toBe(0);
      clock += 12 * HOUR;
      simulator.setFaults({ jobSeconds: 30 }); // longer than the sync waits
      simulator.resetStats();
      const parked = await runCli(['sync', '--config', config]);
      expect(parked.code, parked.stderr.slice(-2000)).toBe(0);
      const [row] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'genesys_conversations'");
      const partition = (JSON.parse(row!.s) as { partitions: { '*': { cursor: string; pending_jobs: Array<{ start: string; job: string }> } } }).partitions['*'];
      expect(partition.cursor).toBe(new Date(base).toISOString());
      const submitted = simulator.stats().jobsSubmitted;
      const rereads = submitted.filter((j) => j.interval.split('/')[0]! < partition.cursor);
      expect(rereads.length).toBeGreaterThan(0);
      expect(partition.pending_jobs.map((j) => j.start).every((start) => start >= partition.cursor)).toBe(true);
      // Only the ledger's jobs are left on the vendor's side; the re-reads were deleted.
      expect(simulator.liveJobs().sort()).toEqual(partition.pending_jobs.map((j) => j.job).sort());
      expect(simulator.stats().jobsDeleted.sort()).toEqual(rereads.map((j) => j.jobId).sort());
    } finally {
      await simulator.close();
    }
  });
});
