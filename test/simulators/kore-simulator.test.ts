/**
 * The Kore.ai simulator over real HTTP, with plain fetch and a tiny HS256 signer of the test's own
 * (no connector code: the simulator is the connector's independent check). Expected selections
 * are recomputed here from the generator's truth with the documented rules.
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { KORE_CHANNELS, sessionsStartingOn, type KoreContainment, type KoreSessionTruth } from '../../connector/simulators/kore/generator.js';
import { startKoreSimulator, type KoreFaults, type RunningKoreSimulator } from '../../connector/simulators/kore/server.js';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const BOT = 'st-sim-test';
const generator = { seed: 5, sessionsPerDay: 60 };
let simulator: RunningKoreSimulator | undefined;
let clock = NOW;
let wall = 1_000_000;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

/** Generous limits unless a test is about them; `fakeWall` puts the rate windows on `wall`. */
async function start(faults: Partial<KoreFaults> = {}, extra: { fakeWall?: boolean; knownBots?: string[] } = {}) {
  clock = NOW;
  wall = 1_000_000;
  simulator = await startKoreSimulator({
    now: () => clock,
    ...(extra.fakeWall ? { rateClock: () => wall } : {}),
    ...(extra.knownBots ? { knownBots: extra.knownBots } : {}),
    generator,
    faults: { perMinute: 100_000, perHour: 1_000_000, ...faults },
  });
  return simulator;
}

function sign(payload: object, secret = 'sim-client-secret', head: object = { alg: 'HS256', typ: 'JWT' }): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part(head)}.${part(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
/** A fresh token on the simulator's clock (which advanceMsPerRequest moves on). */
const token = (claims: object = {}) => {
  const iat = Math.floor((simulator?.now() ?? clock) / 1000);
  return sign({ appId: 'sim-client-id', sub: 'parley-test', iat, exp: iat + 600, ...claims });
};

type Reply = { status: number; headers: Headers; body: any };
async function call(endpoint: 'getSessions' | 'getAnalytics', body: unknown, opts: { bot?: string; query?: string; auth?: string | null } = {}): Promise<Reply> {
  const auth = opts.auth === undefined ? token() : opts.auth;
  const res = await fetch(`${simulator!.url}/api/public/bot/${opts.bot ?? BOT}/${endpoint}${opts.query ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth !== null ? { auth } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}
const sessions = (body: object, type?: string, opts: { bot?: string } = {}) => call('getSessions', body, { ...opts, query: type === undefined ? '' : `?containmentType=${type}` });

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The documented selection, recomputed here: start in [from, to) and ≤ asOf, newest first. */
function expectedSessions(fromMs: number, toMs: number, asOfMs: number, type?: KoreContainment, bot = BOT): KoreSessionTruth[] {
  const out: KoreSessionTruth[] = [];
  for (let day = Math.floor(fromMs / DAY) * DAY; day < toMs; day += DAY) {
    for (const { truth } of sessionsStartingOn(bot, dayOf(day), generator)) {
      if (truth.startMs >= fromMs && truth.startMs < toMs && truth.startMs <= asOfMs && (!type || truth.containment === type)) out.push(truth);
    }
  }
  return out.sort((a, b) => b.startMs - a.startMs || (a.sessionId < b.sessionId ? 1 : -1));
}

/** Pages with skip advancing by the number received, until moreAvailable is false. */
async function pageAll(body: object, type?: string, onPage = () => {}): Promise<{ ids: string[]; totals: number[]; pages: number }> {
  const ids: string[] = [];
  const totals: number[] = [];
  let pages = 0;
  for (let skip = 0; ; ) {
    const reply = await sessions({ ...body, skip, limit: 100 }, type);
    expect(reply.status).toBe(200);
    pages++;
    totals.push(reply.body.total);
    ids.push(...reply.body.sessions.map((s: { sessionId: string }) => s.sessionId));
    skip += reply.body.sessions.length;
    onPage();
    if (!reply.body.moreAvailable) return { ids, totals, pages };
  }
}

const day19 = { dateFrom: '2026-11-19T00:00:00.000Z', dateTo: '2026-11-20T00:00:00.000Z' };

describe('Kore simulator: auth', () => {
  it('accepts a correct JWT and rejects bad ones with 401, never echoing the token', async () => {
    await start();
    expect((await sessions(day19, 'agent')).status).toBe(200);
    const iat = Math.floor(NOW / 1000);
    const bad: Record<string, string | null> = {
      missing: null,
      garbage: 'not.a.jwt!',
      'bad signature': sign({ appId: 'sim-client-id', sub: 'x', iat, exp: iat + 60 }, 'wrong-secret'),
      'wrong appId': token({ appId: 'someone-else' }),
      'no sub': token({ sub: undefined }),
      expired: token({ iat: iat - 600, exp: iat - 1 }),
      'lifetime over an hour': token({ exp: iat + 3601 }),
      'alg none': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ appId: 'sim-client-id', sub: 'x', iat, exp: iat + 60 })).toString('base64url')}.`,
      'alg HS512': sign({ appId: 'sim-client-id', sub: 'x', iat, exp: iat + 60 }, 'sim-client-secret', { alg: 'HS512', typ: 'JWT' }),
      'string exp': token({ exp: String(iat + 60) }),
    };
    for (const [why, auth] of Object.entries(bad)) {
      const reply = await call('getSessions', day19, { auth, query: '?containmentType=agent' });
      expect(reply.status, why).toBe(401);
      expect(reply.body.errors[0].code).toBe(401);
      expect(typeof reply.body.errors[0].msg).toBe('string');
      if (auth) expect(JSON.stringify(reply.body)).not.toContain(auth.split('.')[2] || auth);
    }
    expect(simulator!.stats().unauthorized).toBe(Object.keys(bad).length);
    expect(simulator!.stats().maxTokenLifetimeSeconds).toBe(3601); // the signed-but-too-long token
    expect(simulator!.stats().bots[BOT]!.accepted).toBe(1);
  });

  it('checks expiry against the simulator clock and the secret and client id given as options', async () => {
    simulator = await startKoreSimulator({ now: () => clock, clientId: 'my-app', clientSecret: 'my-secret', generator });
    clock = NOW;
    const iat = Math.floor(NOW / 1000);
    const mine = sign({ appId: 'my-app', sub: 'me', iat, exp: iat + 300 }, 'my-secret');
    expect((await call('getSessions', day19, { auth: mine })).status).toBe(200);
    expect((await call('getSessions', day19, { auth: token() })).status).toBe(401);
    clock = NOW + 301_000;
    expect((await call('getSessions', day19, { auth: mine })).body.errors[0].msg).toMatch(/expired/);
  });
});

