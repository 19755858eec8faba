// Kore.ai's bot analytics APIs (seed 003, sources.md §3) on the simulator kit, serving
// generator.ts's deterministic sessions:
//   POST /api/public/bot/:botId/getSessions?containmentType=dropOff|selfService|agent
//        {skip, limit, dateFrom, dateTo, userId?, sessionType?, tags?} → {total, moreAvailable, sessions}
//   POST /api/public/bot/:botId/getAnalytics
//        {type: successintent|failintent, filters: {from, to, channel?}, skip, limit} → {total, moreAvailable, result}
// Every request carries `auth: <JWT>` (HS256 over the client secret, appId = client id, sub, iat,
// exp ≤ 1 h after iat), verified here with node:crypto on its own — never with connector code.
// Errors are {"errors":[{"msg","code"}]}; a 401 never echoes the token.
//
// Selection happens at request time on the data clock (`now`, which may advance per request):
// sessions whose start is in [dateFrom, dateTo) and not after now, newest first, then skip/limit.
// A session arriving between two page requests therefore shifts later pages (duplicates across
// pages; paging by the count received loses nothing). getAnalytics' channel filter defaults to
// ["rtm"] when absent — the real API's trap that silently drops every other channel.
//
// Rate limit per bot, both endpoints together, rolling: perMinute in any 60 s and perHour in any
// 3600 s, on WALL time (the data clock is often fixed in tests). Over it: 429 with Retry-After
// (seconds until a slot frees) unless omitRetryAfter. Rejected requests do not use up slots.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { header, json, mergeFaults, noFaults, startSimServer, type SimFaults, type SimRequest, type SimResponse, type SimRoute } from '../kit.js';
import { KORE_MAX_SESSION_MS, sessionsStartingOn, type KoreContainment, type KoreGeneratorOptions, type KoreSession } from './generator.js';

export interface KoreFaults extends SimFaults {
  /** The next N API requests all answer 429 (counts down as they are served). */
  rateLimitStorm: number;
  /** The most sessions / rows one page returns, whatever limit asks for. */
  limitCap: number;
  /** 429s carry no Retry-After header. */
  omitRetryAfter: boolean;
  /** Accepted requests per bot in any rolling 60 s (wall time). */
  perMinute: number;
  /** Accepted requests per bot in any rolling 3600 s (wall time). */
  perHour: number;
  /** Every API request answers 401. */
  unauthorized: boolean;
  /** The data clock moves on by this many ms after every API request. */
  advanceMsPerRequest: number;
}
export const defaultKoreFaults: KoreFaults = {
  ...noFaults,
  rateLimitStorm: 0,
  limitCap: 100,
  omitRetryAfter: false,
  perMinute: 60,
  perHour: 1800,
  unauthorized: false,
  advanceMsPerRequest: 0,
};

export interface KoreSimulatorOptions {
  port?: number;
  host?: string;
  clientId?: string; // default 'sim-client-id'
  clientSecret?: string; // default 'sim-client-secret'
  /** The data clock (ms); default the real one. advanceMsPerRequest adds to it. */
  now?: () => number;
  /** The clock of the rate windows (ms, monotonic); default real wall time (performance.now). */
  rateClock?: () => number;
  /** When given, only these bot ids exist (others: 404); by default any "st-…" id is a bot. */
  knownBots?: string[];
  generator?: Partial<KoreGeneratorOptions>;
  faults?: Partial<KoreFaults>;
}

