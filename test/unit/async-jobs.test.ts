/**
 * connector/core/streams/jobs.ts against a small export-job server on 127.0.0.1 (submit → poll →
 * cursor pages → DELETE), scripted per interval: how many polls until done, which terminal states
 * the first attempts end in, results that expire after a page.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AsyncJobFailedError, JobRun, ResultsExpiredError, WaitBudget, cursorPages, runAsyncJobs, type AsyncJobDriver, type JobPoll } from '../../connector/core/streams/jobs.js';

interface Script {
  polls?: number; // polls answered QUEUED/PENDING before the terminal state
  endings?: string[]; // terminal state per attempt; default FULFILLED
  items?: number; // result items (3 per page)
  expireAfterPage?: number; // first attempt's results expire after this many pages
}
interface Job {
  id: string;
  spec: string;
  attempt: number;
  polls: number;
  pagesServed: number;
}

const scripts = new Map<string, Script>();
const jobs = new Map<string, Job>();
const live = new Set<string>();
const submissions: Array<{ spec: string; at: number }> = [];
const pageReads: Array<{ spec: string; at: number }> = [];
const attemptsSeen: string[] = [];
let running = 0;
let maxRunning = 0;
let maxLive = 0; // jobs submitted and not deleted, at most
let server: http.Server;
let base: string;

function send(response: http.ServerResponse, status: number, body?: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body === undefined ? '' : JSON.stringify(body));
}

function isRunning(job: Job, script: Script): boolean {
  return job.polls <= (script.polls ?? 1);
}

beforeAll(async () => {
  let nextId = 0;
  server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    const [, , id, results] = url.pathname.split('/'); // /jobs/:id/results
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && url.pathname === '/jobs') {
        const spec = (JSON.parse(body) as { spec: string }).spec;
        const attempt = [...jobs.values()].filter((j) => j.spec === spec).length + 1;
        const job: Job = { id: `job-${++nextId}`, spec, attempt, polls: 0, pagesServed: 0 };
        jobs.set(job.id, job);
        live.add(job.id);
        maxLive = Math.max(maxLive, live.size);
        submissions.push({ spec, at: Date.now() });
        running++;
        maxRunning = Math.max(maxRunning, running);
        return send(response, 202, { jobId: job.id });
      }
      const job = id ? jobs.get(id) : undefined;
      if (!job) return send(response, 404, { message: 'no such job' });
      const script = scripts.get(job.spec) ?? {};
      if (request.method === 'DELETE') {
        if (live.delete(job.id) && isRunning(job, script)) running--;
        return send(response, 204);
      }
      if (!results) {
        const wasRunning = isRunning(job, script);
        job.polls++;
        if (isRunning(job, script)) return send(response, 200, { state: job.polls === 1 ? 'QUEUED' : 'PENDING' });
        if (wasRunning) running--;
        const ending = script.endings?.[job.attempt - 1] ?? 'FULFILLED';
        return send(response, 200, ending === 'FULFILLED' ? { state: ending } : { state: ending, errorMessage: `${ending} on attempt ${job.attempt}` });
      }
      if (job.attempt === 1 && script.expireAfterPage !== undefined && job.pagesServed >= script.expireAfterPage) return send(response, 404, { message: 'results expired' });
      const from = Number(url.searchParams.get('cursor') ?? '0');
      const total = script.items ?? 7;
      const items = Array.from({ length: Math.max(0, Math.min(3, total - from)) }, (_, k) => `${job.spec}#${from + k}`);
      job.pagesServed++;
      pageReads.push({ spec: job.spec, at: Date.now() });
      return send(response, 200, { items, ...(from + 3 < total ? { cursor: String(from + 3) } : {}) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  scripts.clear();
  jobs.clear();
  live.clear();
  submissions.length = 0;
  attemptsSeen.length = 0;
  pageReads.length = 0;
  running = 0;
  maxRunning = 0;
  maxLive = 0;
});

/** The vendor side as a real client would map it: Genesys' state names. */
const driver: AsyncJobDriver<string, string, { items: string[]; cursor?: string }> = {
  describe: (spec) => spec,
  async submit(spec, signal, attempt) {
    attemptsSeen.push(`${spec}:${attempt}`);
    const response = await fetch(`${base}/jobs`, { method: 'POST', body: JSON.stringify({ spec }), signal });
    return ((await response.json()) as { jobId: string }).jobId;
  },
  async poll(handle, signal): Promise<JobPoll> {
    const { state, errorMessage } = (await (await fetch(`${base}/jobs/${handle}`, { signal })).json()) as { state: string; errorMessage?: string };
    if (state === 'QUEUED' || state === 'PENDING') return { state: 'running' };
    if (state === 'FULFILLED') return { state: 'fulfilled' };
    if (state === 'FORBIDDEN') return { state: 'failed', message: errorMessage ?? state };
    return { state: 'resubmit', message: errorMessage ?? state };
  },
  pages(handle, signal) {
    return cursorPages(async (cursor) => {
      const response = await fetch(`${base}/jobs/${handle}/results${cursor ? `?cursor=${cursor}` : ''}`, { signal });
      if (response.status === 404) throw new ResultsExpiredError(`results of ${handle} expired`);
      return (await response.json()) as { items: string[]; cursor?: string };
    });
  },
  async release(handle) {
    await fetch(`${base}/jobs/${handle}`, { method: 'DELETE' });
  },
};