describe('Kore simulator: getSessions', () => {
  it('serves exactly the documented selection, newest first, in pages of at most limitCap', async () => {
    await start({ limitCap: 7 });
    const capped = await sessions({ ...day19, limit: 100 }, 'selfService');
    const want = expectedSessions(Date.parse(day19.dateFrom), Date.parse(day19.dateTo), NOW, 'selfService');
    expect(want.length).toBeGreaterThan(14);
    expect(capped.body.sessions.length).toBe(7);
    expect(capped.body).toMatchObject({ total: want.length, moreAvailable: true });
    expect(capped.body.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(want.slice(0, 7).map((t) => t.sessionId));
    const starts = capped.body.sessions.map((s: { start_time: string }) => Date.parse(s.start_time));
    expect([...starts].sort((a, b) => b - a)).toEqual(starts);
    expect((await sessions({ ...day19, limit: 5 }, 'selfService')).body.sessions.length).toBe(5);
    const all = await pageAll(day19, 'selfService');
    expect(all.ids).toEqual(want.map((t) => t.sessionId)); // no duplicates, nothing lost, newest first
    const last = await sessions({ ...day19, skip: want.length - 2, limit: 100 }, 'selfService');
    expect(last.body).toMatchObject({ total: want.length, moreAvailable: false });
    expect(last.body.sessions.length).toBe(2);
    const stats = simulator!.stats().bots[BOT]!;
    expect(stats.cappedPages).toBe(1 + all.pages + 1);
    expect(stats.getSessions.selfService).toBe(2 + all.pages + 1);
  });

  it('serves the session fields of the docs', async () => {
    await start();
    const reply = await sessions({ ...day19, limit: 100 }, 'agent');
    const s = reply.body.sessions[0];
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['sessionId', 'botId', 'channel', 'userId', 'start_time', 'end_time', 'session_lang', 'sessionType', 'sessionStatus', 'isDeveloper', 'tags', 'noOfMessagesExchanged', 'noOfTasksExecuted']),
    );
    expect(s).toMatchObject({ botId: BOT, sessionStatus: 'closed', tags: { sessionTags: [] } });
    expect(s.sessionId).toMatch(/^[0-9a-f]{24}$/);
    expect(s.end_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('compares containmentType case-insensitively; absent means all types; others are 400', async () => {
    await start();
    const ids = async (type?: string) => (await sessions({ ...day19, limit: 100 }, type)).body.sessions.map((s: { sessionId: string }) => s.sessionId).sort();
    const selfService = await ids('selfService');
    for (const spelling of ['Selfservice', 'selfservice', 'SELFSERVICE']) expect(await ids(spelling)).toEqual(selfService);
    expect(await ids('DROPOFF')).toEqual(await ids('dropOff'));
    const union = [...selfService, ...(await ids('dropOff')), ...(await ids('Agent'))].sort();
    expect(await ids(undefined)).toEqual(union);
    expect(simulator!.stats().bots[BOT]!.getSessions).toEqual({ selfService: 4, dropOff: 3, agent: 1, all: 1 });
    const bad = await sessions(day19, 'contained');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].msg).toMatch(/containmentType/);
  });

  it('allows windows just under 7 days, refuses 7 days, and names an unparsable date', async () => {
    await start();
    const seven = await sessions({ dateFrom: '2026-11-10', dateTo: '2026-11-17' }, 'agent');
    expect(seven.status).toBe(400);
    expect(seven.body).toEqual({ errors: [{ msg: 'The duration between dateFrom and dateTo should be less than 7 days', code: 400 }] });
    const under = await sessions({ dateFrom: '2026-11-10T00:00:00.000Z', dateTo: '2026-11-16T23:00:00.000Z' }, 'agent');
    expect(under.status).toBe(200);
    expect(under.body.total).toBe(expectedSessions(Date.parse('2026-11-10'), Date.parse('2026-11-16T23:00:00Z'), NOW, 'agent').length);
    const dates = await sessions({ dateFrom: '2026-11-19', dateTo: '2026-11-20' }, 'agent');
    expect(dates.body.total).toBe(expectedSessions(Date.parse(day19.dateFrom), Date.parse(day19.dateTo), NOW, 'agent').length);
    const unparsable = await sessions({ dateFrom: 'yesterday', dateTo: '2026-11-20' }, 'agent');
    expect(unparsable.status).toBe(400);
    expect(unparsable.body.errors[0].msg).toMatch(/dateFrom/);
    expect((await sessions({ dateFrom: '2026-11-19', dateTo: '2026-11-19T25:00:00Z' }, 'agent')).body.errors[0].msg).toMatch(/dateTo/);
    expect((await sessions({ ...day19, skip: -1 }, 'agent')).status).toBe(400);
    expect((await sessions({ ...day19, limit: 0 }, 'agent')).status).toBe(400);
    expect(simulator!.stats().badRequests).toBe(5);
  });

  it('shows only sessions started by the clock, active ones without end_time, closed later', async () => {
    await start();
    // a moment when some session is running: 30 s after one starts (each lasts at least a minute)
    const asOf = sessionsStartingOn(BOT, '2026-11-20', generator).find((s) => s.truth.startMs > NOW)!.truth.startMs + 30_000;
    clock = asOf;
    const window = { dateFrom: new Date(NOW - 4 * 3_600_000).toISOString(), dateTo: new Date(NOW + 4 * 3_600_000).toISOString(), limit: 100 };
    const first = (await sessions(window)).body.sessions as Array<Record<string, unknown>>;
    expect(first.length).toBe(expectedSessions(NOW - 4 * 3_600_000, NOW + 4 * 3_600_000, asOf).length);
    for (const s of first) expect(Date.parse(String(s.start_time))).toBeLessThanOrEqual(asOf);
    const active = first.filter((s) => s.sessionStatus === 'active');
    expect(active.length).toBeGreaterThan(0);
    for (const s of active) expect(s).not.toHaveProperty('end_time');
    clock = asOf + 4 * 3_600_000; // past the end of every session that had started
    const later = new Map(((await sessions(window)).body.sessions as Array<Record<string, unknown>>).map((s) => [s.sessionId, s]));
    expect(later.size).toBeGreaterThan(first.length);
    for (const s of active) {
      const again = later.get(s.sessionId)!;
      expect(again.sessionStatus).toBe('closed');
      expect(Date.parse(String(again.end_time))).toBeGreaterThan(asOf);
      expect(Number(again.noOfMessagesExchanged)).toBeGreaterThanOrEqual(Number(s.noOfMessagesExchanged));
    }
  });

  it('pages at request time: with the clock moving, sessions arrive mid-paging and paging by count received loses nothing', async () => {
    await start({ limitCap: 10, advanceMsPerRequest: 3_600_000 });
    const window = { dateFrom: '2026-11-20T00:00:00.000Z', dateTo: '2026-11-21T00:00:00.000Z' };
    const atStart = expectedSessions(Date.parse(window.dateFrom), Date.parse(window.dateTo), NOW).map((t) => t.sessionId);
    const { ids, totals, pages } = await pageAll(window);
    expect(pages).toBeGreaterThan(2);
    expect(totals[0]).toBe(atStart.length);
    expect(totals.at(-1)!).toBeGreaterThan(totals[0]!); // sessions arrived between page requests
    expect(ids.length).toBeGreaterThan(new Set(ids).size); // ... so later pages repeat some
    for (const id of atStart) expect(ids).toContain(id); // but none present at the start is skipped
    expect(simulator!.now()).toBe(NOW + pages * 3_600_000);
    const fresh = (await sessions({ ...window, limit: 10 })).body.sessions.map((s: { sessionId: string }) => s.sessionId);
    expect(fresh.some((id: string) => !ids.includes(id))).toBe(true); // the newest are for the next sync
  });

  it('knows only st-… bots, or only knownBots when given', async () => {
    await start();
    expect((await sessions(day19, 'agent', { bot: 'st-anything-else' })).status).toBe(200);
    expect((await sessions(day19, 'agent', { bot: 'not-a-bot' })).body).toEqual({ errors: [{ msg: 'Bot not found', code: 404 }] });
    await simulator!.close();
    await start({}, { knownBots: [BOT] });
    expect((await sessions(day19, 'agent')).status).toBe(200);
    expect((await sessions(day19, 'agent', { bot: 'st-unknown' })).status).toBe(404);
  });
});

