// Genesys Cloud's Conversation Detail jobs (seed 001, sources.md §2) on the simulator kit, serving
// generator.ts's deterministic conversations. Login and API share one host here (a client's
// login_url and base_url both point at it):
//   POST   /oauth/token                                              client credentials (Basic auth)
//   GET    /api/v2/analytics/conversations/details/jobs/availability  {dataAvailabilityDate}
//   POST   /api/v2/analytics/conversations/details/jobs              {interval:"start/end"} → {jobId}
//   GET    /api/v2/analytics/conversations/details/jobs/:id          QUEUED → PENDING → FULFILLED | FAILED; EXPIRED
//   GET    /api/v2/analytics/conversations/details/jobs/:id/results  ?cursor=&pageSize= → {conversations, cursor?}
//   DELETE /api/v2/analytics/conversations/details/jobs/:id
//   GET    /api/v2/flows/outcomes                                    ?pageNumber=&pageSize= → {entities, pageCount}
// A simulated 429 carries Retry-After (unless omitRetryAfter) and inin-ratelimit-count|allowed|reset.
// Data after the availability date is partial, as in the real data lake: conversations are shown
// as they stood at that date, and ones started later are missing. Faults for operations: an
// availability date stuck in the past (the nightly batch failed) and wrap-up codes added hours
// after a conversation ended (late-details.ts).
import { randomBytes } from 'node:crypto';
import { header, json, mergeFaults, noFaults, startSimServer, type SimFaults, type SimRequest, type SimResponse, type SimRoute } from '../kit.js';
import { withLateWrapUp } from './late-details.js';
import { conversationsOverlapping, GENESYS_FLOW_OUTCOMES, type GenesysConversation, type GenesysGeneratorOptions } from './generator.js';

export interface GenesysFaults extends SimFaults {
  /** Polls a job answers QUEUED / PENDING before its terminal state. */
  pendingPolls: number;
  /** Seconds (wall clock) a job stays QUEUED / PENDING after submission, besides pendingPolls. */
  jobSeconds: number;
  /** Every Nth submitted job ends FAILED (0 = never). */
  failEvery: number;
  /** A job's results expire after this many pages have been served from it (0 = never). */
  expireAfterPages: number;
  /** Lifetime of issued access tokens, seconds. */
  tokenLifetimeSeconds: number;
  /** How far the data lake's availability date lags `now`, hours. */
  availabilityLagHours: number;
  /**
   * The data lake's nightly batch stopped at this ISO instant: the availability date stays there
   * (and nothing after it is served) whatever `now` is. '' = the date moves with now.
   */
  availabilityStuckAt: string;
  /** Wrap-up codes appear this many hours after the conversation ended (late after-call work); 0 = at its end. */
  wrapUpDelayHours: number;
  /** Simulated 429s carry only the inin-ratelimit-* headers (the client must read inin-ratelimit-reset). */
  omitRetryAfter: boolean;
  /** GET /api/v2/flows/outcomes answers 403 (the OAuth client lacks architect:flowOutcome:view). */
  outcomesForbidden: boolean;
  /** The detail-job endpoints answer 403 (the OAuth client lacks analytics:conversationDetail:view). */
  jobsForbidden: boolean;
}
export const defaultGenesysFaults: GenesysFaults = {
  ...noFaults,
  pendingPolls: 2,
  jobSeconds: 0,
  failEvery: 0,
  expireAfterPages: 0,
  tokenLifetimeSeconds: 86_400,
  availabilityLagHours: 6,
  availabilityStuckAt: '',
  wrapUpDelayHours: 0,
  omitRetryAfter: false,
  outcomesForbidden: false,
  jobsForbidden: false,
};

export interface GenesysSimulatorOptions {
  port?: number;
  host?: string;
  clientId?: string; // default 'sim-client-id'
  clientSecret?: string; // default 'sim-client-secret'
  /** The simulator's clock (ms); default the real one. */
  now?: () => number;
  generator?: Partial<GenesysGeneratorOptions>;
  faults?: Partial<GenesysFaults>;
}

