import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gunzipSync } from 'node:zlib';
import {
  conversationsEndingOn,
  exportFileChunks,
  fileCountFor,
  formatFor,
  invalidLinesFor,
  type UltimateGeneratorOptions,
} from '../../connector/simulators/ultimate/generator.js';
import { startUltimateSimulator, type RunningUltimateSimulator, type UltimateSimulatorOptions } from '../../connector/simulators/ultimate/server.js';

const TODAY = '2024-03-15';
const YESTERDAY = '2024-03-14';
const KEY = 'sim-api-key';
const ORG = 'sim-org';
const GEN: Partial<UltimateGeneratorOptions> = { invalidEvery: 9 };
const addDays = (date: string, n: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const NOT_READY = '2024-03-10';
const SERVABLE = Array.from({ length: 30 }, (_, i) => addDays(TODAY, -1 - i)).filter((d) => d !== NOT_READY);
const BOTS = ['bot-1', 'bot-2', 'bot-3', 'bot-4'];

async function withSim<T>(opts: UltimateSimulatorOptions, fn: (sim: RunningUltimateSimulator) => Promise<T>): Promise<T> {
  const sim = await startUltimateSimulator({ today: TODAY, generator: GEN, ...opts });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}

function askUrls(sim: RunningUltimateSimulator, bot: string, body: unknown, headers: Record<string, string> = {}, version = 'v3'): Promise<Response> {
  return fetch(`${sim.url}/data-export/${version}/get-signed-urls`, {
    method: 'POST',
    headers: { authorization: KEY, organizationid: ORG, botid: bot, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
async function urlsFor(sim: RunningUltimateSimulator, bot: string, date: string): Promise<string[]> {
  const res = await askUrls(sim, bot, { date });
  expect(res.status).toBe(200);
  return ((await res.json()) as { urls: string[] }).urls;
}
/** The file's text as the generator produces it (gzip files are compared after gunzip). */
const generatedText = (bot: string, date: string, i: number, state?: { grown?: boolean }): string => [...exportFileChunks(bot, date, i, GEN, state)].join('');
async function downloadText(url: string): Promise<{ res: Response; text: string }> {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { res, text: (res.headers.get('content-type') === 'application/gzip' ? gunzipSync(bytes) : bytes).toString('utf8') };
}
/** conversation_ids of a downloaded day (either key case), invalid lines skipped. */
function idsIn(texts: string[], bot: string, date: string, state?: { grown?: boolean }): string[] {
  const invalid = new Set(invalidLinesFor(bot, date, GEN, state).map((x) => x.line));
  const elements = texts.flatMap((t) => (formatFor(bot, date, GEN).jsonArray ? (JSON.parse(t) as unknown[]).map((e) => JSON.stringify(e)) : t.split('\n').filter(Boolean)));
  return elements.filter((e) => !invalid.has(e)).map((e) => {
    const r = JSON.parse(e) as Record<string, string>;
    return r.conversation_id ?? (r.CONVERSATION_ID as string);
  });
}
/** A servable (bot, date) matching a format predicate; the fixtures below need one of each kind. */
function findDay(match: (f: { gzip: boolean; jsonArray: boolean; files: number }) => boolean): { bot: string; date: string } {
  for (const bot of BOTS) for (const date of SERVABLE) if (match({ ...formatFor(bot, date, GEN), files: fileCountFor(bot, date, GEN) })) return { bot, date };
  throw new Error('no such day in the fixture range');
}

describe('Ultimate simulator', () => {
  let sim: RunningUltimateSimulator;
  beforeAll(async () => {
    sim = await startUltimateSimulator({ today: TODAY, notReadyDates: [NOT_READY], generator: GEN });
  });
  afterAll(() => sim.close());

  it.each([
    ['no authorization', { authorization: '' }, 401, 'Unauthorized'],
    ['a Bearer token', { authorization: `Bearer ${KEY}` }, 401, 'Unauthorized'],
    ['a wrong key', { authorization: 'nope' }, 401, 'Unauthorized'],
    ['a wrong organization', { organizationid: 'other-org' }, 403, 'organizationid'],
    ['no botid', { botid: '' }, 400, 'botid'],
  ])('rejects %s', async (_name, headers, status, message) => {
    const res = await askUrls(sim, 'bot-1', { date: YESTERDAY }, headers);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { message: string }).message).toContain(message);
  });

  it.each([
    ['a non-JSON body', 'date=2024-03-14', 'JSON'],
    ['a missing date', {}, '"date" is required'],
    ['a badly formatted date', { date: '14/03/2024' }, 'YYYY-MM-DD'],
    ['an impossible date', { date: '2024-02-30' }, 'YYYY-MM-DD'],
    ['a bad ttl', { date: YESTERDAY, ttl: -5 }, '"ttl"'],
  ])('answers 400 naming the problem for %s', async (_name, body, message) => {
    const res = await askUrls(sim, 'bot-1', body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
  });

  it('serves only the last 30 days before today; not-ready days give an empty list', async () => {
    for (const date of [TODAY, '2024-04-01']) {
      const res = await askUrls(sim, 'bot-1', { date });
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({ message: `Export for ${date} is not available yet` });
    }
    const tooOld = await askUrls(sim, 'bot-1', { date: addDays(TODAY, -31) });
    expect(tooOld.status).toBe(400);
    expect(await tooOld.json()).toEqual({ message: 'Date out of range: only the last 30 days can be exported' });
    expect((await urlsFor(sim, 'bot-1', addDays(TODAY, -30))).length).toBeGreaterThan(0);
    const notReady = await askUrls(sim, 'bot-1', { date: NOT_READY });
    expect(await notReady.json()).toEqual({ date: NOT_READY, urls: [] });
  });

  it('lists one signed URL per file, the same on v2 as on v3', async () => {
    const { bot, date } = findDay((f) => f.files === 3 && f.gzip);
    const urls = await urlsFor(sim, bot, date);
    expect(urls).toHaveLength(3);
    urls.forEach((u, i) => {
      const url = new URL(u);
      expect(url.origin).toBe(sim.url);
      expect(url.pathname).toBe(`/exports/${ORG}/${bot}/${date}/conversation_${bot}_${date}_${String(i).padStart(12, '0')}.json.gz`);
      expect(Number(url.searchParams.get('X-Goog-Expires')) - Date.now() / 1000).toBeGreaterThan(3500);
      expect(url.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]{64}$/);
    });
    const v2 = (await (await askUrls(sim, bot, { date }, {}, 'v2')).json()) as { urls: string[] };
    expect(v2.urls.map((u) => new URL(u).pathname)).toEqual(urls.map((u) => new URL(u).pathname));
    const withTtl = (await (await askUrls(sim, bot, { date, ttl: 5 })).json()) as { urls: string[] };
    const expires = Number(new URL(withTtl.urls[0] as string).searchParams.get('X-Goog-Expires'));
    expect(Math.abs(expires - (Date.now() / 1000 + 300))).toBeLessThan(5);
  });

  it.each([
    ['plain NDJSON', (f: { gzip: boolean; jsonArray: boolean; files: number }) => !f.gzip && !f.jsonArray && f.files > 1, 'application/x-ndjson'],
    ['gzip NDJSON', (f: { gzip: boolean; jsonArray: boolean }) => f.gzip && !f.jsonArray, 'application/gzip'],
    ['a JSON array', (f: { gzip: boolean; jsonArray: boolean }) => f.jsonArray && !f.gzip, 'application/json'],
  ])('downloads %s days without auth, decoding to the generator truth', async (_name, match, contentType) => {
    const { bot, date } = findDay(match);
    const texts: string[] = [];
    const urls = await urlsFor(sim, bot, date);
    expect(urls).toHaveLength(fileCountFor(bot, date, GEN));
    for (const [i, url] of urls.entries()) {
      const { res, text } = await downloadText(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(contentType);
      expect(res.headers.get('content-encoding')).toBeNull(); // gzip is the file itself, not a transfer encoding
      if (contentType !== 'application/gzip') expect(Number(res.headers.get('content-length'))).toBe(Buffer.byteLength(text));
      expect(text).toBe(generatedText(bot, date, i));
      texts.push(text);
    }
    expect(idsIn(texts, bot, date)).toEqual(conversationsEndingOn(bot, date, GEN).map((c) => c.conversation_id));
  });

  it('rejects tampered or unsigned download URLs with an XML 403', async () => {
    const [url] = await urlsFor(sim, 'bot-1', YESTERDAY);
    const u = new URL(url as string);
    const badSig = new URL(u);
    badSig.searchParams.set('X-Goog-Signature', '0'.repeat(64));
    const laterExpiry = new URL(u);
    laterExpiry.searchParams.set('X-Goog-Expires', String(Number(u.searchParams.get('X-Goog-Expires')) + 3600));
    const otherBot = new URL(u.href.replaceAll('bot-1', 'bot-2'));
    for (const bad of [badSig, laterExpiry, otherBot, new URL(u.pathname, sim.url)]) {
      const res = await fetch(bad);
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toContain('application/xml');
      expect(await res.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    }
  });

  it('answers an expired URL with 403 ExpiredToken', async () => {
    await withSim({ urlTtlSeconds: 1 }, async (s) => {
      const [url] = await urlsFor(s, 'bot-1', YESTERDAY);
      await new Promise((r) => setTimeout(r, 2100));
      const res = await fetch(url as string);
      expect(res.status).toBe(403);
      const body = await res.text();
      expect(body).toContain('<Code>ExpiredToken</Code>');
      expect(body).toContain('Request has expired');
    });
  });

  it('records requests in stats, readable and resettable over HTTP', async () => {
    await withSim({}, async (s) => {
      const [url] = await urlsFor(s, 'bot-3', YESTERDAY);
      await askUrls(s, 'bot-3', { date: TODAY });
      await (await fetch(url as string)).arrayBuffer();
      const expected = {
        signedUrlRequests: [{ botId: 'bot-3', date: YESTERDAY, status: 200 }, { botId: 'bot-3', date: TODAY, status: 404 }],
        downloads: [{ path: new URL(url as string).pathname, status: 200 }],
      };
      expect(s.stats()).toEqual(expected);
      expect(await (await fetch(`${s.url}/__sim/stats`)).json()).toEqual(expected);
      expect((await fetch(`${s.url}/__sim/stats/reset`, { method: 'POST' })).status).toBe(200);
      expect(s.stats()).toEqual({ signedUrlRequests: [], downloads: [] });
      expect((await fetch(`${s.url}/nowhere`)).status).toBe(404);
      expect((await fetch(`${s.url}/data-export/v3/get-signed-urls`)).status).toBe(405);
    });
  });

  it('serves identical data from two instances, different data for another seed', async () => {
    const { bot, date } = findDay((f) => f.files > 1 && !f.gzip);
    const texts = async (s: RunningUltimateSimulator): Promise<string[]> =>
      Promise.all((await urlsFor(s, bot, date)).map(async (u) => (await downloadText(u)).text));
    const a = await withSim({}, texts);
    const b = await withSim({}, texts);
    expect(a).toEqual(b);
    expect(await withSim({ generator: { ...GEN, seed: 43 } }, texts)).not.toEqual(a);
  });
});

describe('Ultimate simulator faults', () => {
  it('rate-limits every Nth signed-URL request with Retry-After', async () => {
    await withSim({ faults: { rateLimitEvery: 2, retryAfterSeconds: 1 } }, async (s) => {
      const results: [number, string | null][] = [];
      for (let i = 0; i < 4; i++) {
        const res = await askUrls(s, 'bot-1', { date: YESTERDAY });
        await res.arrayBuffer();
        results.push([res.status, res.headers.get('retry-after')]);
      }
      expect(results).toEqual([[200, null], [429, '1'], [200, null], [429, '1']]);
      expect(s.stats().signedUrlRequests.map((r) => r.status)).toEqual([200, 429, 200, 429]);
    });
  });

  it('answers every Nth request, API or download, with a JSON 503', async () => {
    await withSim({ faults: { serverErrorEvery: 3 } }, async (s) => {
      const [url] = await urlsFor(s, 'bot-1', YESTERDAY); // request 1
      expect((await fetch(url as string).then(async (r) => (await r.arrayBuffer(), r))).status).toBe(200); // 2
      const third = await fetch(url as string);
      expect(third.status).toBe(503);
      expect(await third.json()).toEqual({ message: expect.stringContaining('Service Unavailable') });
      expect((await askUrls(s, 'bot-1', { date: YESTERDAY }).then(async (r) => (await r.arrayBuffer(), r))).status).toBe(200); // 4
      expect((await askUrls(s, 'bot-1', { date: YESTERDAY }).then(async (r) => (await r.arrayBuffer(), r))).status).toBe(200); // 5
      expect((await askUrls(s, 'bot-1', { date: YESTERDAY })).status).toBe(503); // 6
      expect((await fetch(`${s.url}/__sim/stats`)).status).toBe(200); // admin routes never fault
    });
  });

  it('delays responses by slowMs', async () => {
    await withSim({ faults: { slowMs: 200 } }, async (s) => {
      const started = performance.now();
      await urlsFor(s, 'bot-1', YESTERDAY);
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    });
  });

  it('truncates every Nth download after promising the full length', async () => {
    const plain = findDay((f) => !f.gzip && !f.jsonArray);
    const gzip = findDay((f) => f.gzip);
    await withSim({ faults: { truncateEvery: 2 }, generator: { ...GEN, conversationsPerDay: 400 } }, async (s) => {
      for (const { bot, date } of [plain, gzip]) {
        const [url] = await urlsFor(s, bot, date);
        const whole = await fetch(url as string);
        await whole.arrayBuffer(); // download 1 (or 3): complete
        const cut = await fetch(url as string); // download 2 (or 4): cut
        expect(cut.status).toBe(200);
        if (bot === plain.bot && date === plain.date) expect(Number(cut.headers.get('content-length'))).toBeGreaterThan(1000);
        await expect(cut.arrayBuffer()).rejects.toThrow();
      }
    });
  });

  it('expires the first download of each file, then serves it', async () => {
    await withSim({ faults: { expireFirstDownload: true } }, async (s) => {
      const { bot, date } = findDay((f) => f.files === 2);
      const [first, second] = await urlsFor(s, bot, date);
      for (const url of [first, second] as string[]) {
        const expired = await fetch(url);
        expect(expired.status).toBe(403);
        expect(await expired.text()).toMatch(/ExpiredToken[\s\S]*Request has expired/);
      }
      const fresh = await urlsFor(s, bot, date);
      for (const [i, url] of fresh.entries()) expect((await downloadText(url)).text).toBe(generatedText(bot, date, i));
      expect(s.stats().downloads.map((d) => d.status)).toEqual([403, 403, 200, 200]);
    });
  });

  it('grows the newest day by exactly its late conversations, switchable between syncs', async () => {
    await withSim({}, async (s) => {
      const download = async (date: string): Promise<string[]> =>
        Promise.all((await urlsFor(s, 'bot-2', date)).map(async (u) => (await downloadText(u)).text));
      const before = await download(YESTERDAY);
      const olderBefore = await download(addDays(TODAY, -2));
      s.setFaults({ grown: true });
      const after = await download(YESTERDAY);
      expect(after.slice(0, -1)).toEqual(before.slice(0, -1));
      const base = conversationsEndingOn('bot-2', YESTERDAY, GEN).map((c) => c.conversation_id);
      const grown = conversationsEndingOn('bot-2', YESTERDAY, GEN, { grown: true }).map((c) => c.conversation_id);
      expect(idsIn(before, 'bot-2', YESTERDAY)).toEqual(base);
      expect(idsIn(after, 'bot-2', YESTERDAY, { grown: true })).toEqual(grown);
      expect(grown.length - base.length).toBeGreaterThan(0);
      expect(await download(addDays(TODAY, -2))).toEqual(olderBefore); // only the newest day grows
      s.setFaults({ grown: false });
      expect(await download(YESTERDAY)).toEqual(before);
    });
  });

  it('names the URL list signed_urls when asked to', async () => {
    await withSim({ faults: { signedUrlsKey: 'signed_urls' } }, async (s) => {
      const body = (await (await askUrls(s, 'bot-1', { date: YESTERDAY })).json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['date', 'signed_urls']);
    });
  });

  it('reads and merges faults over HTTP, refusing unknown keys and wrong types', async () => {
    await withSim({}, async (s) => {
      const post = (body: unknown) => fetch(`${s.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(body) });
      const merged = await post({ rateLimitEvery: 5, grown: true });
      expect(merged.status).toBe(200);
      expect(await merged.json()).toMatchObject({ rateLimitEvery: 5, grown: true, serverErrorEvery: 0, signedUrlsKey: 'urls' });
      expect(await (await fetch(`${s.url}/__sim/faults`)).json()).toEqual(s.faults());
      for (const bad of [{ rateLimitEvry: 5 }, { slowMs: 'fast' }, { truncateEvery: -1 }, { signedUrlsKey: 'links' }, [1]]) {
        const res = await post(bad);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { message: string }).message).toMatch(/^Invalid faults/);
      }
      expect(s.faults().rateLimitEvery).toBe(5);
      await post({ serverErrorEvery: 1 });
      expect((await askUrls(s, 'bot-1', { date: YESTERDAY })).status).toBe(503);
      expect((await fetch(`${s.url}/__sim/faults`)).status).toBe(200);
    });
  });
});
