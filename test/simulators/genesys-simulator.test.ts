/**
 * The Genesys simulator over HTTP, driven by the code the Genesys source will use: core OAuth,
 * core async jobs and the Conversation Detail job driver. Results are checked against the
 * generator (every conversation overlapping each interval, as of the job's snapshot).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runAsyncJobs } from '../../connector/core/streams/jobs.js';
import { HttpClient } from '../../connector/core/http.js';
import { ClientCredentialsAuth } from '../../connector/core/oauth.js';
import { conversationsOverlapping } from '../../connector/simulators/genesys/generator.js';
import type { Window as GenesysInterval } from '../../connector/core/windows.js';
import { conversationDetailJobs, dataAvailabilityDate } from '../../connector/sources/genesys/jobs.js';
import { startGenesysSimulator, type GenesysFaults, type RunningGenesysSimulator } from '../../connector/simulators/genesys/server.js';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const generator = { seed: 3, conversationsPerDay: 120 };
const intervals: GenesysInterval[] = [
  { start: '2026-11-18T00:00:00.000Z', end: '2026-11-19T00:00:00.000Z' },
  { start: '2026-11-19T00:00:00.000Z', end: '2026-11-20T00:00:00.000Z' },
];
let simulator: RunningGenesysSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

let clock = NOW;
async function start(faults: Partial<GenesysFaults> = {}, secret = 'sim-client-secret') {
  clock = NOW;
  simulator = await startGenesysSimulator({ now: () => clock, generator, faults: { pendingPolls: 1, ...faults } });
  const http = new HttpClient({ vendor: 'Genesys Cloud', policy: { backoff: { initialMs: 1, factor: 2, maxMs: 5, jitter: true } }, resetHeader: 'inin-ratelimit-reset' });
  const auth = new ClientCredentialsAuth(http, { tokenUrl: `${simulator.url}/oauth/token`, clientId: 'sim-client-id', clientSecret: secret, vendor: 'Genesys Cloud' });
  return { auth, driver: conversationDetailJobs(auth, simulator.url, 7, { mode: 'raw' }) };
}

async function readAll(driver: ReturnType<typeof conversationDetailJobs>, specs = intervals, afterEachPage = () => {}) {
  const out: Array<{ interval: string; ids: string[] }> = [];
  for await (const job of runAsyncJobs(specs.map((window) => ({ partition: '*', window })), driver, { pollInitialMs: 2, pollMaxMs: 10, maxInFlight: 2 })) {
    const ids = new Set<string>();
    for await (const page of job.pages) {
      for (const c of page.items) ids.add(String(c.conversationId));
      afterEachPage();
    }
    out.push({ interval: `${job.spec.window.start}/${job.spec.window.end}`, ids: [...ids].sort() });
  }
  return out;
}

const expected = (interval: GenesysInterval, asOf = NOW - 6 * 3_600_000) =>
  conversationsOverlapping(Date.parse(interval.start), Date.parse(interval.end), asOf, generator).map((c) => c.truth.conversationId).sort();

describe('Genesys simulator + detail-job driver', () => {
  it('serves every conversation overlapping each interval, in cursor pages, and the client deletes its jobs', async () => {
    const { auth, driver } = await start();
    expect(await dataAvailabilityDate(auth, simulator!.url)).toBe('2026-11-20T06:00:00.000Z');
    const results = await readAll(driver);
    expect(results).toEqual(intervals.map((i) => ({ interval: `${i.start}/${i.end}`, ids: expected(i) })));
    expect(results[0]!.ids.length).toBeGreaterThan(120); // the day's conversations plus the ones from the day before that run into it
    expect(results[0]!.ids.filter((id) => results[1]!.ids.includes(id)).length).toBeGreaterThan(0); // crossing midnight: in both
    expect(simulator!.stats().pages.length).toBeGreaterThan(12); // 7 per page
    expect(simulator!.liveJobs()).toEqual([]);
    expect(simulator!.stats().tokensIssued).toBe(1);
  });

  it('resubmits FAILED jobs and still returns everything', async () => {
    const { driver } = await start({ failEvery: 2 });
    const results = await readAll(driver);
    expect(results.map((r) => r.ids)).toEqual(intervals.map((i) => expected(i)));
    expect(simulator!.stats().jobsSubmitted.length).toBe(3);
    expect(simulator!.liveJobs()).toEqual([]);
  });

  it('starts a job over when its results expire mid-paging', async () => {
    const { driver } = await start({ expireAfterPages: 3 });
    // every job expires after 3 pages of 7: each interval needs more, so each attempt dies; the
    // attempt budget runs out with a clear message
    await expect(readAll(driver, intervals.slice(0, 1))).rejects.toThrow(/did not complete in 3 attempts; the vendor said: results of job \S+ are gone/);
    expect(simulator!.liveJobs()).toEqual([]);
  });

  it('gets a new token when the old one expires mid-sync, and rides out 429s', async () => {
    const { driver } = await start({ tokenLifetimeSeconds: 120, rateLimitEvery: 4, retryAfterSeconds: 0 });
    // The simulator's clock runs a minute per page: its tokens expire every other page, while the
    // client (on real time) still holds them valid, so only the 401 tells it.
    const results = await readAll(driver, intervals, () => (clock += 60_000));
    expect(results.map((r) => r.ids)).toEqual(intervals.map((i) => expected(i)));
    expect(simulator!.stats().unauthorized).toBeGreaterThan(3);
    expect(simulator!.stats().tokensIssued).toBeGreaterThan(3);
    expect(simulator!.stats().tokensIssued).toBeLessThanOrEqual(simulator!.stats().unauthorized + 1); // callers share a refresh
    expect(simulator!.liveJobs()).toEqual([]);
  });

  it('refuses a wrong client secret with a config error that does not show it', async () => {
    const { driver } = await start({}, 'not-the-secret-123');
    const error = (await readAll(driver).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/Genesys Cloud login refused the client credentials \(401: invalid_client\)/);
    expect(error.message).not.toContain('not-the-secret-123');
  });

  it('rejects page sizes above 10,000 and intervals that end before they start', async () => {
    const { auth } = await start();
    const token = await auth.accessToken();
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const bad = await fetch(`${simulator!.url}/api/v2/analytics/conversations/details/jobs`, { method: 'POST', headers, body: JSON.stringify({ interval: '2026-11-19T00:00:00Z/2026-11-18T00:00:00Z' }) });
    expect(bad.status).toBe(400);
    const ok = (await (await fetch(`${simulator!.url}/api/v2/analytics/conversations/details/jobs`, { method: 'POST', headers, body: JSON.stringify({ interval: `${intervals[0]!.start}/${intervals[0]!.end}` }) })).json()) as { jobId: string };
    await fetch(`${simulator!.url}/api/v2/analytics/conversations/details/jobs/${ok.jobId}`, { headers });
    await fetch(`${simulator!.url}/api/v2/analytics/conversations/details/jobs/${ok.jobId}`, { headers });
    const big = await fetch(`${simulator!.url}/api/v2/analytics/conversations/details/jobs/${ok.jobId}/results?pageSize=10001`, { headers });
    expect(big.status).toBe(400);
  });
});