export interface GenesysSimStats {
  tokensIssued: number;
  jobsSubmitted: Array<{ jobId: string; interval: string }>;
  jobsDeleted: string[];
  polls: number;
  /** Job id of every results page served. */
  pages: string[];
  unauthorized: number;
}

export interface RunningGenesysSimulator {
  url: string;
  faults(): GenesysFaults;
  setFaults(patch: Partial<GenesysFaults>): void;
  stats(): GenesysSimStats;
  resetStats(): void;
  /** Jobs not deleted (what a client left behind). */
  liveJobs(): string[];
  /** Every access token it has issued: credentials that must never reach a log or a table. */
  issuedTokens(): string[];
  close(): Promise<void>;
}

interface Job {
  id: string;
  startMs: number;
  endMs: number;
  number: number;
  polls: number;
  pagesServed: number;
  /** Snapshot time: min(now at submission, availability). */
  asOfMs: number;
  availabilityMs: number;
  /** Wall-clock submission time (ms), for jobSeconds. */
  submittedAt: number;
  /** The job's results, computed on the first page request (pages are slices of it). */
  results?: GenesysConversation[];
}

const BASE = '/api/v2/analytics/conversations/details/jobs';
const MAX_PAGE_SIZE = 10_000;

const checkFaults = (f: GenesysFaults): string | undefined =>
  f.availabilityStuckAt !== '' && Number.isNaN(Date.parse(f.availabilityStuckAt)) ? `fault "availabilityStuckAt" must be an ISO instant or "", got "${f.availabilityStuckAt}"` : undefined;

function error(status: number, message: string, code: string): SimResponse {
  return json(status, { message, code, status });
}

