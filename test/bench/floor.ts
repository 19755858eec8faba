/**
 * The floor of a sync, for the bench (`node dist/test/bench/floor.js <vendor> <json options>`, its own
 * process): a client that makes the requests a sync of the same config makes and parses what comes
 * back, nothing more — Ultimate: the signed URLs per bot and day, every file downloaded and each line
 * `JSON.parse`d; Genesys: the token, one detail job per day (submit, poll, every results page parsed);
 * Sunbird: one exhaust request per bot and day (submit, read until done, every CSV file parsed into
 * cells by papaparse, the connector's CSV parser). No retries, no normalising, no warehouse. It uses
 * plain node:http with keep-alive and none of Parley's code, so it is what any Node connector would
 * spend at least. Prints one JSON line: items parsed, CPU seconds, peak RSS.
 */
import http from 'node:http';
import zlib from 'node:zlib';
import Papa from 'papaparse';

const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

interface Response {
  status: number;
  body: http.IncomingMessage;
}

function send(method: string, url: string, headers: Record<string, string> = {}, body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers: body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent }, (response) =>
      resolve({ status: response.statusCode ?? 0, body: response }),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * A request again after a connection reset (a kept-alive socket the server closed as it was reused:
 * what every client retries), up to 3 times; the whole file again for a download.
 */
async function again<T>(what: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (attempt >= 3 || (code !== 'ECONNRESET' && code !== 'EPIPE' && code !== 'ECONNREFUSED')) throw error;
      retries++;
    }
  }
}
let retries = 0;

function json(method: string, url: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; data: any }> {
  return again(() => jsonOnce(method, url, headers, body));
}

async function jsonOnce(method: string, url: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; data: any }> {
  const response = await send(method, url, headers, body);
  const chunks: Buffer[] = [];
  for await (const chunk of response.body) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return { status: response.status, data: text ? JSON.parse(text) : undefined };
}

/** The body's bytes, gunzipped when they are gzip (as some export files are). */
async function* plainBytes(body: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const iterator = body[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  const rest = { [Symbol.asyncIterator]: () => iterator };
  if (first.value[0] !== 0x1f || first.value[1] !== 0x8b) {
    yield first.value;
    yield* rest;
    return;
  }
  const gunzip = zlib.createGunzip();
  void (async () => {
    gunzip.write(first.value);
    for await (const chunk of rest) if (!gunzip.write(chunk)) await new Promise((resolve) => gunzip.once('drain', resolve));
    gunzip.end();
  })();
  yield* gunzip as AsyncIterable<Buffer>;
}

/**
 * Downloads an export file and parses every record: a line at a time when it is newline-delimited,
 * whole when it is one JSON array (what a plain client does; the sync streams arrays too). Returns the count.
 */
async function ndjsonLines(url: string): Promise<number> {
  const response = await send('GET', url);
  if (response.status !== 200) throw new Error(`GET ${url.split('?')[0]} → ${response.status}`);
  let count = 0;
  let carry = '';
  let array: string[] | undefined;
  for await (const chunk of plainBytes(response.body as AsyncIterable<Buffer>)) {
    if (array === undefined && carry === '' && chunk.toString('utf8', 0, 64).trimStart().startsWith('[')) array = [];
    if (array) {
      array.push(chunk.toString('utf8'));
      continue;
    }
    const text = carry + chunk.toString('utf8');
    let start = 0;
    for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n', start)) {
      if (newline > start) {
        JSON.parse(text.slice(start, newline));
        count++;
      }
      start = newline + 1;
    }
    carry = text.slice(start);
  }
  if (array) return (JSON.parse(array.join('')) as unknown[]).length;
  if (carry.trim()) {
    JSON.parse(carry);
    count++;
  }
  return count;
}