export interface KoreBotStats {
  /** API requests naming this bot, whatever their answer (faulted ones too). */
  requests: number;
  /** Requests that passed auth and the rolling limiter (they used up a slot). */
  accepted: number;
  /** 429s sent for this bot: storm, rolling limit and rateLimitEvery. */
  rateLimited: number;
  /** Most accepted requests in any rolling 60 s / 3600 s (wall time). */
  peakAcceptedPerMinute: number;
  peakAcceptedPerHour: number;
  /** Most requests received, whatever their answer, in any rolling 60 s / 3600 s (wall time). */
  peakSentPerMinute: number;
  peakSentPerHour: number;
  /** getSessions pages answered 200, by containmentType asked ('all' = parameter absent). */
  getSessions: Record<KoreContainment | 'all', number>;
  /** getAnalytics pages answered 200, by type. */
  getAnalytics: Record<AnalyticsType, number>;
  /** Pages answered 200 whose limit was above limitCap (so they returned fewer than asked). */
  cappedPages: number;
}

export interface KoreSimStats {
  bots: Record<string, KoreBotStats>;
  /** 401s sent. */
  unauthorized: number;
  /** The largest exp − iat (s) of any correctly signed token seen, even a rejected one; 0 = none yet. */
  maxTokenLifetimeSeconds: number;
  /** 503s sent (serverErrorEvery). */
  serverErrors: number;
  /** 400s sent. */
  badRequests: number;
}

export interface RunningKoreSimulator {
  url: string;
  faults(): KoreFaults;
  setFaults(patch: Partial<KoreFaults>): void;
  stats(): KoreSimStats;
  resetStats(): void;
  /** The data clock now (ms), advances included. */
  now(): number;
  /** Every correctly signed JWT it has accepted: credentials that must never reach a log or a table. */
  acceptedTokens(): string[];
  close(): Promise<void>;
}

type AnalyticsType = 'successintent' | 'failintent';
type Req = SimRequest<KoreFaults>;

const DAY = 86_400_000;
const SEVEN_DAYS = 7 * DAY;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const BY_LOWER: Record<string, KoreContainment> = { dropoff: 'dropOff', selfservice: 'selfService', agent: 'agent' };

function error(status: number, msg: string, headers?: Record<string, string>): SimResponse {
  return json(status, { errors: [{ msg, code: status }] }, headers);
}

/** Thrown while reading a request; becomes a 400 with its message. */
class BadRequest extends Error {}

/** Timestamps (ms, ascending) of the last hour, per bot: for the limiter and for the peaks. */
class RollingLog {
  private times: number[] = [];

  add(t: number): void {
    this.times.push(t);
    const cutoff = t - HOUR_MS;
    let drop = 0;
    while (drop < this.times.length && (this.times[drop] as number) <= cutoff) drop++;
    if (drop > 0) this.times.splice(0, drop);
  }

  /** Entries in the window (t − spanMs, t]. */
  within(t: number, spanMs: number): number[] {
    return this.times.filter((x) => x > t - spanMs && x <= t);
  }
}

// --- JWT ------------------------------------------------------------------------------------

type JwtCheck = { ok: true; lifetime: number } | { ok: false; why: string; lifetime?: number };

function decodeJson(part: string): unknown {
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Verifies a compact HS256 JWS the way the real API is documented to (sources.md §3). */
export function verifyKoreJwt(token: string, secret: string, clientId: string, nowMs: number): JwtCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((p) => /^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, why: 'The auth header is not a compact JWT (three base64url parts)' };
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head) as { alg?: unknown; typ?: unknown } | undefined;
  if (typeof header !== 'object' || header === null) return { ok: false, why: 'The JWT header is not JSON' };
  if (header.alg !== 'HS256') return { ok: false, why: `The JWT algorithm must be HS256, not ${JSON.stringify(header.alg ?? null)}` };
  if (header.typ !== undefined && header.typ !== 'JWT') return { ok: false, why: 'The JWT typ must be "JWT"' };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, why: 'The JWT signature does not match the client secret' };
  const payload = decodeJson(body) as Record<string, unknown> | undefined;
  if (typeof payload !== 'object' || payload === null) return { ok: false, why: 'The JWT payload is not JSON' };
  const { appId, sub, iat, exp } = payload;
  if (typeof iat !== 'number' || typeof exp !== 'number') return { ok: false, why: 'The JWT needs numeric iat and exp claims' };
  const lifetime = exp - iat;
  if (appId !== clientId) return { ok: false, why: 'The JWT appId is not a known client id', lifetime };
  if (typeof sub !== 'string') return { ok: false, why: 'The JWT needs a sub claim (string)', lifetime };
  if (exp * 1000 <= nowMs) return { ok: false, why: 'The JWT has expired', lifetime };
  if (lifetime > 3600) return { ok: false, why: 'The JWT lifetime (exp - iat) must be at most 3600 seconds', lifetime };
  return { ok: true, lifetime };
}