export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<RunningGenesysSimulator> {
  const clientId = options.clientId ?? 'sim-client-id';
  const clientSecret = options.clientSecret ?? 'sim-client-secret';
  const now = options.now ?? Date.now;
  const generator: GenesysGeneratorOptions = { seed: 1, conversationsPerDay: 50, ...options.generator };
  const tokens = new Map<string, number>(); // token → expiry (ms)
  const jobs = new Map<string, Job>();
  const submittedBy = new WeakMap<SimRequest<GenesysFaults>, { jobId: string; interval: string }>(); // for the stats
  let jobCount = 0;

  const availabilityMs = (faults: GenesysFaults) =>
    faults.availabilityStuckAt !== '' ? Math.min(Date.parse(faults.availabilityStuckAt), now()) : now() - faults.availabilityLagHours * 3_600_000;
  /** QUEUED / PENDING: fewer polls than pendingPolls so far, or younger than jobSeconds. */
  const stillRunning = (job: Job, faults: GenesysFaults) => job.polls <= faults.pendingPolls || Date.now() - job.submittedAt < faults.jobSeconds * 1000;
  const authorized = (req: SimRequest<GenesysFaults>): boolean => {
    const token = header(req, 'authorization').replace(/^Bearer /i, '');
    const expiry = tokens.get(token);
    return expiry !== undefined && expiry > now();
  };
  const api = (handle: (req: SimRequest<GenesysFaults>) => SimResponse): ((req: SimRequest<GenesysFaults>) => SimResponse) => (req) => {
    if (!authorized(req)) return error(401, 'Authentication failed. The access token is missing, invalid or expired.', 'authentication.required');
    if (req.faults.jobsForbidden && req.path.startsWith(BASE)) return error(403, 'Missing permission analytics:conversationDetail:view.', 'missing.permissions');
    return handle(req);
  };

  const routes: Array<SimRoute<GenesysFaults, GenesysSimStats>> = [
    {
      method: 'POST',
      path: '/oauth/token',
      kind: 'api',
      handle(req) {
        const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
        if (header(req, 'authorization') !== expected) return json(401, { error: 'invalid_client', description: 'client not found or secret wrong' });
        if (!/(^|&)grant_type=client_credentials(&|$)/.test(req.body.toString('utf8'))) return json(400, { error: 'unsupported_grant_type' });
        const token = randomBytes(24).toString('base64url');
        tokens.set(token, now() + req.faults.tokenLifetimeSeconds * 1000);
        return json(200, { access_token: token, token_type: 'bearer', expires_in: req.faults.tokenLifetimeSeconds });
      },
      record: (_req, status, stats) => {
        if (status === 200) stats.tokensIssued++;
      },
    },
    {
      method: 'GET',
      path: `${BASE}/availability`,
      kind: 'api',
      handle: api((req) => json(200, { dataAvailabilityDate: new Date(availabilityMs(req.faults)).toISOString() })),
    },
    {
      method: 'POST',
      path: BASE,
      kind: 'api',
      handle: api((req) => {
        let interval: unknown;
        try {
          interval = (JSON.parse(req.body.toString('utf8')) as { interval?: unknown }).interval;
        } catch {
          return error(400, 'The request body is not valid JSON.', 'bad.request');
        }
        const [from, to] = typeof interval === 'string' ? interval.split('/') : [];
        const startMs = Date.parse(from ?? '');
        const endMs = Date.parse(to ?? '');
        if (!(startMs < endMs)) return error(400, `Invalid interval "${String(interval)}": use ISO-8601 start/end with start before end.`, 'bad.request');
        const job: Job = {
          id: `${randomBytes(4).toString('hex')}-${(++jobCount).toString(16).padStart(4, '0')}-4000-8000-${randomBytes(6).toString('hex')}`,
          startMs,
          endMs,
          number: jobCount,
          polls: 0,
          pagesServed: 0,
          submittedAt: Date.now(),
          asOfMs: Math.min(now(), availabilityMs(req.faults)),
          availabilityMs: availabilityMs(req.faults),
        };
        jobs.set(job.id, job);
        submittedBy.set(req, { jobId: job.id, interval: String(interval) });
        return json(202, { jobId: job.id });
      }),
      record: (req, status, stats) => {
        const submitted = submittedBy.get(req);
        if (status === 202 && submitted) stats.jobsSubmitted.push(submitted);
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:jobId`,
      kind: 'api',
      handle: api((req) => {
        const job = jobs.get(req.params.jobId ?? '');
        if (!job) return error(404, `Job ${req.params.jobId} not found.`, 'not.found');
        job.polls++;
        const dates = { submissionDate: new Date(job.asOfMs).toISOString(), expirationDate: new Date(job.asOfMs + 86_400_000).toISOString() };
        if (stillRunning(job, req.faults)) return json(200, { state: job.polls === 1 ? 'QUEUED' : 'PENDING', ...dates });
        if (req.faults.failEvery > 0 && job.number % req.faults.failEvery === 0) {
          return json(200, { state: 'FAILED', errorMessage: 'Analytics job failed: internal processing error (simulated)', ...dates });
        }
        if (req.faults.expireAfterPages > 0 && job.pagesServed >= req.faults.expireAfterPages) return json(200, { state: 'EXPIRED', ...dates });
        return json(200, { state: 'FULFILLED', completionDate: dates.submissionDate, ...dates });
      }),
      record: (_req, status, stats) => {
        if (status === 200) stats.polls++;
      },
    },
    {
      method: 'GET',
      path: `${BASE}/:jobId/results`,
      kind: 'api',
      handle: api((req) => {
        const job = jobs.get(req.params.jobId ?? '');
        if (!job) return error(404, `Job ${req.params.jobId} not found.`, 'not.found');
        if (stillRunning(job, req.faults)) return error(400, 'Job is not yet FULFILLED.', 'bad.request');
        if (req.faults.expireAfterPages > 0 && job.pagesServed >= req.faults.expireAfterPages) return error(404, `Results of job ${job.id} have expired.`, 'not.found');
        const pageSize = Number(req.query.get('pageSize') ?? '1000');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) return error(400, `pageSize must be 1..${MAX_PAGE_SIZE}.`, 'bad.request');
        const cursor = req.query.get('cursor');
        const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8').replace(/^offset:/, '')) : 0;
        if (!Number.isInteger(offset) || offset < 0) return error(400, 'Invalid cursor.', 'bad.request');
        const all = (job.results ??= conversationsOverlapping(job.startMs, job.endMs, job.asOfMs, generator));
        const slice = all.slice(offset, offset + pageSize);
        job.pagesServed++;
        const next = offset + pageSize < all.length ? Buffer.from(`offset:${offset + pageSize}`).toString('base64url') : undefined;
        return json(200, {
          conversations: slice.map((c) => withLateWrapUp(c.record(job.asOfMs), c.truth.endMs, job.asOfMs, req.faults.wrapUpDelayHours * 3_600_000)),
          dataAvailabilityDate: new Date(job.availabilityMs).toISOString(),
          ...(next ? { cursor: next } : {}),
        });
      }),
      record: (req, status, stats) => {
        if (status === 200) stats.pages.push(req.params.jobId ?? '');
      },
    },
    {
      method: 'GET',
      path: '/api/v2/flows/outcomes',
      kind: 'api',
      handle: api((req) => {
        if (req.faults.outcomesForbidden) return error(403, 'Missing permission architect:flowOutcome:view.', 'missing.permissions');
        const pageSize = Number(req.query.get('pageSize') ?? '25');
        const pageNumber = Number(req.query.get('pageNumber') ?? '1');
        if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500 || !Number.isInteger(pageNumber) || pageNumber < 1) {
          return error(400, 'pageSize must be 1..500 and pageNumber 1 or more.', 'bad.request');
        }
        const all = GENESYS_FLOW_OUTCOMES;
        const entities = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
        return json(200, { entities, pageNumber, pageSize, total: all.length, pageCount: Math.ceil(all.length / pageSize) });
      }),
    },
    {
      method: 'DELETE',
      path: `${BASE}/:jobId`,
      kind: 'api',
      handle: api((req) => {
        if (!jobs.delete(req.params.jobId ?? '')) return error(404, `Job ${req.params.jobId} not found.`, 'not.found');
        return { status: 202, text: '', contentType: 'text/plain' };
      }),
      record: (req, status, stats) => {
        if (status === 202) stats.jobsDeleted.push(req.params.jobId ?? '');
      },
    },
  ];
  for (const route of routes.slice(1)) {
    const inner = route.record;
    route.record = (req, status, stats) => {
      if (status === 401) stats.unauthorized++;
      inner?.(req, status, stats);
    };
  }

  const server = await startSimServer<GenesysFaults, GenesysSimStats>({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    routes,
    faults: mergeFaults(defaultGenesysFaults, options.faults ?? {}, checkFaults),
    checkFaults,
    rateLimitHeaders: (faults) => ({
      ...(faults.omitRetryAfter ? {} : { 'retry-after': String(faults.retryAfterSeconds) }),
      'inin-ratelimit-count': '300',
      'inin-ratelimit-allowed': '300',
      'inin-ratelimit-reset': String(faults.retryAfterSeconds),
    }),
    newStats: () => ({ tokensIssued: 0, jobsSubmitted: [], jobsDeleted: [], polls: 0, pages: [], unauthorized: 0 }),
  });
  return {
    url: server.url,
    faults: server.faults,
    setFaults: (patch) => void server.setFaults(patch),
    stats: server.stats,
    resetStats: server.resetStats,
    liveJobs: () => [...jobs.keys()],
    issuedTokens: () => [...tokens.keys()],
    close: server.close,
  };
}
