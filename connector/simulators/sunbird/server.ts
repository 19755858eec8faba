// Sunbird UCI's Exhaust API (seed 000, sources.md §4, the Sunbird contract) on the simulator kit,
// serving generator.ts's deterministic answers and users:
//   POST /api/dataset/v1/request/submit            {request:{dataset, tag, requestedBy, datasetConfig, ...}} → the job
//   GET  /api/dataset/v1/request/read/:tag         ?requestId=… → the job (unknown: HTTP 200, params.status "failed")
//   GET  /api/dataset/v1/request/list/:tag         ?limit=N (default 100) → {count, jobs} newest first
//   GET  /blob/reports/:dataset/:requestId/:file   a signed, expiring download URL (blob-urls.ts)
// Admin (kit conventions, never faulted): POST /__sim/batch runs the batch now and answers what it
// did; GET /__sim/jobs lists every job; GET|POST /__sim/faults and /__sim/stats as in every simulator.
//
// The API needs three headers: Authorization: Bearer <api key>, x-authenticated-user-token, and
// X-Channel-ID (the channel; requestedChannel in the body is ignored). Each missing or wrong one is
// a 403 naming it; so is a channel where the user has no admin role (fault forbidChannel).
//
// Jobs stay SUBMITTED until the batch runs (batchEverySeconds: on a wall-clock timer; 0 = only on
// demand; 'immediate' = right after each submit, for the demo). The batch works on the data clock
// (`now`): a response exhaust job gets one file per ingestion day of its window that has rows
// ingested by then (late rows of yesterday's conversations included), or FAILED "No data found".
// Files are rendered from the generator when downloaded, cut at the job's completion time, so a
// file is the same on every download.
import { randomBytes, randomUUID } from 'node:crypto';
import { header, json, mergeFaults, noFaults, startSimServer, type SimFaults, type SimRequest, type SimResponse, type SimRoute, type SimServer } from '../kit.js';
import { azureErrorXml, BlobSigner, urlExpiryMs } from './blob-urls.js';
import { privateZip, privateZipName, responseFileChunks, responseFileName } from './exhaust-files.js';
import {
  addDays,
  answersIngestedOn,
  conversationsStartingOn,
  sunbirdEra,
  sunbirdUsers,
  utcDay,
  type SunbirdConversation,
  type SunbirdConversationSource,
  type SunbirdGeneratorOptions,
} from './generator.js';
import { ExhaustJobStore, SUNBIRD_DATASETS, storedTag, type BatchOutcome, type ExhaustFile, type ExhaustJob, type SunbirdDataset, type SunbirdJobStatus } from './jobs.js';
import { parseSubmitBody, SubmitBodyError } from './submit-request.js';

/** The batch fails the matching job `times` times (counting down as it does). */
export interface SunbirdFailJob {
  /** The conversationId. */
  botId: string;
  /** Only the window starting that day (yyyy-MM-dd); absent = any job of the bot. */
  startDate?: string;
  /** Only this dataset; absent = either. */
  dataset?: SunbirdDataset;
  times: number;
  /** statusMessage of the failed job (default "Job failed: spark executor lost"). */
  message?: string;
}

export interface SunbirdFaults extends SimFaults {
  failJobs: SunbirdFailJob[];
  /** How long a download URL stays valid after the read that signed it (seconds). */
  urlTtlSeconds: number;
  /** The next N downloads answer 403 AuthenticationFailed, even with a valid URL (counts down). */
  refuseDownloads: number;
  /** The user has no admin role in this channel: every API request on it answers 403 ('' = none). */
  forbidChannel: string;
}
export const defaultSunbirdFaults: SunbirdFaults = { ...noFaults, failJobs: [], urlTtlSeconds: 1800, refuseDownloads: 0, forbidChannel: '' };

export interface SunbirdSimulatorOptions {
  port?: number;
  host?: string;
  apiKey?: string; // default 'sim-api-key'
  userToken?: string; // default 'sim-user-token'
  /** The data clock: a fixed ISO instant, or a function (ms); default the real clock. */
  now?: string | (() => number);
  /** Seconds between batch runs on wall time; 0 (default) = only POST /__sim/batch; 'immediate' = on every submit. */
  batchEverySeconds?: number | 'immediate';
  /** The download URL signing secret (default: random per start). */
  blobSecret?: string;
  generator?: Partial<SunbirdGeneratorOptions>;
  faults?: Partial<SunbirdFaults>;
}