// --- request bodies --------------------------------------------------------------------------

function readBody(req: Req): Record<string, unknown> {
  const text = req.body.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BadRequest('The request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new BadRequest('The request body must be a JSON object');
  return value as Record<string, unknown>;
}

/** `yyyy-mm-dd` (midnight UTC) or an ISO instant; undefined when absent. */
function parseDate(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ok =
    typeof value === 'string' &&
    (/^\d{4}-\d{2}-\d{2}$/.test(value) || /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(value));
  const ms = ok ? Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value) : NaN;
  if (Number.isNaN(ms)) throw new BadRequest(`Invalid ${field} ${JSON.stringify(value)}: use yyyy-mm-dd or yyyy-mm-ddThh:mm:ss.msZ`);
  return ms;
}

/** [from, to): fills a missing end as the docs say (7 days from the other, kept just under 7 days). */
function parseWindow(fromValue: unknown, toValue: unknown, names: [string, string], nowMs: number, required: boolean): { fromMs: number; toMs: number } {
  let fromMs = parseDate(fromValue, names[0]);
  let toMs = parseDate(toValue, names[1]);
  if (required && fromMs === undefined) throw new BadRequest(`${names[0]} is required`);
  if (required && toMs === undefined) throw new BadRequest(`${names[1]} is required`);
  if (toMs === undefined) toMs = fromMs === undefined ? nowMs : fromMs + SEVEN_DAYS - 1;
  if (fromMs === undefined) fromMs = toMs - SEVEN_DAYS + 1;
  if (toMs < fromMs) throw new BadRequest(`${names[0]} must not be after ${names[1]}`);
  if (toMs - fromMs >= SEVEN_DAYS) throw new BadRequest(`The duration between ${names[0]} and ${names[1]} should be less than 7 days`);
  return { fromMs, toMs };
}

function parsePaging(body: Record<string, unknown>): { skip: number; limit: number } {
  const skip = body.skip ?? body.offset ?? 0;
  const limit = body.limit ?? 100;
  if (typeof skip !== 'number' || !Number.isInteger(skip) || skip < 0) throw new BadRequest('skip must be a whole number ≥ 0');
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) throw new BadRequest('limit must be a whole number ≥ 1');
  return { skip, limit };
}

// --- the server --------------------------------------------------------------------------------