describe('Kore simulator: getAnalytics', () => {
  type Row = { sessionId: string; channel: string; intent?: string; timestamp: string; messageId?: string; utterance: string; language: string; userId: string };
  async function allRows(type: string, filters: object): Promise<Row[]> {
    const rows: Row[] = [];
    for (let skip = 0; ; ) {
      const reply = await call('getAnalytics', { type, filters, skip, limit: 100 });
      expect(reply.status).toBe(200);
      rows.push(...reply.body.result);
      skip += reply.body.result.length;
      if (!reply.body.moreAvailable) return rows;
    }
  }
  const expectedRows = (kind: 'success' | 'fail', fromMs: number, toMs: number, channels: readonly string[]) =>
    [dayOf(fromMs - DAY), dayOf(fromMs)]
      .flatMap((d) => sessionsStartingOn(BOT, d, generator))
      .filter((s) => channels.includes(s.truth.channel))
      .flatMap((s) => s.truth.intents.filter((e) => e.type === kind && e.timestampMs >= fromMs && e.timestampMs < toMs && e.timestampMs <= NOW));

  it('defaults the channel filter to rtm only; every channel must be asked for', async () => {
    await start({ limitCap: 40 });
    const filters = { from: day19.dateFrom, to: day19.dateTo };
    const [fromMs, toMs] = [Date.parse(day19.dateFrom), Date.parse(day19.dateTo)];
    const rtm = await allRows('successintent', filters);
    expect(rtm.length).toBe(expectedRows('success', fromMs, toMs, ['rtm']).length);
    expect(new Set(rtm.map((r) => r.channel))).toEqual(new Set(['rtm']));
    const every = await allRows('successintent', { ...filters, channel: [...KORE_CHANNELS] });
    expect(every.length).toBe(expectedRows('success', fromMs, toMs, KORE_CHANNELS).length);
    expect(new Set(every.map((r) => r.channel))).toEqual(new Set(KORE_CHANNELS));
    const stamps = every.map((r) => Date.parse(r.timestamp));
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    for (const r of every) expect(typeof r.intent).toBe('string');
    expect(every.some((r) => r.messageId === undefined)).toBe(true);
    expect(every.filter((r) => r.messageId !== undefined).length).toBeGreaterThan(every.length / 2);
    const fails = await allRows('failintent', { ...filters, channel: [...KORE_CHANNELS] });
    expect(fails.length).toBe(expectedRows('fail', fromMs, toMs, KORE_CHANNELS).length);
    for (const r of fails) expect(r).not.toHaveProperty('intent');
    expect(fails[0]).toMatchObject({ sessionId: expect.any(String), utterance: expect.any(String), language: expect.any(String), userId: expect.any(String) });
    expect(simulator!.stats().bots[BOT]!.getAnalytics.successintent).toBeGreaterThan(2);
  });

  it('includes events after midnight of sessions that started the day before, and none after the clock', async () => {
    await start();
    const filters = { from: '2026-11-20T00:00:00.000Z', to: '2026-11-21T00:00:00.000Z', channel: [...KORE_CHANNELS] };
    const rows = await allRows('successintent', filters);
    const startedBefore = new Set(sessionsStartingOn(BOT, '2026-11-19', generator).map((s) => s.truth.sessionId));
    expect(rows.some((r) => startedBefore.has(r.sessionId))).toBe(true);
    for (const r of rows) expect(Date.parse(r.timestamp)).toBeLessThanOrEqual(NOW);
    expect(rows.length).toBe(expectedRows('success', Date.parse(filters.from), Date.parse(filters.to), KORE_CHANNELS).length);
  });

  it('refuses unknown types, missing or 7-day windows and a malformed channel filter', async () => {
    await start();
    const filters = { from: day19.dateFrom, to: day19.dateTo };
    expect((await call('getAnalytics', { type: 'intents', filters })).status).toBe(400);
    expect((await call('getAnalytics', { type: 'successintent', filters: { from: day19.dateFrom } })).body.errors[0].msg).toMatch(/\bto\b/);
    expect((await call('getAnalytics', { type: 'successintent' })).status).toBe(400);
    const seven = await call('getAnalytics', { type: 'failintent', filters: { from: '2026-11-01', to: '2026-11-08' } });
    expect(seven.body.errors[0].msg).toMatch(/less than 7 days/);
    expect((await call('getAnalytics', { type: 'failintent', filters: { ...filters, channel: 'rtm' } })).status).toBe(400);
  });
});

