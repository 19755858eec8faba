/**
 * Every simulator fault, one sync each, into a real DuckDB file: the data that lands must equal the
 * ground truth exactly (nothing lost, nothing duplicated), and the fault must really have happened.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayUtc } from '../../connector/core/windows.js';
import { runSync } from '../../connector/engine/sync.js';
import { formatFor, fileCountFor } from '../../connector/simulators/ultimate/generator.js';
import { startUltimateSimulator, type RunningUltimateSimulator, type UltimateFaults } from '../../connector/simulators/ultimate/server.js';
import { tempDir } from '../helpers/cli.js';
import { query } from '../helpers/duckdb.js';
import { exportDays, truthConversations, truthInvalidCount, type Scope } from '../helpers/ultimate-truth.js';
import { ultimateLoadedThrough } from '../helpers/state.js';

const today = todayUtc();
const generator = { seed: 3, conversationsPerDay: 20, invalidEvery: 25 };
const bots = ['faulty-bot', 'other-bot'];
const scope: Scope = { bots, firstDay: addDays(today, -8), lastDay: addDays(today, -1), generator };
let simulator: RunningUltimateSimulator | undefined;

beforeAll(() => {
  process.env.PARLEY_HTTP_RETRY_BASE_MS = '10'; // keep backoff short; Retry-After from the server still rules
});
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function syncInto(database: string, url: string, extra: Record<string, unknown> = {}) {
  return runSync({
    source: { vendor: 'ultimate', base_url: url, api_key: 'sim-api-key', organization_id: 'sim-org', bot_ids: bots, start_date: scope.firstDay, ...extra },
    destination: { type: 'duckdb', path: database },
  });
}

async function expectTruth(database: string, s: Scope = scope) {
  const truth = truthConversations(s);
  const [raw] = await query<{ n: number; keys: number }>(database, 'SELECT count(*) AS n, count(DISTINCT (bot_id, conversation_id)) AS keys FROM raw_ultimate_conversations');
  expect(raw).toEqual({ n: truth.length, keys: truth.length });
  const [q] = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM _parley_quarantine');
  expect(q!.n).toBe(truthInvalidCount(s));
  const days = await query<{ n: number }>(database, 'SELECT count(*) AS n FROM raw_ultimate_export_days');
  expect(days[0]!.n).toBe(bots.length * exportDays(s).length);
}

describe('Ultimate faults', () => {
  it('the scope exercises multi-file, gzip and JSON-array days (so the faults below meet every format)', () => {
    const days = bots.flatMap((b) => exportDays(scope).map((d) => ({ b, d })));
    expect(days.some(({ b, d }) => formatFor(b, d, generator).gzip)).toBe(true);
    expect(days.some(({ b, d }) => formatFor(b, d, generator).jsonArray)).toBe(true);
    expect(days.some(({ b, d }) => fileCountFor(b, d, generator) > 1)).toBe(true);
  });

  const cases: [string, Partial<UltimateFaults>, (s: ReturnType<RunningUltimateSimulator['stats']>) => void][] = [
    ['429 with Retry-After', { rateLimitEvery: 3, retryAfterSeconds: 0 }, (s) => expect(s.signedUrlRequests.some((r) => r.status === 429)).toBe(true)],
    ['5xx on API calls and downloads', { serverErrorEvery: 4 }, (s) => expect([...s.signedUrlRequests, ...s.downloads].some((r) => r.status === 503)).toBe(true)],
    ['slow responses', { slowMs: 40 }, () => undefined],
    ['bodies cut off mid-file', { truncateEvery: 3 }, (s) => expect(s.downloads.length).toBeGreaterThan(0)],
    ['signed URLs expired at first download', { expireFirstDownload: true }, (s) => expect(s.downloads.some((r) => r.status === 403)).toBe(true)],
    ['the URL list under "signed_urls"', { signedUrlsKey: 'signed_urls' }, () => undefined],
  ];

  it.each(cases)('%s: lands exactly the ground truth', async (_name, faults, proof) => {
    simulator = await startUltimateSimulator({ today, generator, faults });
    const database = path.join(tempDir('fault'), 'f.duckdb');
    const summary = await syncInto(database, simulator.url);
    expect(summary.quarantined).toBe(truthInvalidCount(scope));
    await expectTruth(database);
    proof(simulator.stats());
  });

  it('a cut-off body is fetched again and only the missing records are taken', async () => {
    simulator = await startUltimateSimulator({ today, generator, faults: { truncateEvery: 2 } });
    const database = path.join(tempDir('trunc'), 't.duckdb');
    await syncInto(database, simulator.url);
    const downloads = simulator.stats().downloads;
    const files = new Set(downloads.map((d) => d.path));
    expect(downloads.length).toBeGreaterThan(files.size); // some files were fetched twice
    await expectTruth(database);
  });

  it('a day not ready stops the bot there; the next sync resumes from it', async () => {
    // Within not_ready_grace_days (2) of its end, a day not served yet is waited for.
    const notReady = addDays(today, -2);
    simulator = await startUltimateSimulator({ today, generator, notReadyDates: [notReady] });
    const database = path.join(tempDir('ready'), 'r.duckdb');
    await syncInto(database, simulator.url);
    const [state] = await query<{ s: string }>(database, "SELECT state::VARCHAR AS s FROM _parley_state WHERE stream = 'ultimate_conversations'");
    expect(JSON.parse(state!.s)).toEqual(ultimateLoadedThrough(bots, addDays(notReady, -1)));
    await expectTruth(database, { ...scope, lastDay: addDays(notReady, -1) });
    await simulator.close();

    simulator = await startUltimateSimulator({ today, generator });
    await syncInto(database, simulator.url);
    await expectTruth(database);
  });

  it('credentials refused is a config error naming the fix, not a retry loop', async () => {
    simulator = await startUltimateSimulator({ today, generator });
    const database = path.join(tempDir('auth'), 'a.duckdb');
    await expect(syncInto(database, simulator.url, { api_key: 'Bearer sim-api-key' })).rejects.toMatchObject({
      failureType: 'config_error',
      message: expect.stringMatching(/refused the credentials .*401.*Check the API key/),
    });
    expect(simulator.stats().signedUrlRequests).toHaveLength(1);
  });
});