export interface SunbirdSimStats {
  /** Submits answered 200, per conversationId ('' when the body had none). */
  submits: Record<string, number>;
  jobsCreated: number;
  /** FAILED jobs sent back to SUBMITTED by a submit. */
  resubmits: number;
  /** Read requests answered 200 (unknown requestIds too), and of those the unknown ones. */
  reads: number;
  notFoundReads: number;
  lists: number;
  /** Files served 200. */
  downloads: number;
  /** Download requests answered 403 (refuseDownloads, expired or tampered URLs); of those expired. */
  refusedDownloads: number;
  expiredDownloads: number;
  /** API requests answered 403. */
  forbidden: number;
  badRequests: number;
  serverErrors: number;
  batches: number;
  /** Every job in the store by status, now (not reset with the stats). */
  jobs: Record<SunbirdJobStatus, number>;
  /** Jobs created per `dataset|conversationId|startDate|endDate`, and the largest of them. */
  jobsPerWindow: Record<string, number>;
  maxJobsPerWindow: number;
}

export interface SunbirdBatchJob {
  requestId: string;
  tag: string;
  dataset: SunbirdDataset;
  conversationId: string | null;
  startDate: string | null;
  endDate: string | null;
  status: SunbirdJobStatus;
  attempts: number;
  statusMessage: string;
  files: string[];
}

export interface SunbirdBatchReport {
  /** The data clock when it ran (ISO). */
  ranAt: string;
  /** Jobs it processed (now SUCCESS or FAILED). */
  ran: SunbirdBatchJob[];
  /** SUBMITTED jobs it left alone: they failed SUNBIRD_MAX_ATTEMPTS times. */
  skipped: SunbirdBatchJob[];
}

export interface RunningSunbirdSimulator {
  /** The origin (download URLs and /__sim/ live here). */
  url: string;
  /** url + '/api': the connector's base_url. */
  baseUrl: string;
  faults(): SunbirdFaults;
  setFaults(patch: Partial<SunbirdFaults>): void;
  stats(): SunbirdSimStats;
  resetStats(): void;
  /** Runs the batch now (what POST /__sim/batch does). */
  runBatch(): SunbirdBatchReport;
  /** Every job, in creation order. */
  jobs(): SunbirdBatchJob[];
  /** The data clock (ms). */
  now(): number;
  /** Every download URL signature (`sig`, decoded) it has handed out: credentials that must never reach a log or a table. */
  issuedSignatures(): string[];
  close(): Promise<void>;
}

type Req = SimRequest<SunbirdFaults>;
const API = '/api/dataset/v1/request';
const IDS = { submit: 'ekstep.analytics.dataset.request.submit', read: 'ekstep.analytics.dataset.request.info', list: 'ekstep.analytics.dataset.request.list' } as const;
const DEFAULT_FAILURE = 'Job failed: spark executor lost';

/** Sunbird's timestamps: ISO with an explicit offset. */
const ts = (ms: number) => new Date(ms).toISOString().replace('Z', '+00:00');

function ok(id: string, result: unknown, nowMs: number): SimResponse {
  return json(200, { id, ver: '1.0', ts: ts(nowMs), params: { resmsgid: randomUUID(), status: 'successful', client_key: null }, responseCode: 'OK', result });
}
function failed(status: number, id: string, code: string, errmsg: string, nowMs: number): SimResponse {
  return json(status, { id, ver: '1.0', ts: ts(nowMs), params: { resmsgid: randomUUID(), status: 'failed', err: code, errmsg }, responseCode: code, result: {} });
}
const blobError = (status: number, code: string, message: string, detail?: string): SimResponse => ({
  status,
  headers: { 'x-ms-error-code': code },
  text: azureErrorXml(code, message, detail),
  contentType: 'application/xml',
});

function resolveClock(now: SunbirdSimulatorOptions['now']): () => number {
  if (typeof now === 'function') return now;
  if (now === undefined) return Date.now;
  const fixed = Date.parse(now);
  if (Number.isNaN(fixed)) throw new Error(`now: "${now}" is not an ISO instant`);
  return () => fixed;
}

