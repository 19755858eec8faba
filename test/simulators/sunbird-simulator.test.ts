/**
 * The Sunbird UCI simulator over real HTTP, with plain fetch, node:crypto's MD5, zip.js and the
 * tests' own Spark-CSV reader (no connector code: the simulator is the connector's independent
 * check). Expected files are recomputed from the generator's truth with the documented rules.
 */
import { createHash } from 'node:crypto';
import { TextWriter, Uint8ArrayReader, ZipReader, type FileEntry } from '@zip.js/zip.js';
import { afterEach, describe, expect, it } from 'vitest';
import { answersIngestedOn, sunbirdUsers, type SunbirdAnswer } from '../../connector/simulators/sunbird/generator.js';
import { simulatorFor } from '../../connector/simulators/registry.js';
import { startSunbirdSimulator, type RunningSunbirdSimulator, type SunbirdFaults, type SunbirdSimulatorOptions } from '../../connector/simulators/sunbird/server.js';
import { sparkCsvRecords } from '../helpers/spark-csv.js';
import { sunbirdTruth } from '../helpers/sunbird-truth.js';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const BOT = 'c63b6faa-11a9-4259-b941-11cd2f8446c6';
const OTHER_BOT = 'd655cf03-1f6f-4510-acf6-d3f51b488a5e';
const generator = { seed: 5, conversationsPerDay: 30, v2From: '2026-11-10', v3From: '2026-11-15', invalidEvery: 13 };
const SECOND = 1000;
const HEADERS = { authorization: 'Bearer sim-api-key', 'x-authenticated-user-token': 'sim-user-token', 'x-channel-id': 'sim-channel' };
const RESPONSE = 'uci-response-exhaust';
const PRIVATE = 'uci-private-exhaust';

let simulator: RunningSunbirdSimulator | undefined;
let clock = NOW;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function start(faults: Partial<SunbirdFaults> = {}, extra: Partial<SunbirdSimulatorOptions> = {}): Promise<RunningSunbirdSimulator> {
  clock = NOW;
  simulator = await startSunbirdSimulator({ now: () => clock, generator, faults, ...extra });
  return simulator;
}