function days(startDate: string, endExclusive: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${startDate}T00:00:00Z`); t < Date.parse(`${endExclusive}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const today = () => new Date().toISOString().slice(0, 10);

async function ultimate(o: { base_url: string; api_key: string; organization_id: string; bot_ids: string[]; start_date: string }): Promise<number> {
  let items = 0;
  for (const bot of o.bot_ids) {
    for (const day of days(o.start_date, today())) {
      const { status, data } = await json('POST', `${o.base_url}/data-export/v3/get-signed-urls`, { authorization: o.api_key, organizationid: o.organization_id, botid: bot, 'content-type': 'application/json' }, JSON.stringify({ date: day }));
      if (status === 404) continue;
      const urls: string[] = data.urls ?? data.signed_urls ?? [];
      const counts = await Promise.all(urls.map((url) => again(() => ndjsonLines(url)))); // the sync downloads a day's files side by side too
      for (const n of counts) items += n;
    }
  }
  return items;
}

async function genesys(o: { base_url: string; login_url: string; client_id: string; client_secret: string; start_date: string; page_size: number; end_date: string }): Promise<number> {
  const basic = Buffer.from(`${o.client_id}:${o.client_secret}`).toString('base64');
  const token = await json('POST', `${o.login_url}/oauth/token`, { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' }, 'grant_type=client_credentials');
  const auth = { authorization: `Bearer ${token.data.access_token}`, 'content-type': 'application/json' };
  const jobs = `${o.base_url}/api/v2/analytics/conversations/details/jobs`;
  let items = 0;
  for (const day of days(o.start_date, o.end_date)) {
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
    const { data: submitted } = await json('POST', jobs, auth, JSON.stringify({ interval: `${day}T00:00:00.000Z/${next}`, order: 'asc', orderBy: 'conversationStart' }));
    for (;;) {
      const { data } = await json('GET', `${jobs}/${submitted.jobId}`, auth);
      if (data.state === 'FULFILLED') break;
      if (data.state !== 'QUEUED' && data.state !== 'PENDING') throw new Error(`job ${String(data.state)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ pageSize: String(o.page_size), ...(cursor ? { cursor } : {}) });
      const { data } = await json('GET', `${jobs}/${submitted.jobId}/results?${query}`, auth);
      items += (data.conversations ?? []).length;
      cursor = data.cursor;
    } while (cursor);
    await json('DELETE', `${jobs}/${submitted.jobId}`, auth);
  }
  return items;
}

async function csvRows(url: string): Promise<number> {
  const response = await send('GET', url);
  if (response.status !== 200) throw new Error(`GET ${url.split('?')[0]} → ${response.status}`);
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    Papa.parse(response.body as unknown as NodeJS.ReadableStream as never, {
      escapeChar: '\\',
      skipEmptyLines: true,
      chunk: (result: Papa.ParseResult<string[]>) => {
        rows += result.data.length;
      },
      complete: () => resolve(),
      error: (error: Error) => reject(error),
    } as never);
  });
  return rows - 1; // the header
}

async function sunbird(o: { base_url: string; api_key: string; user_token: string; channel_id: string; requested_by: string; bot_ids: string[]; start_date: string }): Promise<number> {
  const headers = { authorization: `Bearer ${o.api_key}`, 'x-authenticated-user-token': o.user_token, 'x-channel-id': o.channel_id, 'content-type': 'application/json' };
  let items = 0;
  for (const bot of o.bot_ids) {
    for (const day of days(o.start_date, today())) {
      const tag = `floor-${bot}-${day}`;
      const request = { dataset: 'uci-response-exhaust', tag, requestedBy: o.requested_by, requestedChannel: o.channel_id, datasetConfig: { type: 'uci-response-exhaust', conversationId: bot, startDate: day, endDate: day }, output_format: 'csv' };
      const { data: submitted } = await json('POST', `${o.base_url}/dataset/v1/request/submit`, headers, JSON.stringify({ id: 'ekstep.analytics.job.request.submit', ver: '1.0', params: { msgid: tag }, request }));
      let job = submitted.result;
      while (job.status !== 'SUCCESS') {
        if (job.status === 'FAILED') throw new Error(`exhaust request ${String(job.requestId)} failed`);
        await new Promise((resolve) => setTimeout(resolve, 200));
        job = (await json('GET', `${o.base_url}/dataset/v1/request/read/${encodeURIComponent(tag)}?requestId=${encodeURIComponent(job.requestId)}`, headers)).data.result;
      }
      for (const url of job.downloadUrls as string[]) items += await again(() => csvRows(url));
    }
  }
  return items;
}

const [vendor, options] = process.argv.slice(2);
const walkers: Record<string, (o: any) => Promise<number>> = { ultimate, genesys, sunbird };
const walker = walkers[vendor ?? ''];
if (!walker || !options) throw new Error('usage: floor.js ultimate|genesys|sunbird <json options>');
const items = await walker(JSON.parse(options));
const cpu = process.cpuUsage();
const result = { items, retries, cpu_seconds: (cpu.user + cpu.system) / 1e6, peak_rss_mib: process.resourceUsage().maxRSS / 1024 };
process.stdout.write(`${JSON.stringify(result)}\n`);
agent.destroy();