function checkFaults(f: SunbirdFaults): string | undefined {
  if (!Array.isArray(f.failJobs)) return 'fault "failJobs" must be a list of {botId, startDate?, dataset?, times, message?}';
  for (const rule of f.failJobs as unknown[]) {
    const r = rule as Partial<SunbirdFailJob> | null;
    if (typeof r !== 'object' || r === null || typeof r.botId !== 'string') return 'each failJobs entry needs a botId (string)';
    if (!(Number.isInteger(r.times) && (r.times as number) >= 0)) return 'each failJobs entry needs times (a whole number ≥ 0)';
    if (r.startDate !== undefined && !(typeof r.startDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(r.startDate))) return 'failJobs startDate must be yyyy-MM-dd';
    if (r.dataset !== undefined && !SUNBIRD_DATASETS.includes(r.dataset)) return `failJobs dataset must be one of ${SUNBIRD_DATASETS.join(', ')}`;
    if (r.message !== undefined && typeof r.message !== 'string') return 'failJobs message must be a string';
  }
  if (!Number.isInteger(f.refuseDownloads)) return 'fault "refuseDownloads" must be a whole number';
  return undefined;
}

export async function startSunbirdSimulator(options: SunbirdSimulatorOptions = {}): Promise<RunningSunbirdSimulator> {
  const apiKey = options.apiKey ?? 'sim-api-key';
  const userToken = options.userToken ?? 'sim-user-token';
  const now = resolveClock(options.now);
  const generator: SunbirdGeneratorOptions = { seed: 1, conversationsPerDay: 40, ...options.generator };
  const batchEvery = options.batchEverySeconds ?? 0;
  if (batchEvery !== 'immediate' && !(Number.isFinite(batchEvery) && batchEvery >= 0)) throw new Error(`batchEverySeconds must be ≥ 0 or 'immediate', got ${String(batchEvery)}`);
  const signer = new BlobSigner(options.blobSecret ?? randomBytes(32).toString('hex'));
  const store = new ExhaustJobStore();
  const issuedSignatures = new Set<string>(); // every download URL signature handed out
  let server: SimServer<SunbirdFaults, SunbirdSimStats> | undefined;
  let currentStats: SunbirdSimStats | undefined;
  const stats = (): SunbirdSimStats => currentStats!;
  const refreshJobCounts = () => void (stats().jobs = store.countByStatus());

  // Conversations per (bot, start day), generated once; bounded by days and by conversations (a long
  // run walks many days; a 5M-row bench has 11k conversations a day, and 2,000 such days ran the
  // simulator out of memory), then generated again: the same seed gives the same conversations.
  const cache = new Map<string, SunbirdConversation[]>();
  let cached = 0;
  const source: SunbirdConversationSource = (botId, day) => {
    const key = `${botId}/${day}`;
    let conversations = cache.get(key);
    if (!conversations) {
      conversations = conversationsStartingOn(botId, day, generator);
      if (cache.size >= 2000 || cached + conversations.length > 200_000) {
        cache.clear();
        cached = 0;
      }
      cache.set(key, conversations);
      cached += conversations.length;
    }
    return conversations;
  };
  /** The rows of `day`'s file as it stood at `cutoffMs`. */
  const fileRows = (botId: string, day: string, cutoffMs: number) => answersIngestedOn(botId, day, generator, source).filter((a) => a.ingestedMs <= cutoffMs);

  // --- the batch ---------------------------------------------------------------------------

  const decide = (nowMs: number) => (job: ExhaustJob): BatchOutcome => {
    const { conversationId: botId, dataset, startDate, endDate } = job.request;
    if (botId === undefined) return { status: 'FAILED', message: 'Request should have conversationId' };
    const faults = server!.faults();
    const rule = faults.failJobs.findIndex((r) => r.times > 0 && r.botId === botId && (r.startDate === undefined || r.startDate === startDate) && (r.dataset === undefined || r.dataset === dataset));
    if (rule >= 0) {
      const hit = faults.failJobs[rule] as SunbirdFailJob;
      server!.patchFaults({ failJobs: faults.failJobs.map((r, i) => (i === rule ? { ...r, times: r.times - 1 } : r)) });
      return { status: 'FAILED', message: hit.message ?? DEFAULT_FAILURE };
    }
    if (dataset === 'uci-private-exhaust') {
      return sunbirdUsers(botId, generator).length > 0 ? { status: 'SUCCESS', files: [{ name: privateZipName(botId, utcDay(nowMs)), day: utcDay(nowMs) }] } : { status: 'FAILED', message: 'No data found' };
    }
    const files: ExhaustFile[] = [];
    const lastDay = [endDate as string, utcDay(nowMs)].sort()[0] as string; // no data after the clock
    for (let day = startDate as string; day <= lastDay; day = addDays(day, 1)) {
      if (fileRows(botId, day, nowMs).length > 0) files.push({ name: responseFileName(botId, day), day });
    }
    return files.length > 0 ? { status: 'SUCCESS', files } : { status: 'FAILED', message: 'No data found' };
  };

  const summary = (job: ExhaustJob): SunbirdBatchJob => ({
    requestId: job.requestId,
    tag: job.tag,
    dataset: job.request.dataset,
    conversationId: job.request.conversationId ?? null,
    startDate: job.request.startDate ?? null,
    endDate: job.request.endDate ?? null,
    status: job.status,
    attempts: job.attempts,
    statusMessage: job.statusMessage,
    files: job.files.map((f) => f.name),
  });

  const runBatch = (): SunbirdBatchReport => {
    const nowMs = now();
    const { ran, skipped } = store.runBatch(nowMs, decide(nowMs));
    stats().batches++;
    refreshJobCounts();
    return { ranAt: new Date(nowMs).toISOString(), ran: ran.map(summary), skipped: skipped.map(summary) };
  };

  // --- the API -----------------------------------------------------------------------------

  const blobPath = (job: ExhaustJob, file: ExhaustFile) => `/blob/reports/${job.request.dataset}/${job.requestId}/${encodeURIComponent(file.name)}`;

  /** The job as the API shows it, its download URLs signed afresh from this read. */
  const view = (req: Req, job: ExhaustJob, nowMs: number): Record<string, unknown> => {
    const origin = `http://${header(req, 'host') || new URL(server!.url).host}`;
    const ttl = req.faults.urlTtlSeconds;
    const signed = (f: ExhaustFile): string => {
      const { query } = signer.sign(blobPath(job, f), nowMs, ttl);
      issuedSignatures.add(new URLSearchParams(query).get('sig') ?? '');
      return `${origin}${blobPath(job, f)}?${query}`;
    };
    const urls = job.status === 'SUCCESS' ? job.files.map(signed) : [];
    return {
      attempts: job.attempts,
      lastUpdated: job.lastUpdatedMs,
      tag: job.tag,
      expiresAt: urlExpiryMs(nowMs, ttl),
      datasetConfig: structuredClone(job.request.datasetConfig),
      downloadUrls: urls,
      requestedBy: job.request.requestedBy,
      jobStats: { dtJobSubmitted: job.submittedMs, dtJobCompleted: job.completedMs, executionTime: job.executionMs },
      status: job.status,
      dataset: job.request.dataset,
      requestId: job.requestId,
      requestedChannel: job.request.channel,
      // As in the seed: a job not yet run carries no statusMessage at all.
      ...(job.status === 'SUBMITTED' ? {} : { statusMessage: job.statusMessage }),
    };
  };

  /** The three headers, in the gateway's order; undefined = let it through. */
  const admit = (req: Req, id: string, nowMs: number): SimResponse | undefined => {
    const forbidden = (errmsg: string) => failed(403, id, 'FORBIDDEN', errmsg, nowMs);
    const auth = header(req, 'authorization');
    if (auth === '') return forbidden('The Authorization header is missing: send the API key as "Authorization: Bearer <api key>"');
    if (auth.replace(/^Bearer\s+/i, '') !== apiKey || !/^Bearer\s/i.test(auth)) return forbidden('The API key in the Authorization header is not valid');
    const token = header(req, 'x-authenticated-user-token');
    if (token === '') return forbidden('The x-authenticated-user-token header is missing: send the user token');
    if (token !== userToken) return forbidden('The user token in x-authenticated-user-token is not valid or has expired');
    const channel = header(req, 'x-channel-id');
    if (channel === '') return forbidden('The X-Channel-ID header is missing: send the channel id');
    if (req.faults.forbidChannel !== '' && channel === req.faults.forbidChannel) return forbidden(`The user does not have an admin role in channel "${channel}"`);
    return undefined;
  };

  const submit = (req: Req): SimResponse => {
    const nowMs = now();
    const refused = admit(req, IDS.submit, nowMs);
    if (refused) return refused;
    let request;
    try {
      request = parseSubmitBody(req.body, header(req, 'x-channel-id'));
    } catch (e) {
      if (e instanceof SubmitBodyError) return failed(400, IDS.submit, 'CLIENT_ERROR', e.message, nowMs);
      throw e;
    }
    const { job, outcome } = store.submit(request, nowMs);
    const s = stats();
    const bot = request.conversationId ?? '';
    s.submits[bot] = (s.submits[bot] ?? 0) + 1;
    if (outcome === 'created') {
      s.jobsCreated++;
      const window = `${request.dataset}|${bot}|${request.startDate ?? ''}|${request.endDate ?? ''}`;
      s.jobsPerWindow[window] = (s.jobsPerWindow[window] ?? 0) + 1;
      s.maxJobsPerWindow = Math.max(s.maxJobsPerWindow, s.jobsPerWindow[window]);
    }
    if (outcome === 'resubmitted') s.resubmits++;
    if (batchEvery === 'immediate' && outcome !== 'existing') runBatch();
    refreshJobCounts();
    return ok(IDS.submit, view(req, job, nowMs), nowMs);
  };

  const read = (req: Req): SimResponse => {
    const nowMs = now();
    const refused = admit(req, IDS.read, nowMs);
    if (refused) return refused;
    const requestId = req.query.get('requestId');
    if (!requestId) return failed(400, IDS.read, 'CLIENT_ERROR', 'requestId is required (a query parameter)', nowMs);
    const job = store.read(requestId, storedTag(req.params.tag ?? '', header(req, 'x-channel-id')));
    if (!job) {
      stats().notFoundReads++;
      // HTTP 200 all the same, as the real service does: only the body says it failed.
      return failed(200, IDS.read, 'NO_JOB_FOUND', 'no job available with the given requestId and tag', nowMs);
    }
    return ok(IDS.read, view(req, job, nowMs), nowMs);
  };

  const list = (req: Req): SimResponse => {
    const nowMs = now();
    const refused = admit(req, IDS.list, nowMs);
    if (refused) return refused;
    const asked = req.query.get('limit');
    const limit = asked === null ? 100 : Number(asked);
    if (!(Number.isInteger(limit) && limit >= 1)) return failed(400, IDS.list, 'CLIENT_ERROR', `limit must be a whole number ≥ 1, got ${JSON.stringify(asked)}`, nowMs);
    const jobs = store.list(storedTag(req.params.tag ?? '', header(req, 'x-channel-id')), limit).map((job) => view(req, job, nowMs));
    return ok(IDS.list, { count: jobs.length, jobs }, nowMs);
  };

  // --- downloads ---------------------------------------------------------------------------

  const zips = new Map<string, Promise<Uint8Array>>(); // one archive per job: AES salts are random, retries must get the same bytes
  const download = async (req: Req): Promise<SimResponse> => {
    const authFailed = 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.';
    if (req.faults.refuseDownloads > 0) {
      req.patchFaults({ refuseDownloads: req.faults.refuseDownloads - 1 });
      return blobError(403, 'AuthenticationFailed', authFailed, 'Access refused (simulated fault)');
    }
    const check = signer.verify(req.path, req.query, now());
    if (!check.ok) {
      if (check.reason === 'expired') stats().expiredDownloads++;
      return blobError(403, 'AuthenticationFailed', authFailed, check.detail);
    }
    const job = store.byRequestId(req.params.requestId ?? '');
    const file = job?.status === 'SUCCESS' && job.request.dataset === req.params.dataset ? job.files.find((f) => f.name === req.params.file) : undefined;
    if (!job || !file) return blobError(404, 'BlobNotFound', 'The specified blob does not exist.');
    const botId = job.request.conversationId as string;
    const headers = { 'x-ms-blob-type': 'BlockBlob' };
    if (job.request.dataset === 'uci-private-exhaust') {
      let zip = zips.get(job.requestId);
      if (!zip) zips.set(job.requestId, (zip = privateZip(botId, sunbirdUsers(botId, generator), { modifiedMs: job.completedMs as number, ...(job.request.encryptionKey ? { password: job.request.encryptionKey } : {}) })));
      const bytes = await zip;
      return { status: 200, headers, stream: { contentType: 'application/zip', chunks: [bytes], byteLength: bytes.byteLength } };
    }
    const rows = fileRows(botId, file.day, job.completedMs as number);
    const era = sunbirdEra(file.day, generator);
    let byteLength = 0;
    for (const chunk of responseFileChunks(rows, era)) byteLength += Buffer.byteLength(chunk);
    return { status: 200, headers, stream: { contentType: 'text/csv', chunks: responseFileChunks(rows, era), byteLength } };
  };

  const record = (req: Req, status: number, s: SunbirdSimStats): void => {
    const isDownload = req.path.startsWith('/blob/');
    if (status === 503) s.serverErrors++;
    if (status === 400) s.badRequests++;
    if (status === 403) {
      if (isDownload) s.refusedDownloads++;
      else s.forbidden++;
    }
    if (status === 200 && isDownload) s.downloads++;
    if (status === 200 && req.path.startsWith(`${API}/read/`)) s.reads++;
    if (status === 200 && req.path.startsWith(`${API}/list/`)) s.lists++;
  };

  const routes: Array<SimRoute<SunbirdFaults, SunbirdSimStats>> = [
    { method: 'POST', path: `${API}/submit`, kind: 'api', handle: submit, record },
    { method: 'GET', path: `${API}/read/:tag`, kind: 'api', handle: read, record },
    { method: 'GET', path: `${API}/list/:tag`, kind: 'api', handle: list, record },
    { method: 'GET', path: '/blob/reports/:dataset/:requestId/:file', kind: 'download', handle: download, record },
  ];

  server = await startSimServer<SunbirdFaults, SunbirdSimStats>({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    routes,
    control: [
      { method: 'POST', path: '/__sim/batch', handle: () => json(200, runBatch()) },
      { method: 'GET', path: '/__sim/jobs', handle: () => json(200, store.all().map(summary)) },
    ],
    faults: mergeFaults(defaultSunbirdFaults, options.faults ?? {}, checkFaults),
    checkFaults,
    faultBody: (status, message) => ({
      id: 'ekstep.analytics.dataset.request',
      ver: '1.0',
      ts: ts(now()),
      params: { resmsgid: randomUUID(), status: 'failed', err: status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR', errmsg: message },
      responseCode: status === 429 ? 'TOO_MANY_REQUESTS' : 'SERVER_ERROR',
      result: {},
    }),
    newStats: () => {
      currentStats = {
        submits: {},
        jobsCreated: 0,
        resubmits: 0,
        reads: 0,
        notFoundReads: 0,
        lists: 0,
        downloads: 0,
        refusedDownloads: 0,
        expiredDownloads: 0,
        forbidden: 0,
        badRequests: 0,
        serverErrors: 0,
        batches: 0,
        jobs: store.countByStatus(),
        jobsPerWindow: {},
        maxJobsPerWindow: 0,
      };
      return currentStats;
    },
  });

  const timer = typeof batchEvery === 'number' && batchEvery > 0 ? setInterval(() => runBatch(), batchEvery * 1000) : undefined;
  timer?.unref(); // a forgotten simulator must not keep the process alive
  const running = server;
  return {
    url: running.url,
    baseUrl: `${running.url}/api`,
    faults: running.faults,
    setFaults: (patch) => void running.setFaults(patch),
    stats: running.stats,
    resetStats: running.resetStats,
    runBatch,
    jobs: () => store.all().map(summary),
    now,
    issuedSignatures: () => [...issuedSignatures],
    close: () => {
      if (timer) clearInterval(timer);
      return running.close();
    },
  };
}