type Reply = { status: number; headers: Headers; body: any };
async function call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = HEADERS): Promise<Reply> {
  const res = await fetch(`${simulator!.baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

interface Ask {
  tag: string;
  dataset?: string;
  bot?: string | null;
  startDate?: string;
  endDate?: string;
  requestedBy?: string;
  encryptionKey?: string;
}
/** A submit body shaped like the seed's. */
function submitBody(ask: Ask): Record<string, unknown> {
  const dataset = ask.dataset ?? RESPONSE;
  return {
    id: 'ekstep.analytics.job.request.submit',
    ver: '1.0',
    ts: new Date(clock).toISOString(),
    params: { msgid: '06fb2660-88ba-11ec-bea0-578c52d1ac65' },
    request: {
      dataset,
      tag: ask.tag,
      requestedBy: ask.requestedBy ?? 'parley-test',
      requestedChannel: 'a-channel-the-server-ignores',
      datasetConfig: {
        type: dataset,
        ...(ask.bot === null ? {} : { conversationId: ask.bot ?? BOT }),
        ...(ask.startDate !== undefined ? { startDate: ask.startDate, endDate: ask.endDate ?? ask.startDate } : {}),
      },
      output_format: 'csv',
      ...(ask.encryptionKey !== undefined ? { encryptionKey: ask.encryptionKey } : {}),
    },
  };
}
const submit = (ask: Ask, headers?: Record<string, string>) => call('POST', '/dataset/v1/request/submit', submitBody(ask), headers);
const read = (tag: string, requestId: string, headers?: Record<string, string>) => call('GET', `/dataset/v1/request/read/${tag}?requestId=${requestId}`, undefined, headers);
const list = (tag: string, query = '', headers?: Record<string, string>) => call('GET', `/dataset/v1/request/list/${tag}${query}`, undefined, headers);
async function batch(): Promise<any> {
  const res = await fetch(`${simulator!.url}/__sim/batch`, { method: 'POST' });
  expect(res.status).toBe(200);
  return res.json();
}
const md5 = (text: string) => createHash('md5').update(text).digest('hex').toUpperCase();
const download = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
};
const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
/** What a file of `day` must hold after a batch at `batchMs`, recomputed from the generator. */
const expectedFile = (day: string, batchMs: number, bot = BOT): SunbirdAnswer[] => answersIngestedOn(bot, day, generator).filter((a) => a.ingestedMs <= batchMs);

async function zipEntry(bytes: Uint8Array): Promise<FileEntry> {
  const entries = await new ZipReader(new Uint8ArrayReader(bytes), { useWebWorkers: false }).getEntries();
  expect(entries.length).toBe(1);
  const [entry] = entries;
  if (!entry || entry.directory) throw new Error('the zip holds no file');
  return entry;
}

describe('Sunbird simulator: gateway auth', () => {
  it('answers 403 naming the missing or wrong header, in Sunbird’s error shape', async () => {
    await start();
    const ask = { tag: 'auth-tag', startDate: '2026-11-19' };
    const without = (name: string) => Object.fromEntries(Object.entries(HEADERS).filter(([k]) => k !== name));
    const cases: Array<[string, Record<string, string>, RegExp]> = [
      ['no Authorization', without('authorization'), /Authorization.*API key|API key.*Authorization/],
      ['wrong API key', { ...HEADERS, authorization: 'Bearer nope' }, /API key/],
      ['no Bearer', { ...HEADERS, authorization: 'sim-api-key' }, /API key/],
      ['no user token', without('x-authenticated-user-token'), /x-authenticated-user-token/],
      ['wrong user token', { ...HEADERS, 'x-authenticated-user-token': 'stale' }, /x-authenticated-user-token/],
      ['no channel', without('x-channel-id'), /X-Channel-ID/],
    ];
    for (const [why, headers, message] of cases) {
      const reply = await submit(ask, headers);
      expect(reply.status, why).toBe(403);
      expect(reply.body, why).toMatchObject({ params: { status: 'failed', err: 'FORBIDDEN', errmsg: expect.stringMatching(message) }, responseCode: 'FORBIDDEN', result: {} });
      expect(reply.body.id).toBe('ekstep.analytics.dataset.request.submit');
    }
    expect((await read('auth-tag', 'X', without('x-channel-id'))).status).toBe(403);
    expect((await list('auth-tag', '', without('authorization'))).status).toBe(403);
    expect(simulator!.stats()).toMatchObject({ forbidden: cases.length + 2, jobsCreated: 0, submits: {} });
    expect((await submit(ask)).status).toBe(200);
  });

  it('refuses a channel where the user has no admin role, naming the channel', async () => {
    await start({ forbidChannel: 'sim-channel' });
    const refused = await submit({ tag: 'role', startDate: '2026-11-19' });
    expect(refused.status).toBe(403);
    expect(refused.body.params.errmsg).toMatch(/admin role/);
    expect(refused.body.params.errmsg).toContain('"sim-channel"');
    expect((await list('role')).status).toBe(403);
    expect((await submit({ tag: 'role', startDate: '2026-11-19' }, { ...HEADERS, 'x-channel-id': 'other-channel' })).status).toBe(200);
    simulator!.setFaults({ forbidChannel: '' });
    expect((await submit({ tag: 'role', startDate: '2026-11-19' })).status).toBe(200);
  });
});

describe('Sunbird simulator: submit, read and list', () => {
  it('answers 400 naming the malformed field', async () => {
    await start();
    const body = submitBody({ tag: 't', startDate: '2026-11-19' }) as { request: Record<string, any> };
    const variant = (change: (r: Record<string, any>) => void) => {
      const copy = structuredClone(body);
      change(copy.request);
      return copy;
    };
    const cases: Array<[unknown, RegExp]> = [
      ['{not json', /not valid JSON/],
      [{ id: 'x' }, /^request is required/],
      [variant((r) => (r.dataset = 'uci-everything')), /request\.dataset/],
      [variant((r) => delete r.tag), /request\.tag/],
      [variant((r) => delete r.requestedBy), /request\.requestedBy/],
      [variant((r) => delete r.datasetConfig), /request\.datasetConfig is required/],
      [variant((r) => (r.datasetConfig.type = 'csv')), /request\.datasetConfig\.type/],
      [variant((r) => (r.datasetConfig.startDate = '19/11/2026')), /request\.datasetConfig\.startDate/],
      [variant((r) => (r.datasetConfig.endDate = '2026-11-31')), /request\.datasetConfig\.endDate/],
      [variant((r) => (r.datasetConfig.endDate = '2026-11-18')), /endDate must not be before startDate/],
      [variant((r) => (r.output_format = 'json')), /output_format/],
    ];
    for (const [payload, message] of cases) {
      const reply = await call('POST', '/dataset/v1/request/submit', payload);
      expect(reply.status, String(message)).toBe(400);
      expect(reply.body.params, String(message)).toMatchObject({ status: 'failed', err: 'CLIENT_ERROR', errmsg: expect.stringMatching(message) });
    }
    expect((await call('GET', '/dataset/v1/request/read/t')).body.params.errmsg).toMatch(/requestId/);
    expect((await list('t', '?limit=0')).body.params.errmsg).toMatch(/limit/);
    expect(simulator!.stats().badRequests).toBe(cases.length + 2);
    // The private exhaust ignores dates: none needed.
    expect((await submit({ tag: 'p', dataset: PRIVATE })).status).toBe(200);
  });

  it('derives requestId from dataset|tag|requestedBy|channel|today|type and stores the tag as <tag>:<channel>', async () => {
    await start();
    const reply = await submit({ tag: 'win-a', startDate: '2026-11-18', endDate: '2026-11-19' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: 'ekstep.analytics.dataset.request.submit', ver: '1.0', params: { status: 'successful' }, responseCode: 'OK' });
    const job = reply.body.result;
    expect(job.requestId).toBe(md5(`${RESPONSE}|win-a|parley-test|sim-channel|2026-11-20|${RESPONSE}`));
    expect(job).toMatchObject({
      tag: 'win-a:sim-channel',
      status: 'SUBMITTED',
      attempts: 0,
      downloadUrls: [],
      dataset: RESPONSE,
      requestedBy: 'parley-test',
      requestedChannel: 'sim-channel', // the header's, not the body's
      datasetConfig: { type: RESPONSE, conversationId: BOT, startDate: '2026-11-18', endDate: '2026-11-19' },
      lastUpdated: NOW,
      jobStats: { dtJobSubmitted: NOW, dtJobCompleted: null, executionTime: null },
    });
    expect(job).not.toHaveProperty('statusMessage'); // as in the seed's submit answer
    expect(job.expiresAt).toBe(NOW + 1800 * SECOND);

    // Same day, same tag, other dates: the FIRST job comes back, with its own dates.
    clock = NOW + 3_600_000;
    const again = (await submit({ tag: 'win-a', startDate: '2026-11-01', endDate: '2026-11-02' })).body.result;
    expect(again.requestId).toBe(job.requestId);
    expect(again.datasetConfig).toMatchObject({ startDate: '2026-11-18', endDate: '2026-11-19' });
    expect(again.jobStats.dtJobSubmitted).toBe(NOW);
    // Anything else in the hash makes another job.
    const otherUser = (await submit({ tag: 'win-a', startDate: '2026-11-01', requestedBy: 'someone-else' })).body.result;
    expect(otherUser.requestId).not.toBe(job.requestId);
    const otherChannel = (await submit({ tag: 'win-a', startDate: '2026-11-01' }, { ...HEADERS, 'x-channel-id': 'ch-2' })).body.result;
    expect(otherChannel).toMatchObject({ requestId: md5(`${RESPONSE}|win-a|parley-test|ch-2|2026-11-20|${RESPONSE}`), tag: 'win-a:ch-2' });
    // The next day (server clock, UTC), the same request is a new job.
    clock = Date.parse('2026-11-21T00:00:01Z');
    const tomorrow = (await submit({ tag: 'win-a', startDate: '2026-11-01', endDate: '2026-11-02' })).body.result;
    expect(tomorrow.requestId).toBe(md5(`${RESPONSE}|win-a|parley-test|sim-channel|2026-11-21|${RESPONSE}`));
    expect(tomorrow.datasetConfig).toMatchObject({ startDate: '2026-11-01', endDate: '2026-11-02' });

    // read takes the bare tag and adds the channel of the request.
    expect((await read('win-a', job.requestId)).body.result.requestId).toBe(job.requestId);
    expect((await read('win-a:sim-channel', job.requestId)).body.params.err).toBe('NO_JOB_FOUND');
    expect((await read('win-a', job.requestId, { ...HEADERS, 'x-channel-id': 'ch-2' })).body.params.err).toBe('NO_JOB_FOUND');
    const stats = simulator!.stats();
    expect(stats).toMatchObject({ jobsCreated: 4, submits: { [BOT]: 5 }, jobs: { SUBMITTED: 4, SUCCESS: 0, FAILED: 0 } });
    expect(stats.maxJobsPerWindow).toBe(2); // 2026-11-01 asked by another user and under another channel: two jobs, one window
  });

  it('answers an unknown requestId with HTTP 200 and a failed body', async () => {
    await start();
    const reply = await read('no-such-tag', '0123456789ABCDEF0123456789ABCDEF');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: 'ekstep.analytics.dataset.request.info', params: { status: 'failed', err: 'NO_JOB_FOUND', errmsg: expect.any(String) }, result: {} });
    expect(simulator!.stats()).toMatchObject({ reads: 1, notFoundReads: 1 });
  });

  it('lists a tag’s jobs newest first, up to limit (default 100)', async () => {
    await start();
    for (const [k, ask] of ([{ startDate: '2026-11-17' }, { dataset: PRIVATE }, { startDate: '2026-11-17', requestedBy: 'b' }] as const).entries()) {
      clock = NOW + k * SECOND;
      expect((await submit({ tag: 'listed', ...ask })).status).toBe(200);
    }
    await submit({ tag: 'elsewhere', startDate: '2026-11-17' });
    const all = await list('listed');
    expect(all.body).toMatchObject({ id: 'ekstep.analytics.dataset.request.list', responseCode: 'OK', result: { count: 3 } });
    expect(all.body.result.jobs.map((j: any) => j.jobStats.dtJobSubmitted)).toEqual([NOW + 2 * SECOND, NOW + SECOND, NOW]);
    expect(all.body.result.jobs.every((j: any) => j.tag === 'listed:sim-channel')).toBe(true);
    const two = await list('listed', '?limit=2');
    expect(two.body.result.count).toBe(2);
    expect(two.body.result.jobs[1].dataset).toBe(PRIVATE);
    expect((await list('nothing-here')).body.result).toEqual({ count: 0, jobs: [] });
    expect(simulator!.stats().lists).toBe(3);
  });
});

describe('Sunbird simulator: the batch', () => {
  it('keeps jobs SUBMITTED until the batch runs, then files one CSV per ingestion day', async () => {
    await start();
    const job = (await submit({ tag: 'two-days', startDate: '2026-11-18', endDate: '2026-11-19' })).body.result;
    for (let i = 0; i < 3; i++) expect((await read('two-days', job.requestId)).body.result.status).toBe('SUBMITTED');
    clock = NOW + 7_200_000;
    const report = await batch();
    expect(report.ranAt).toBe(new Date(clock).toISOString());
    expect(report.ran).toEqual([
      expect.objectContaining({ requestId: job.requestId, status: 'SUCCESS', files: [`${BOT}_response_20261118.csv`, `${BOT}_response_20261119.csv`], attempts: 0 }),
    ]);
    const done = (await read('two-days', job.requestId)).body.result;
    expect(done).toMatchObject({ status: 'SUCCESS', statusMessage: '', lastUpdated: clock, jobStats: { dtJobSubmitted: NOW, dtJobCompleted: clock, executionTime: expect.any(Number) } });
    expect(done.downloadUrls).toHaveLength(2);
    const pattern = new RegExp(`^${simulator!.url}/blob/reports/${RESPONSE}/${job.requestId}/${BOT}_response_2026111[89]\\.csv\\?sv=2017-04-17&se=[^&]+&sr=b&sp=r&sig=[^&]+$`);
    for (const url of done.downloadUrls) expect(url).toMatch(pattern);
    expect(decodeURIComponent(new URL(done.downloadUrls[0]).searchParams.get('se')!)).toBe(new Date(done.expiresAt).toISOString().replace('.000Z', 'Z'));
    expect((await batch()).ran).toEqual([]); // nothing left to run
    expect(simulator!.stats()).toMatchObject({ batches: 2, jobs: { SUCCESS: 1, SUBMITTED: 0 } });
  });

  it('writes the CSV as Spark does: each era’s header, late rows, quoted strings with \\" escapes, malformed rows kept', async () => {
    await start();
    clock = NOW;
    // 2026-11-09 is v1, 10–14 v2, 15 on v3 (generator options); a window across both switches.
    const job = (await submit({ tag: 'eras', startDate: '2026-11-09', endDate: '2026-11-15' })).body.result;
    await batch();
    const urls: string[] = (await read('eras', job.requestId)).body.result.downloadUrls;
    expect(urls).toHaveLength(7);
    const truth = sunbirdTruth({ botIds: [BOT], startDate: '2026-11-09', untilDay: '2026-11-16', generator, asOfMs: NOW });
    const seen = new Set<string>();
    let late = 0;
    let quarantined = 0;
    for (const url of urls) {
      const day = /_response_(\d{4})(\d\d)(\d\d)\.csv/.exec(url)!.slice(1).join('-');
      const reply = await download(url);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/text\/csv/);
      expect(Number(reply.headers.get('content-length'))).toBe(reply.bytes.byteLength);
      const csv = text(reply.bytes);
      expect(csv).toContain('\\"');
      const { header, records } = sparkCsvRecords(csv);
      const era = day < '2026-11-10' ? 'v1' : day < '2026-11-15' ? 'v2' : 'v3';
      expect(header.join(','), day).toBe(
        {
          v1: 'Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,Timestamp,@timestamp',
          v2: 'Message ID,Conversation ID,Conversation Name,Device ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp',
          v3: 'Message ID,Conversation ID,Conversation Name,Device ID,Session ID,Question Id,Question Type,Question Title,Question Description,Question Duration,Question Score,Question Max Score,Question Options,Question Response,X Path,Eof,Timestamp,@timestamp',
        }[era],
      );
      const want = expectedFile(day, NOW);
      expect(records.length).toBe(want.length);
      records.forEach((r, k) => {
        const a = want[k]!;
        expect(r['@timestamp']).toBe(new Date(a.ingestedMs).toISOString());
        expect(r['@timestamp']!.slice(0, 10)).toBe(day);
        expect(r['Question Response']).toBe(a.questionResponse);
        if (era !== 'v1') expect(r['Message ID']).toBe(a.messageId);
        if (r['Device ID'] === null || r.Timestamp === 'not-a-time') {
          quarantined++;
          return;
        }
        const key = era === 'v1' ? `${BOT}|${r['Device ID']}|${r.Timestamp}|${r['Question Id']}` : `${BOT}|${r['Message ID']}`;
        const expected = truth.responses.get(key);
        expect(expected, key).toBeDefined();
        expect(expected!.windowStart).toBe(day);
        expect(r['Question Title']).toBe(expected!.questionTitle);
        seen.add(key);
        if (new Date(Number(r.Timestamp)).toISOString().slice(0, 10) < day) late++;
      });
    }
    expect(seen.size).toBe(truth.responses.size); // every expected row, in the window of its ingestion day
    expect(quarantined).toBe(truth.quarantined.length);
    expect(quarantined).toBeGreaterThan(0);
    expect(late).toBeGreaterThan(0);
    expect(simulator!.stats().downloads).toBe(7);
  });

  it('has no data after the clock: today’s file is partial, a future window is "No data found"', async () => {
    await start();
    const today = (await submit({ tag: 'today', startDate: '2026-11-20', endDate: '2026-11-25' })).body.result;
    const future = (await submit({ tag: 'future', startDate: '2026-11-21', endDate: '2026-11-22' })).body.result;
    const noBot = (await submit({ tag: 'no-bot', bot: null, startDate: '2026-11-19' })).body.result;
    const report = await batch();
    expect(report.ran.map((j: any) => [j.tag, j.status, j.statusMessage, j.files.length])).toEqual([
      ['today:sim-channel', 'SUCCESS', '', 1],
      ['future:sim-channel', 'FAILED', 'No data found', 0],
      ['no-bot:sim-channel', 'FAILED', 'Request should have conversationId', 0],
    ]);
    const failed = (await read('future', future.requestId)).body.result;
    expect(failed).toMatchObject({ status: 'FAILED', statusMessage: 'No data found', downloadUrls: [] });
    expect((await read('no-bot', noBot.requestId)).body.result.statusMessage).toBe('Request should have conversationId');
    const [url] = (await read('today', today.requestId)).body.result.downloadUrls;
    const { records } = sparkCsvRecords(text((await download(url)).bytes));
    expect(records.length).toBe(expectedFile('2026-11-20', NOW).length);
    expect(records.length).toBeLessThan(answersIngestedOn(BOT, '2026-11-20', generator).length);
    for (const r of records) expect(Date.parse(r['@timestamp']!)).toBeLessThanOrEqual(NOW);
    expect(simulator!.stats().submits).toEqual({ [BOT]: 2, '': 1 });
  });

  it('fails a job as failJobs says, then a resubmit sends it back to SUBMITTED with attempts + 1', async () => {
    await start({ failJobs: [{ botId: BOT, startDate: '2026-11-18', times: 2, message: 'Job failed: spark executor lost' }] });
    const ask = { tag: 'flaky', startDate: '2026-11-18' };
    const job = (await submit(ask)).body.result;
    const sibling = (await submit({ tag: 'steady', startDate: '2026-11-17' })).body.result;
    const other = (await submit({ tag: 'other-bot', bot: OTHER_BOT, startDate: '2026-11-18' })).body.result;
    await batch();
    expect((await read('flaky', job.requestId)).body.result).toMatchObject({ status: 'FAILED', statusMessage: 'Job failed: spark executor lost', attempts: 0 });
    expect((await read('steady', sibling.requestId)).body.result.status).toBe('SUCCESS');
    expect((await read('other-bot', other.requestId)).body.result.status).toBe('SUCCESS');
    for (const attempt of [1, 2]) {
      clock += 60 * SECOND;
      const again = (await submit(ask)).body.result;
      expect(again).toMatchObject({ requestId: job.requestId, status: 'SUBMITTED', attempts: attempt, lastUpdated: clock, jobStats: { dtJobSubmitted: NOW, dtJobCompleted: null } });
      expect((await read('flaky', job.requestId)).body.result.status).toBe('SUBMITTED');
      await batch();
    }
    const last = (await read('flaky', job.requestId)).body.result;
    expect(last).toMatchObject({ status: 'SUCCESS', attempts: 2, statusMessage: '' });
    expect(last.downloadUrls).toHaveLength(1);
    expect(simulator!.faults().failJobs).toEqual([{ botId: BOT, startDate: '2026-11-18', times: 0, message: 'Job failed: spark executor lost' }]);
    // A submit of a SUCCESS job returns it unchanged.
    expect((await submit(ask)).body.result).toMatchObject({ status: 'SUCCESS', attempts: 2 });
    expect(simulator!.stats()).toMatchObject({ resubmits: 2, jobsCreated: 3, maxJobsPerWindow: 1, batches: 3 });
  });

  it('stops running a job after 3 failed attempts: it stays SUBMITTED forever', async () => {
    await start({ failJobs: [{ botId: BOT, times: 10 }] });
    const ask = { tag: 'doomed', startDate: '2026-11-18' };
    const job = (await submit(ask)).body.result;
    for (let attempt = 1; attempt <= 3; attempt++) {
      const report = await batch();
      expect(report.ran).toEqual([expect.objectContaining({ requestId: job.requestId, status: 'FAILED', statusMessage: 'Job failed: spark executor lost' })]);
      expect((await submit(ask)).body.result).toMatchObject({ status: 'SUBMITTED', attempts: attempt });
    }
    for (let i = 0; i < 2; i++) {
      const report = await batch();
      expect(report.ran).toEqual([]);
      expect(report.skipped).toEqual([expect.objectContaining({ requestId: job.requestId, status: 'SUBMITTED', attempts: 3 })]);
    }
    expect((await submit(ask)).body.result).toMatchObject({ status: 'SUBMITTED', attempts: 3 });
    expect((await read('doomed', job.requestId)).body.result.status).toBe('SUBMITTED');
    expect(simulator!.faults().failJobs[0]!.times).toBe(7);
    expect(simulator!.stats().jobs).toEqual({ SUBMITTED: 1, SUCCESS: 0, FAILED: 0 });
  });

  it('runs on a wall-clock timer with batchEverySeconds, and on submit with "immediate"', async () => {
    await start({}, { batchEverySeconds: 0.05 });
    const job = (await submit({ tag: 'timer', startDate: '2026-11-18' })).body.result;
    expect(job.status).toBe('SUBMITTED');
    let status = job.status;
    for (let i = 0; i < 100 && status === 'SUBMITTED'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = (await read('timer', job.requestId)).body.result.status;
    }
    expect(status).toBe('SUCCESS');
    await simulator!.close();
    await start({}, { batchEverySeconds: 'immediate' });
    const now = (await submit({ tag: 'now', startDate: '2026-11-18' })).body.result;
    expect(now).toMatchObject({ status: 'SUCCESS', statusMessage: '' });
    expect(now.downloadUrls).toHaveLength(1);
    expect((await download(now.downloadUrls[0])).status).toBe(200);
  });
});

describe('Sunbird simulator: downloads', () => {
  async function oneFile(tag = 'dl'): Promise<{ requestId: string; url: string }> {
    const job = (await submit({ tag, startDate: '2026-11-18' })).body.result;
    await batch();
    const [url] = (await read(tag, job.requestId)).body.result.downloadUrls;
    return { requestId: job.requestId, url };
  }

  it('expires a URL after urlTtlSeconds with Azure’s 403 XML; a new read re-signs it', async () => {
    await start();
    const { requestId, url } = await oneFile();
    clock = NOW + 1799 * SECOND;
    expect((await download(url)).status).toBe(200);
    clock = NOW + 1800 * SECOND;
    const expired = await download(url);
    expect(expired.status).toBe(403);
    expect(expired.headers.get('content-type')).toMatch(/xml/);
    const xml = text(expired.bytes);
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="utf-8"\?><Error><Code>AuthenticationFailed<\/Code><Message>[^<]+<\/Message>/);
    expect(xml).toMatch(/not valid in the specified time frame/);
    const fresh = (await read('dl', requestId)).body.result;
    expect(fresh.downloadUrls[0]).not.toBe(url);
    expect(fresh.expiresAt).toBe(clock + 1800 * SECOND);
    expect((await download(fresh.downloadUrls[0])).status).toBe(200);
    simulator!.setFaults({ urlTtlSeconds: 60 });
    const short = (await read('dl', requestId)).body.result;
    expect(short.expiresAt).toBe(clock + 60 * SECOND);
    clock += 61 * SECOND;
    expect((await download(short.downloadUrls[0])).status).toBe(403);
    expect(simulator!.stats()).toMatchObject({ downloads: 2, refusedDownloads: 2, expiredDownloads: 2 });
  });

  it('refuses a tampered URL, and a file the job does not have', async () => {
    await start();
    const { url } = await oneFile();
    const parsed = new URL(url);
    const sig = parsed.searchParams.get('sig')!;
    parsed.searchParams.set('sig', `${sig[0] === 'A' ? 'B' : 'A'}${sig.slice(1)}`);
    expect((await download(parsed.toString())).status).toBe(403);
    const later = new URL(url);
    later.searchParams.set('se', '2030-01-01T00:00:00Z'); // extending the expiry breaks the signature
    const refused = await download(later.toString());
    expect(refused.status).toBe(403);
    expect(text(refused.bytes)).toMatch(/<Code>AuthenticationFailed<\/Code>.*Signature did not match/);
    expect((await download(url.replace('uci-response-exhaust', 'uci-private-exhaust'))).status).toBe(403); // the path is signed too
    expect((await download(url)).status).toBe(200);
  });

  it('answers the next refuseDownloads downloads 403 even with a valid URL', async () => {
    await start();
    const { url } = await oneFile();
    simulator!.setFaults({ refuseDownloads: 2 });
    for (let i = 0; i < 2; i++) {
      const refused = await download(url);
      expect(refused.status).toBe(403);
      expect(text(refused.bytes)).toContain('<Code>AuthenticationFailed</Code>');
    }
    expect((await download(url)).status).toBe(200);
    expect(simulator!.faults().refuseDownloads).toBe(0);
    expect(simulator!.stats()).toMatchObject({ downloads: 1, refusedDownloads: 2, expiredDownloads: 0 });
  });

  it('serves the private exhaust as a zip of every user, AES-encrypted with the encryptionKey', async () => {
    await start();
    const plainJob = (await submit({ tag: 'users', dataset: PRIVATE, startDate: '2026-11-01', endDate: '2026-11-01' })).body.result;
    const lockedJob = (await submit({ tag: 'users-locked', dataset: PRIVATE, encryptionKey: 'k3y-from-config' })).body.result;
    const report = await batch();
    expect(report.ran.map((j: any) => j.files)).toEqual([[`${BOT}_private_20261120.zip`], [`${BOT}_private_20261120.zip`]]);
    const users = sunbirdUsers(BOT, generator);
    const plain = await download((await read('users', plainJob.requestId)).body.result.downloadUrls[0]);
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('application/zip');
    const entry = await zipEntry(plain.bytes);
    expect([entry.filename, entry.encrypted]).toEqual([`${BOT}_private.csv`, false]);
    const { header, records } = sparkCsvRecords(await entry.getData(new TextWriter()));
    expect(header).toEqual(['Conversation ID', 'Conversation Name', 'Decrypted Device ID', 'Encrypted Device ID', 'Device UUID']);
    expect(records).toEqual(users.map((u) => ({ 'Conversation ID': BOT, 'Conversation Name': u.conversationName, 'Decrypted Device ID': u.phone, 'Encrypted Device ID': u.encryptedDeviceId, 'Device UUID': u.deviceUuid })));
    expect(records.some((r) => r['Decrypted Device ID'] === '')).toBe(true);
    expect(records.filter((r) => /^phone:91\d{10}$/.test(r['Decrypted Device ID']!)).length).toBeGreaterThan(users.length * 0.7);
    const lockedUrl = (await read('users-locked', lockedJob.requestId)).body.result.downloadUrls[0];
    const locked = await download(lockedUrl);
    const secret = await zipEntry(locked.bytes);
    expect(secret.encrypted).toBe(true);
    await expect(secret.getData(new TextWriter())).rejects.toThrow();
    expect(sparkCsvRecords(await secret.getData(new TextWriter(), { password: 'k3y-from-config' })).records).toEqual(records);
    expect((await download(lockedUrl)).bytes).toEqual(locked.bytes); // a retry gets the same archive
  });
});

describe('Sunbird simulator: kit faults and admin routes', () => {
  it('serverErrorEvery answers 503 in Sunbird’s error shape; admin routes never fault', async () => {
    await start({ serverErrorEvery: 2 });
    expect((await submit({ tag: 'a', startDate: '2026-11-18' })).status).toBe(200);
    const failed = await submit({ tag: 'b', startDate: '2026-11-18' });
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ params: { status: 'failed', err: 'SERVER_ERROR' }, responseCode: 'SERVER_ERROR', result: {} });
    simulator!.setFaults({ serverErrorEvery: 1 });
    expect((await batch()).ran).toHaveLength(1);
    const jobs = await (await fetch(`${simulator!.url}/__sim/jobs`)).json();
    expect(jobs).toEqual([expect.objectContaining({ tag: 'a:sim-channel', status: 'SUCCESS' })]);
    const badPatch = await fetch(`${simulator!.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ failJobs: [{ startDate: '2026-11-18', times: 1 }] }) });
    expect(badPatch.status).toBe(400);
    expect(((await badPatch.json()) as { message: string }).message).toMatch(/botId/);
    const patched = await fetch(`${simulator!.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ serverErrorEvery: 0, failJobs: [{ botId: BOT, times: 1 }] }) });
    expect(((await patched.json()) as SunbirdFaults).failJobs).toEqual([{ botId: BOT, times: 1 }]);
    expect(simulator!.stats()).toMatchObject({ serverErrors: 1, submits: { [BOT]: 1 } });
  });
});

describe('Sunbird simulator: registry entry', () => {
  it('is registered as "sunbird"; its demo runs jobs on submit and its source config points at /api', async () => {
    const entry = simulatorFor('sunbird')!;
    expect(Object.keys(entry.flags)).toEqual(['now', 'batch-every']);
    expect(entry.help).toMatch(/sim-api-key.*sim-user-token.*sim-channel/);
    const runtime = await entry.load();
    const demo = await runtime.demo.start();
    try {
      const source = runtime.demo.source(demo.url, '2026-11-01') as Record<string, any>;
      expect(source).toEqual({
        vendor: 'sunbird',
        base_url: `${demo.url}/api`,
        api_key: 'sim-api-key',
        user_token: 'sim-user-token',
        channel_id: 'sim-channel',
        requested_by: expect.any(String),
        bot_ids: [expect.any(String), expect.any(String)],
        start_date: '2026-11-01',
      });
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const res = await fetch(`${source.base_url}/dataset/v1/request/submit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${source.api_key}`, 'x-authenticated-user-token': source.user_token, 'x-channel-id': source.channel_id },
        body: JSON.stringify({ request: { dataset: RESPONSE, tag: 'demo', requestedBy: source.requested_by, datasetConfig: { type: RESPONSE, conversationId: source.bot_ids[0], startDate: yesterday, endDate: yesterday } } }),
      });
      expect(((await res.json()) as any).result).toMatchObject({ status: 'SUCCESS', downloadUrls: [expect.stringContaining(`/blob/reports/${RESPONSE}/`)] });
    } finally {
      await demo.close();
    }
    const cli = await runtime.start({ port: 0, generator: { seed: 3 }, faults: { urlTtlSeconds: 5 }, flags: { now: '2026-11-20T12:00:00Z', 'batch-every': '0' } });
    await cli.close();
    await expect(runtime.start({ port: 0, generator: {}, faults: {}, flags: { 'batch-every': 'soon' } })).rejects.toThrow(/--batch-every/);
    await expect(runtime.start({ port: 0, generator: {}, faults: {}, flags: { now: 'yesterday' } })).rejects.toThrow(/--now/);
  });
});
