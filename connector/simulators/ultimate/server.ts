// The Ultimate Data Export API (v3, and its v2 twin) on top of the simulator kit, serving the
// deterministic data of generator.ts. Contract: docs/sources.md §1. Two halves, as in production:
//   POST /data-export/v3/get-signed-urls  — authenticated; returns short-lived signed URLs for a day
//   GET  /exports/<org>/<bot>/<date>/<file>?X-Goog-Expires=&X-Goog-Signature=  — no auth, like a
//        signed-URL object store; answers its errors in XML, as such stores do.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { header, json, mergeFaults, noFaults, startSimServer, type SimFaults, type SimRequest, type SimResponse, type SimRoute } from '../kit.js';
import { exportFileChunks, fileCountFor, formatFor, resolveGeneratorOptions, type UltimateGeneratorOptions } from './generator.js';

export interface UltimateFaults extends SimFaults {
  /** The first download attempt of each file answers 403 ExpiredToken; later attempts work. */
  expireFirstDownload: boolean;
  /** The newest servable day (today-1) is served grown: late conversations appended to its last file. */
  grown: boolean;
  /** Key of the URL list in get-signed-urls responses (undocumented upstream; clients must accept both). */
  signedUrlsKey: 'urls' | 'signed_urls';
  /** Every get-signed-urls request for this bot id answers 500 ('' = none): one bot's outage. */
  failBot: string;
}
export const defaultUltimateFaults: UltimateFaults = { ...noFaults, expireFirstDownload: false, grown: false, signedUrlsKey: 'urls', failBot: '' };