describe('Kore simulator: rolling rate limit per bot', () => {
  it('accepts perMinute requests in any 60 s, then 429 with Retry-After until a slot frees; other bots unaffected', async () => {
    await start({ perMinute: 5 }, { fakeWall: true });
    const w = wall;
    for (let i = 0; i < 5; i++) {
      wall = w + i * 1000;
      expect((await sessions(day19, 'agent')).status).toBe(200);
    }
    wall = w + 10_000;
    const limited = await sessions(day19, 'agent');
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ errors: [{ msg: 'Rate limit for this API has been reached', code: 429 }] });
    expect(limited.headers.get('retry-after')).toBe('50'); // the first request leaves the window at w + 60 s
    expect((await sessions(day19, 'agent', { bot: 'st-other-bot' })).status).toBe(200);
    wall = w + 60_000;
    expect((await sessions(day19, 'agent')).status).toBe(200);
    const again = await sessions(day19, 'agent');
    expect(again.status).toBe(429);
    expect(again.headers.get('retry-after')).toBe('1');
    simulator!.setFaults({ omitRetryAfter: true });
    const bare = await sessions(day19, 'agent');
    expect(bare.status).toBe(429);
    expect(bare.headers.get('retry-after')).toBeNull();
    const stats = simulator!.stats().bots;
    expect(stats[BOT]).toMatchObject({ requests: 9, accepted: 6, rateLimited: 3, peakAcceptedPerMinute: 5, peakAcceptedPerHour: 6 });
    expect(stats[BOT]!.peakSentPerMinute).toBe(8); // w+1s … w+60s holds 8 of them
    expect(stats['st-other-bot']).toMatchObject({ requests: 1, accepted: 1, rateLimited: 0, peakAcceptedPerMinute: 1 });
  });

  it('holds perHour over a rolling hour too', async () => {
    await start({ perMinute: 5, perHour: 7 }, { fakeWall: true });
    const w = wall;
    for (let i = 0; i < 5; i++) expect((await sessions(day19, 'agent')).status).toBe(200);
    wall = w + 61_000;
    for (let i = 0; i < 2; i++) expect((await call('getAnalytics', { type: 'successintent', filters: { from: day19.dateFrom, to: day19.dateTo } })).status).toBe(200);
    const limited = await sessions(day19, 'agent');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe(String(3600 - 61));
    wall = w + 3_600_000;
    expect((await sessions(day19, 'agent')).status).toBe(200);
    expect(simulator!.stats().bots[BOT]).toMatchObject({ accepted: 8, peakAcceptedPerMinute: 5, peakAcceptedPerHour: 7 });
  });

  it('uses real wall time by default, even with the data clock fixed', async () => {
    await start({ perMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await sessions(day19, 'agent')).status).toBe(200);
    const limited = await sessions(day19, 'agent');
    expect(limited.status).toBe(429);
    const seconds = Number(limited.headers.get('retry-after'));
    expect(seconds).toBeGreaterThanOrEqual(58);
    expect(seconds).toBeLessThanOrEqual(60);
  });
});