const fast = { pollInitialMs: 5, pollFactor: 2, pollMaxMs: 20 };

async function collect(specs: string[], options = {}): Promise<Array<{ spec: string; items: string[] }>> {
  const out: Array<{ spec: string; items: string[] }> = [];
  for await (const job of runAsyncJobs(specs, driver, { ...fast, ...options })) {
    const items: string[] = [];
    for await (const page of job.pages) {
      items.push(...page.items);
      await new Promise((resolve) => setTimeout(resolve, 20)); // reading takes time: later jobs run meanwhile
    }
    out.push({ spec: job.spec, items });
  }
  return out;
}

const all = (spec: string, n = 7) => Array.from({ length: n }, (_, k) => `${spec}#${k}`);

describe('runAsyncJobs', () => {
  it('returns every page of every job in spec order, never holding more than maxInFlight jobs, the next running while pages are read', async () => {
    for (const spec of ['d1', 'd2', 'd3', 'd4']) scripts.set(spec, { polls: 2 });
    scripts.set('d1', { polls: 6 }); // the first job is the slowest: later ones finish first
    expect(await collect(['d1', 'd2', 'd3', 'd4'], { maxInFlight: 2 })).toEqual(['d1', 'd2', 'd3', 'd4'].map((spec) => ({ spec, items: all(spec) })));
    expect(maxLive).toBe(2); // the one being read included
    // d2 was submitted (and ran) before d1's pages were all read; d3 only once d1 was released
    const submitted = (spec: string) => submissions.find((s) => s.spec === spec)!.at;
    const lastPage = (spec: string) => pageReads.filter((p) => p.spec === spec).at(-1)!.at;
    expect(submitted('d2')).toBeLessThanOrEqual(pageReads.find((p) => p.spec === 'd1')!.at);
    expect(submitted('d3')).toBeGreaterThanOrEqual(lastPage('d1'));
    expect(live.size).toBe(0); // every job released
  });

  it('maxInFlight 1: one job at a time', async () => {
    expect(await collect(['d1', 'd2', 'd3'], { maxInFlight: 1 })).toEqual(['d1', 'd2', 'd3'].map((spec) => ({ spec, items: all(spec) })));
    expect(maxLive).toBe(1);
  });

  it('resubmits FAILED / CANCELLED / EXPIRED jobs within the attempt budget', async () => {
    scripts.set('d1', { endings: ['CANCELLED', 'FULFILLED'] });
    scripts.set('d2', { endings: ['FAILED', 'EXPIRED', 'FULFILLED'] });
    expect(await collect(['d1', 'd2'], { maxAttempts: 3 })).toEqual([{ spec: 'd1', items: all('d1') }, { spec: 'd2', items: all('d2') }]);
    expect(submissions.map((s) => s.spec).sort()).toEqual(['d1', 'd1', 'd2', 'd2', 'd2']);
    expect(attemptsSeen.sort()).toEqual(['d1:1', 'd1:2', 'd2:1', 'd2:2', 'd2:3']); // the driver is told which attempt it submits (e.g. a new tag each)
    expect(live.size).toBe(0);
  });

  it('with no wait left, still takes a job an earlier sync submitted that is done by now, and parks the one still running', async () => {
    scripts.set('d1', { polls: 0 });
    scripts.set('d2', { polls: 1_000 });
    const earlier = async (spec: string) => ({ handle: await driver.submit(spec, new AbortController().signal, 1), submittedAt: Date.now(), attempts: 1 });
    const adopted = new Map([[0, await earlier('d1')], [1, await earlier('d2')]]);
    const run = new JobRun(['d1', 'd2'], driver, { ...fast, adopted, waitBudget: new WaitBudget(0) });
    const taken: string[] = [];
    for await (const job of run.results()) {
      for await (const page of job.pages) taken.push(...page.items);
    }
    expect(taken).toEqual(all('d1'));
    expect(run.parked?.map((job) => job.spec)).toEqual(['d2']);
    expect(submissions).toHaveLength(2); // none submitted again
  });

  it("gives up after maxAttempts with the vendor's last message, and releases every job", async () => {
    scripts.set('d1', { endings: ['FAILED', 'FAILED', 'FAILED'] });
    scripts.set('d2', { polls: 50 });
    const failure = await collect(['d1', 'd2'], { maxAttempts: 3 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AsyncJobFailedError);
    expect((failure as Error).message).toBe('the export job for d1 did not complete in 3 attempts; the vendor said: FAILED on attempt 3');
    expect(live.size).toBe(0); // d2, still running, was deleted
  });

  it('stops at once on a state that is not worth retrying', async () => {
    scripts.set('d1', { endings: ['FORBIDDEN'] });
    await expect(collect(['d1'])).rejects.toThrow('the export job for d1 failed; the vendor said: FORBIDDEN on attempt 1');
    expect(submissions).toHaveLength(1);
  });

  it('resubmits a job whose results expire while being paged, and reads them again from the start', async () => {
    scripts.set('d1', { items: 9, expireAfterPage: 1 });
    const [d1] = await collect(['d1']);
    expect(d1!.items.slice(3)).toEqual(all('d1', 9)); // page 1 seen twice (callers upsert)
    expect(submissions).toHaveLength(2);
    expect(live.size).toBe(0);
  });

  it('deletes every job it holds when the caller aborts', async () => {
    for (const spec of ['d1', 'd2', 'd3']) scripts.set(spec, { polls: 1_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('SIGTERM')), 100);
    await expect(collect(['d1', 'd2', 'd3'], { maxInFlight: 2, signal: controller.signal })).rejects.toThrow();
    expect(submissions.map((s) => s.spec)).toEqual(['d1', 'd2']);
    expect(live.size).toBe(0);
  });

  it('releases the jobs when the caller leaves the loop early', async () => {
    for (const spec of ['d1', 'd2', 'd3']) scripts.set(spec, { polls: 1 });
    for await (const job of runAsyncJobs(['d1', 'd2', 'd3'], driver, { ...fast, maxInFlight: 3 })) {
      for await (const page of job.pages) expect(page.items.length).toBeGreaterThan(0);
      break;
    }
    expect(live.size).toBe(0);
  });
});

describe('WaitBudget', () => {
  it('spends wall-clock time: overlapping waits (partitions side by side) spend it once', () => {
    let now = 0;
    const budget = new WaitBudget(100, () => now);
    const a = budget.begin();
    now = 30;
    const b = budget.begin();
    now = 60;
    a();
    expect(budget.remainingMs()).toBe(40); // b still waits: 60 ms of wall time gone
    now = 80;
    b();
    expect(budget.remainingMs()).toBe(20);
    const c = budget.begin();
    now = 200;
    c();
    expect(budget.remainingMs()).toBe(0);
    expect(new WaitBudget(undefined).remainingMs()).toBe(Infinity);
  });
});

describe('cursorPages', () => {
  it('follows cursors until none, and refuses a cursor it has seen', async () => {
    const pages = ['a', 'b', undefined];
    const seen: string[] = [];
    for await (const page of cursorPages(async (cursor) => ({ id: cursor ?? 'start', cursor: pages[seen.length] }))) seen.push(page.id);
    expect(seen).toEqual(['start', 'a', 'b']);
    const looping = cursorPages(async () => ({ cursor: 'same' }));
    await expect((async () => { for await (const _ of looping) void _; })()).rejects.toThrow(/same cursor twice/);
  });
});