export async function startKoreSimulator(options: KoreSimulatorOptions = {}): Promise<RunningKoreSimulator> {
  const clientId = options.clientId ?? 'sim-client-id';
  const clientSecret = options.clientSecret ?? 'sim-client-secret';
  const accepted = new Set<string>(); // every JWT admitted (its signature checked)
  const baseNow = options.now ?? Date.now;
  const rateClock = options.rateClock ?? (() => performance.now());
  const generator: KoreGeneratorOptions = { seed: 1, sessionsPerDay: 40, ...options.generator };
  const knownBots = options.knownBots ? new Set(options.knownBots) : undefined;
  let advancedMs = 0;
  const now = () => baseNow() + advancedMs;

  const limiter = new Map<string, RollingLog>(); // accepted requests per bot: the rate limit's state
  let acceptedLogs = new Map<string, RollingLog>(); // for the stats' peaks (cleared with the stats)
  let sentLogs = new Map<string, RollingLog>();
  const logOf = (map: Map<string, RollingLog>, botId: string) => map.get(botId) ?? map.set(botId, new RollingLog()).get(botId)!;
  const newBotStats = (): KoreBotStats => ({
    requests: 0,
    accepted: 0,
    rateLimited: 0,
    peakAcceptedPerMinute: 0,
    peakAcceptedPerHour: 0,
    peakSentPerMinute: 0,
    peakSentPerHour: 0,
    getSessions: { dropOff: 0, selfService: 0, agent: 0, all: 0 },
    getAnalytics: { successintent: 0, failintent: 0 },
    cappedPages: 0,
  });
  let currentStats: KoreSimStats | undefined;
  const botStats = (botId: string): KoreBotStats => {
    const bots = currentStats!.bots;
    return bots[botId] ?? (bots[botId] = newBotStats());
  };

  // Sessions per (bot, day), generated once; a bounded cache (a long demo run walks many days).
  const cache = new Map<string, KoreSession[]>();
  const sessionsOn = (botId: string, dayMs: number): KoreSession[] => {
    const key = `${botId}/${dayMs}`;
    let sessions = cache.get(key);
    if (!sessions) {
      if (cache.size > 2000) cache.clear();
      sessions = sessionsStartingOn(botId, new Date(dayMs).toISOString().slice(0, 10), generator);
      cache.set(key, sessions);
    }
    return sessions;
  };
  /** Sessions of the bot starting in [fromMs, toMs), any order. */
  const sessionsStarting = (botId: string, fromMs: number, toMs: number): KoreSession[] => {
    const out: KoreSession[] = [];
    for (let day = Math.floor(fromMs / DAY) * DAY; day < toMs; day += DAY) {
      for (const s of sessionsOn(botId, day)) if (s.truth.startMs >= fromMs && s.truth.startMs < toMs) out.push(s);
    }
    return out;
  };

  /** What the page stats need from a request answered 200. */
  const served = new WeakMap<Req, { endpoint: 'getSessions'; type: KoreContainment | 'all'; capped: boolean } | { endpoint: 'getAnalytics'; type: AnalyticsType; capped: boolean }>();

  /** Auth, bot, storm and the rolling limit, in that order; undefined = go ahead (a slot is used). */
  const admit = (req: Req): SimResponse | undefined => {
    if (req.faults.unauthorized) return error(401, 'Invalid or expired token (simulated fault)');
    const token = header(req, 'auth');
    if (token === '') return error(401, 'The auth header with a JWT is missing');
    const check = verifyKoreJwt(token, clientSecret, clientId, now());
    if (check.lifetime !== undefined && currentStats) currentStats.maxTokenLifetimeSeconds = Math.max(currentStats.maxTokenLifetimeSeconds, check.lifetime);
    if (!check.ok) return error(401, check.why);
    accepted.add(token);
    const botId = req.params.botId ?? '';
    if (knownBots ? !knownBots.has(botId) : !botId.startsWith('st-')) return error(404, 'Bot not found');
    const retryAfter = (seconds: number) => (req.faults.omitRetryAfter ? undefined : { 'retry-after': String(seconds) });
    const limited = (seconds: number) => error(429, 'Rate limit for this API has been reached', retryAfter(seconds));
    if (req.faults.rateLimitStorm > 0) {
      req.patchFaults({ rateLimitStorm: req.faults.rateLimitStorm - 1 });
      return limited(req.faults.retryAfterSeconds);
    }
    const t = rateClock();
    const log = logOf(limiter, botId);
    const lastMinute = log.within(t, MINUTE_MS);
    const lastHour = log.within(t, HOUR_MS);
    let waitMs = 0;
    // The slot frees when the oldest request above the limit leaves its window.
    if (lastMinute.length >= req.faults.perMinute) waitMs = Math.max(waitMs, (lastMinute[lastMinute.length - req.faults.perMinute] ?? t) + MINUTE_MS - t);
    if (lastHour.length >= req.faults.perHour) waitMs = Math.max(waitMs, (lastHour[lastHour.length - req.faults.perHour] ?? t) + HOUR_MS - t);
    if (lastMinute.length >= req.faults.perMinute || lastHour.length >= req.faults.perHour) return limited(Math.max(1, Math.ceil(waitMs / 1000)));
    log.add(t);
    const stats = botStats(botId);
    stats.accepted++;
    const peaks = logOf(acceptedLogs, botId);
    peaks.add(t);
    stats.peakAcceptedPerMinute = Math.max(stats.peakAcceptedPerMinute, peaks.within(t, MINUTE_MS).length);
    stats.peakAcceptedPerHour = Math.max(stats.peakAcceptedPerHour, peaks.within(t, HOUR_MS).length);
    return undefined;
  };

  /** Wraps a handler: admission first, then BadRequest → 400. */
  const api = (handle: (req: Req, nowMs: number) => SimResponse) => (req: Req): SimResponse => {
    const refused = admit(req);
    if (refused) return refused;
    try {
      return handle(req, now());
    } catch (e) {
      if (e instanceof BadRequest) return error(400, e.message);
      throw e;
    }
  };

  const getSessions = (req: Req, nowMs: number): SimResponse => {
    const asked = req.query.get('containmentType');
    const type = asked === null ? undefined : BY_LOWER[asked.toLowerCase()];
    if (asked !== null && type === undefined) throw new BadRequest(`Invalid containmentType ${JSON.stringify(asked)}: use dropOff, selfService or agent`);
    const body = readBody(req);
    const { fromMs, toMs } = parseWindow(body.dateFrom, body.dateTo, ['dateFrom', 'dateTo'], nowMs, false);
    const { skip, limit } = parsePaging(body);
    if (body.sessionType !== undefined && body.sessionType !== 'interactive' && body.sessionType !== 'non-interactive') {
      throw new BadRequest('sessionType must be interactive or non-interactive');
    }
    if (body.userId !== undefined && typeof body.userId !== 'string') throw new BadRequest('userId must be a string');
    const selection = sessionsStarting(req.params.botId ?? '', fromMs, Math.min(toMs, nowMs + 1))
      .filter((s) => (type === undefined || s.truth.containment === type) && (body.userId === undefined || s.truth.userId === body.userId))
      .filter((s) => body.sessionType === undefined || s.truth.sessionType === body.sessionType)
      .sort((a, b) => b.truth.startMs - a.truth.startMs || (a.truth.sessionId < b.truth.sessionId ? 1 : -1));
    const page = selection.slice(skip, skip + Math.min(limit, req.faults.limitCap));
    served.set(req, { endpoint: 'getSessions', type: type ?? 'all', capped: limit > req.faults.limitCap });
    return json(200, { total: selection.length, moreAvailable: skip + page.length < selection.length, sessions: page.map((s) => s.served(nowMs)) });
  };

  const getAnalytics = (req: Req, nowMs: number): SimResponse => {
    const body = readBody(req);
    if (body.type !== 'successintent' && body.type !== 'failintent') throw new BadRequest(`Invalid type ${JSON.stringify(body.type ?? null)}: use successintent or failintent`);
    const type: AnalyticsType = body.type;
    const filters = body.filters;
    if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) throw new BadRequest('filters {from, to} is required');
    const { from, to, channel } = filters as Record<string, unknown>;
    const { fromMs, toMs } = parseWindow(from, to, ['from', 'to'], nowMs, true);
    if (channel !== undefined && !(Array.isArray(channel) && channel.every((c) => typeof c === 'string'))) throw new BadRequest('filters.channel must be an array of strings');
    const channels = new Set<string>(channel === undefined ? ['rtm'] : channel); // the real API's default
    const { skip, limit } = parsePaging(body);
    const wanted = type === 'successintent' ? 'success' : 'fail';
    const rows: Array<{ ts: number; messageId: string | null; sessionId: string; k: number; row: Record<string, unknown> }> = [];
    const until = Math.min(toMs, nowMs + 1);
    for (const session of sessionsStarting(req.params.botId ?? '', fromMs - KORE_MAX_SESSION_MS, until)) {
      if (!channels.has(session.truth.channel)) continue;
      session.truth.intents.forEach((event, k) => {
        if (event.type === wanted && event.timestampMs >= fromMs && event.timestampMs < until) {
          rows.push({ ts: event.timestampMs, messageId: event.messageId, sessionId: session.truth.sessionId, k, row: session.intentRow(event) });
        }
      });
    }
    // timestamp, then messageId (rows without one last), then session and event order: a total order
    const key = (r: (typeof rows)[number]) => `${r.messageId === null ? '~' : r.messageId}|${r.sessionId}|${String(r.k).padStart(3, '0')}`;
    rows.sort((a, b) => a.ts - b.ts || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    const page = rows.slice(skip, skip + Math.min(limit, req.faults.limitCap));
    served.set(req, { endpoint: 'getAnalytics', type, capped: limit > req.faults.limitCap });
    return json(200, { total: rows.length, moreAvailable: skip + page.length < rows.length, result: page.map((r) => r.row) });
  };

  const record = (req: Req, status: number, stats: KoreSimStats): void => {
    const botId = req.params.botId ?? '';
    const bot = botStats(botId);
    bot.requests++;
    const t = rateClock();
    const sent = logOf(sentLogs, botId);
    sent.add(t);
    bot.peakSentPerMinute = Math.max(bot.peakSentPerMinute, sent.within(t, MINUTE_MS).length);
    bot.peakSentPerHour = Math.max(bot.peakSentPerHour, sent.within(t, HOUR_MS).length);
    if (status === 429) bot.rateLimited++;
    if (status === 401) stats.unauthorized++;
    if (status === 503) stats.serverErrors++;
    if (status === 400) stats.badRequests++;
    const page = served.get(req);
    if (status === 200 && page) {
      if (page.endpoint === 'getSessions') bot.getSessions[page.type]++;
      else bot.getAnalytics[page.type]++;
      if (page.capped) bot.cappedPages++;
    }
    advancedMs += req.faults.advanceMsPerRequest;
  };

  const routes: Array<SimRoute<KoreFaults, KoreSimStats>> = [
    { method: 'POST', path: '/api/public/bot/:botId/getSessions', kind: 'api', truncatable: true, handle: api(getSessions), record },
    { method: 'POST', path: '/api/public/bot/:botId/getAnalytics', kind: 'api', truncatable: true, handle: api(getAnalytics), record },
  ];

  const checkFaults = (f: KoreFaults): string | undefined => {
    for (const key of ['limitCap', 'perMinute', 'perHour'] as const) if (!(Number.isInteger(f[key]) && f[key] >= 1)) return `fault "${key}" must be a whole number ≥ 1`;
    if (!Number.isInteger(f.rateLimitStorm)) return 'fault "rateLimitStorm" must be a whole number';
    return undefined;
  };

  const server = await startSimServer<KoreFaults, KoreSimStats>({
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.host !== undefined ? { host: options.host } : {}),
    routes,
    faults: mergeFaults(defaultKoreFaults, options.faults ?? {}, checkFaults),
    checkFaults,
    rateLimitHeaders: (faults): Record<string, string> => (faults.omitRetryAfter ? {} : { 'retry-after': String(faults.retryAfterSeconds) }),
    faultBody: (status, message) => ({ errors: [{ msg: message, code: status }] }),
    newStats: () => {
      acceptedLogs = new Map();
      sentLogs = new Map();
      currentStats = { bots: {}, unauthorized: 0, maxTokenLifetimeSeconds: 0, serverErrors: 0, badRequests: 0 };
      return currentStats;
    },
  });
  return {
    url: server.url,
    faults: server.faults,
    setFaults: (patch) => void server.setFaults(patch),
    stats: server.stats,
    resetStats: server.resetStats,
    now,
    acceptedTokens: () => [...accepted],
    close: server.close,
  };
}