describe('Kore simulator: faults', () => {
  it('a storm answers the next N requests 429 and counts itself down', async () => {
    await start({ retryAfterSeconds: 2 });
    simulator!.setFaults({ rateLimitStorm: 3 });
    for (let i = 0; i < 3; i++) {
      const reply = await sessions(day19, 'agent', { bot: i === 1 ? 'st-other-bot' : BOT });
      expect(reply.status).toBe(429);
      expect(reply.headers.get('retry-after')).toBe('2');
    }
    expect((await sessions(day19, 'agent')).status).toBe(200);
    expect(((await (await fetch(`${simulator!.url}/__sim/faults`)).json()) as KoreFaults).rateLimitStorm).toBe(0);
    expect(simulator!.stats().bots[BOT]).toMatchObject({ rateLimited: 2, accepted: 1 });
  });

  it('serverErrorEvery, rateLimitEvery, unauthorized and truncateEvery, while admin routes never fault', async () => {
    await start({ serverErrorEvery: 2 });
    expect((await sessions(day19, 'agent')).status).toBe(200);
    const failed = await sessions(day19, 'agent');
    expect(failed.status).toBe(503);
    expect(failed.body.errors[0].code).toBe(503);
    simulator!.setFaults({ serverErrorEvery: 0, rateLimitEvery: 2 });
    await sessions(day19, 'agent');
    const limited = await sessions(day19, 'agent');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.errors[0].code).toBe(429);
    simulator!.setFaults({ rateLimitEvery: 0, unauthorized: true });
    expect((await sessions(day19, 'agent')).status).toBe(401);
    simulator!.setFaults({ unauthorized: false, truncateEvery: 1, serverErrorEvery: 1 });
    expect((await fetch(`${simulator!.url}/__sim/stats`)).status).toBe(200); // admin untouched
    simulator!.setFaults({ serverErrorEvery: 0 });
    const res = await fetch(`${simulator!.url}/api/public/bot/${BOT}/getSessions?containmentType=agent`, {
      method: 'POST',
      headers: { auth: token(), 'content-type': 'application/json' },
      body: JSON.stringify(day19),
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const patch = await fetch(`${simulator!.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ limitcap: 3 }) });
    expect(patch.status).toBe(400); // a typo fails loudly
    expect((await fetch(`${simulator!.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ limitCap: 0 }) })).status).toBe(400);
    const stats = simulator!.stats();
    expect(stats).toMatchObject({ serverErrors: 1, unauthorized: 1 });
    expect(stats.bots[BOT]).toMatchObject({ requests: 6, rateLimited: 1 });
  });
});