export interface UltimateSimulatorOptions {
  port?: number; // default 0 (any free port)
  host?: string; // default '127.0.0.1'
  apiKey?: string; // default 'sim-api-key'
  organizationId?: string; // default 'sim-org'
  today?: string; // YYYY-MM-DD, fixed; default the real UTC date of each request (a run across 00:00 UTC moves on with it)
  historyDays?: number; // default 30: dates before today-historyDays answer 400
  notReadyDates?: string[]; // these dates answer 200 with an empty URL list (every bot)
  notReadyBotDates?: string[]; // "<bot>|<date>": that bot's export of that date answers 404
  extraFiles?: Record<string, string>; // "<bot>|<date>": one more file in that export, with exactly this text (e.g. a record too big to keep whole)
  generator?: Partial<UltimateGeneratorOptions>;
  faults?: Partial<UltimateFaults>;
  urlTtlSeconds?: number; // default 3600; lifetime of signed URLs when the request gives no ttl
}
export interface ResolvedUltimateSimulatorOptions {
  port: number; host: string; apiKey: string; organizationId: string; today: string | undefined; historyDays: number;
  notReadyDates: string[]; notReadyBotDates: string[]; extraFiles: Record<string, string>; generator: Required<UltimateGeneratorOptions>; urlTtlSeconds: number;
}
export interface UltimateSimStats {
  signedUrlRequests: { botId: string; date: string; status: number }[];
  downloads: { path: string; status: number }[];
}
export interface RunningUltimateSimulator {
  url: string;
  port: number;
  options: ResolvedUltimateSimulatorOptions;
  /** The faults in force now (they change at runtime, so they are not part of `options`). */
  faults(): UltimateFaults;
  setFaults(f: Partial<UltimateFaults>): void;
  stats(): UltimateSimStats;
  resetStats(): void;
  /** Every URL signature it has handed out: credentials that must never reach a log or a table. */
  issuedSignatures(): string[];
  close(): Promise<void>;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const FILE_RE = /^conversation_(.+)_(\d{4}-\d{2}-\d{2})_(\d{12})\.json(\.gz)?$/;

function isDate(s: unknown): s is string {
  return typeof s === 'string' && DATE_RE.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function resolveOptions(opts: UltimateSimulatorOptions): ResolvedUltimateSimulatorOptions & { faults: UltimateFaults } {
  const today = opts.today;
  if (today !== undefined && !isDate(today)) throw new RangeError(`today must be YYYY-MM-DD, got "${today}"`);
  for (const d of opts.notReadyDates ?? []) if (!isDate(d)) throw new RangeError(`notReadyDates: "${d}" is not YYYY-MM-DD`);
  return {
    port: opts.port ?? 0,
    host: opts.host ?? '127.0.0.1',
    apiKey: opts.apiKey ?? 'sim-api-key',
    organizationId: opts.organizationId ?? 'sim-org',
    today,
    historyDays: opts.historyDays ?? 30,
    notReadyDates: [...(opts.notReadyDates ?? [])],
    notReadyBotDates: [...(opts.notReadyBotDates ?? [])],
    extraFiles: { ...(opts.extraFiles ?? {}) },
    generator: resolveGeneratorOptions(opts.generator),
    faults: mergeFaults(defaultUltimateFaults, opts.faults ?? {}, checkUltimateFaults),
    urlTtlSeconds: opts.urlTtlSeconds ?? 3600,
  };
}

function checkUltimateFaults(f: UltimateFaults): string | undefined {
  return f.signedUrlsKey === 'urls' || f.signedUrlsKey === 'signed_urls' ? undefined : 'fault "signedUrlsKey" must be "urls" or "signed_urls"';
}

/** A signed-URL store's error document (GCS style), so clients learn to read XML 403s. */
function storeError(status: number, code: string, message: string, details: string): SimResponse {
  return {
    status,
    contentType: 'application/xml; charset=UTF-8',
    text: `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${code}</Code><Message>${message}</Message><Details>${details}</Details></Error>`,
  };
}

/** The get-signed-urls body: `{"date":"YYYY-MM-DD","ttl":minutes?}`, or the problem with it. */
function parseExportRequest(body: Buffer): { date: string; ttlMinutes?: number } | { problem: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return { problem: 'Invalid request body: expected JSON like {"date":"YYYY-MM-DD"}' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { problem: 'Invalid request body: expected a JSON object' };
  const { date, ttl } = parsed as { date?: unknown; ttl?: unknown };
  if (date === undefined) return { problem: 'Invalid request body: "date" is required' };
  if (!isDate(date)) return { problem: `Invalid request body: "date" must be a date formatted YYYY-MM-DD, got ${JSON.stringify(date)}` };
  if (ttl === undefined) return { date };
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0) return { problem: 'Invalid request body: "ttl" must be a positive whole number of minutes' };
  return { date, ttlMinutes: ttl };
}

export async function startUltimateSimulator(opts: UltimateSimulatorOptions = {}): Promise<RunningUltimateSimulator> {
  const { faults, ...o } = resolveOptions(opts);
  /** "Today" per request: the fixed `today`, else the real UTC date now. */
  const currentDay = (): string => o.today ?? new Date().toISOString().slice(0, 10);
  const gen = o.generator;
  const secret = randomBytes(32); // per instance: a URL signed by another instance is rejected, as in production
  const sign = (path: string, expires: string): string => createHmac('sha256', secret).update(`${path}\n${expires}`).digest('hex');
  const issued = new Set<string>();
  const expiredOnce = new Set<string>(); // files that already answered their expireFirstDownload 403
  const byteLengths = new Map<string, number>(); // a plain file's Content-Length costs a generation pass: once per file
  let baseUrl = '';
  /** The generated files of a bot's export day, plus its extra file if one is given. */
  const filesOf = (botId: string, date: string): number => fileCountFor(botId, date, gen) + (o.extraFiles[`${botId}|${date}`] !== undefined ? 1 : 0);

  const signedUrls = (req: SimRequest<UltimateFaults>): SimResponse => {
    if (header(req, 'authorization') !== o.apiKey) return json(401, { message: 'Unauthorized' });
    if (header(req, 'organizationid') !== o.organizationId) return json(403, { message: 'Forbidden: organizationid does not match the API key' });
    const botId = header(req, 'botid');
    if (!botId) return json(400, { message: 'Missing required header: botid' });
    if (req.faults.failBot && botId === req.faults.failBot) return json(500, { message: `Internal error exporting bot ${botId} (simulated)` });
    const parsed = parseExportRequest(req.body);
    if ('problem' in parsed) return json(400, { message: parsed.problem });
    const { date } = parsed;
    const today = currentDay();
    if (date >= today) return json(404, { message: `Export for ${date} is not available yet` });
    if (date < addDays(today, -o.historyDays)) return json(400, { message: `Date out of range: only the last ${o.historyDays} days can be exported` });
    if (o.notReadyDates.includes(date)) return json(200, { date, [req.faults.signedUrlsKey]: [] });
    if (o.notReadyBotDates.includes(`${botId}|${date}`)) return json(404, { message: `Export for ${date} not found` });

    const expires = String(Math.floor(Date.now() / 1000) + (parsed.ttlMinutes !== undefined ? parsed.ttlMinutes * 60 : o.urlTtlSeconds));
    const ext = formatFor(botId, date, gen).gzip ? '.json.gz' : '.json';
    const dir = `/exports/${encodeURIComponent(o.organizationId)}/${encodeURIComponent(botId)}/${date}`;
    const urls = Array.from({ length: filesOf(botId, date) }, (_, i) => {
      const path = `${dir}/${encodeURIComponent(`conversation_${botId}_${date}_${String(i).padStart(12, '0')}${ext}`)}`;
      const signature = sign(path, expires);
      issued.add(signature);
      return `${baseUrl}${path}?X-Goog-Expires=${expires}&X-Goog-Signature=${signature}`;
    });
    return json(200, { date, [req.faults.signedUrlsKey]: urls });
  };

  const download = (req: SimRequest<UltimateFaults>): SimResponse => {
    const expires = req.query.get('X-Goog-Expires') ?? '';
    const given = Buffer.from(req.query.get('X-Goog-Signature') ?? '', 'utf8');
    const wanted = Buffer.from(sign(req.path, expires), 'utf8');
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
      return storeError(403, 'SignatureDoesNotMatch', 'Access denied.', 'The request signature we calculated does not match the signature you provided.');
    }
    const expiredAt = new Date(Number(expires) * 1000).toISOString();
    if (Date.now() / 1000 > Number(expires)) return storeError(403, 'ExpiredToken', 'The provided token has expired.', `Request has expired: ${expiredAt}`);

    const { org, bot, date, file } = req.params as Record<'org' | 'bot' | 'date' | 'file', string>;
    const name = FILE_RE.exec(file);
    const format = isDate(date) ? formatFor(bot, date, gen) : undefined;
    const index = Number(name?.[3]);
    if (!name || !format || org !== o.organizationId || name[1] !== bot || name[2] !== date || index >= filesOf(bot, date) || Boolean(name[4]) !== format.gzip) {
      return storeError(404, 'NoSuchKey', 'The specified key does not exist.', `No such object: ${file}`);
    }
    if (req.faults.expireFirstDownload && !expiredOnce.has(req.path)) {
      expiredOnce.add(req.path);
      return storeError(403, 'ExpiredToken', 'The provided token has expired.', `Request has expired: ${expiredAt}`);
    }

    const state = { grown: req.faults.grown && date === addDays(currentDay(), -1) };
    const extra = index === fileCountFor(bot, date, gen) ? o.extraFiles[`${bot}|${date}`] : undefined;
    const chunks = (): Iterable<string> => (extra !== undefined ? [extra] : exportFileChunks(bot, date, index, gen, state));
    const contentType = format.gzip ? 'application/gzip' : format.jsonArray ? 'application/json' : 'application/x-ndjson';
    if (format.gzip) return { status: 200, stream: { contentType, chunks: chunks(), gzip: true } }; // chunked: no length needed
    const key = `${bot}|${date}|${index}|${state.grown}`;
    let byteLength = byteLengths.get(key);
    if (byteLength === undefined) {
      byteLength = 0;
      for (const chunk of chunks()) byteLength += Buffer.byteLength(chunk);
      if (byteLengths.size > 10_000) byteLengths.clear();
      byteLengths.set(key, byteLength);
    }
    return { status: 200, stream: { contentType, chunks: chunks(), byteLength } };
  };

  const dateInBody = (body: Buffer): string => {
    try {
      const date = (JSON.parse(body.toString('utf8')) as { date?: unknown }).date;
      return typeof date === 'string' ? date : '';
    } catch {
      return '';
    }
  };
  const apiRoute = (version: string): SimRoute<UltimateFaults, UltimateSimStats> => ({
    method: 'POST',
    path: `/data-export/${version}/get-signed-urls`,
    kind: 'api',
    handle: signedUrls,
    record: (req, status, stats) => stats.signedUrlRequests.push({ botId: header(req, 'botid'), date: dateInBody(req.body), status }),
  });

  const server = await startSimServer<UltimateFaults, UltimateSimStats>({
    host: o.host,
    port: o.port,
    faults,
    checkFaults: checkUltimateFaults,
    newStats: () => ({ signedUrlRequests: [], downloads: [] }),
    routes: [
      apiRoute('v3'),
      apiRoute('v2'),
      {
        method: 'GET',
        path: '/exports/:org/:bot/:date/:file',
        kind: 'download',
        handle: download,
        record: (req, status, stats) => stats.downloads.push({ path: req.path, status }),
      },
    ],
  });
  baseUrl = server.url;

  return {
    url: server.url,
    port: server.port,
    options: { ...o, port: server.port },
    faults: () => server.faults(),
    setFaults: (f) => void server.setFaults(f),
    stats: () => server.stats(),
    resetStats: () => server.resetStats(),
    issuedSignatures: () => [...issued],
    close: () => server.close(),
  };
}
