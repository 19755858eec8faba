// A vendor-free fake-server kit on node:http. A vendor simulator supplies a route table and its own
// fault fields; the kit adds what every simulator needs: path parameters, JSON helpers, fault
// injection decided per request from a Faults object that can change at runtime, request stats,
// and the admin endpoints tests and the CLI use to steer a running simulator:
//   GET /__sim/faults   POST /__sim/faults (JSON merge)   GET /__sim/stats   POST /__sim/stats/reset
// Admin routes never fault, so a test can always repair a simulator it has broken. A vendor may add
// its own admin routes under /__sim/ (`control`), e.g. "run the nightly batch now"; they never fault either.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeStreamedBody, type StreamedBody } from './body-stream.js';

export type { StreamedBody } from './body-stream.js';

/** Faults every simulator understands; a vendor extends this with its own fields. 0 = off. */
export interface SimFaults {
  /** Every Nth 'api' request answers 429 with Retry-After. */
  rateLimitEvery: number;
  /** The Retry-After value (seconds) on simulated 429s. */
  retryAfterSeconds: number;
  /** Every Nth 'api' or 'download' request answers 503. */
  serverErrorEvery: number;
  /** Delay (ms) before answering each non-admin request. */
  slowMs: number;
  /**
   * Every Nth truncatable request ('download' routes, and 'api' routes marked `truncatable`)
   * promises its whole body, sends about half, then drops the connection.
   */
  truncateEvery: number;
}

export const noFaults: SimFaults = {
  rateLimitEvery: 0,
  retryAfterSeconds: 1,
  serverErrorEvery: 0,
  slowMs: 0,
  truncateEvery: 0,
};

export interface SimRequest<F> {
  method: string;
  /** The raw (still percent-encoded) path, exactly as the client sent it: what URL signatures cover. */
  path: string;
  /** Decoded `:name` segments of the route pattern. */
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The faults in force when this request arrived. */
  faults: Readonly<F>;
  /**
   * Merges into the faults in force from the next request on, without restarting fault counting:
   * for a fault the simulator consumes as it serves it (a countdown such as "the next N requests").
   */
  patchFaults(patch: Partial<F>): void;
}

export type SimResponse =
  | { status: number; headers?: Record<string, string>; json: unknown }
  | { status: number; headers?: Record<string, string>; text: string; contentType: string }
  | { status: number; headers?: Record<string, string>; stream: StreamedBody };

export function json(status: number, body: unknown, headers?: Record<string, string>): SimResponse {
  return headers ? { status, headers, json: body } : { status, json: body };
}

/** First value of a request header ('' when absent), since node gives string | string[]. */
export function header(req: { headers: IncomingHttpHeaders }, name: string): string {
  const value = req.headers[name.toLowerCase()];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

export interface SimRoute<F, S> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path pattern, e.g. `/exports/:org/:bot/:file`; a `:name` segment matches one path segment. */
  path: string;
  /** Which faults apply: 'api' (rate limit, 5xx) or 'download' (5xx, truncation). */
  kind: 'api' | 'download';
  /** An 'api' route whose (JSON or text) bodies truncateEvery may cut too; default false. */
  truncatable?: boolean;
  handle(req: SimRequest<F>): SimResponse | Promise<SimResponse>;
  /** Records the request in the vendor's stats once its status is decided (faulted ones too). */
  record?(req: SimRequest<F>, status: number, stats: S): void;
}

/** A vendor's admin route: served under /__sim/, never faulted, never recorded in the stats. */
export interface SimControlRoute {
  method: 'GET' | 'POST';
  /** The exact path; must start with `/__sim/`. */
  path: string;
  handle(body: Buffer): SimResponse | Promise<SimResponse>;
}

export interface SimServerOptions<F extends SimFaults, S> {
  host?: string; // default '127.0.0.1'
  port?: number; // default 0: any free port
  routes: SimRoute<F, S>[];
  /** Vendor admin routes (default none). */
  control?: SimControlRoute[];
  faults: F;
  newStats(): S;
  /** Vendor checks on a merged faults object; returns the problem, if any. */
  checkFaults?(faults: F): string | undefined;
  /** Headers of a simulated 429 (default: Retry-After only). Vendors add their rate-limit headers. */
  rateLimitHeaders?(faults: Readonly<F>): Record<string, string>;
  /** JSON body of a simulated 429 / 503 in the vendor's error shape (default `{message}`). */
  faultBody?(status: number, message: string): unknown;
}

export interface SimServer<F, S> {
  url: string;
  port: number;
  faults(): F;
  /** Merges into the current faults (throws on unknown keys or wrong types) and restarts fault counting. */
  setFaults(patch: Partial<F>): F;
  /**
   * Merges into the current faults without restarting fault counting: for a fault the simulator
   * consumes outside any request (a batch run by a timer), as SimRequest.patchFaults does inside one.
   */
  patchFaults(patch: Partial<F>): F;
  stats(): S;
  /** Clears stats and restarts fault counting. */
  resetStats(): void;
  close(): Promise<void>;
}

/**
 * Merges a JSON patch into faults, accepting only known keys with the same type (numbers finite
 * and ≥ 0), so a typo in a test fails loudly instead of silently disabling a fault.
 */
export function mergeFaults<F extends SimFaults>(current: F, patch: unknown, check?: (f: F) => string | undefined): F {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) throw new Error('faults must be a JSON object');
  for (const [key, value] of Object.entries(patch)) {
    if (!Object.hasOwn(current, key)) throw new Error(`unknown fault "${key}"; known: ${Object.keys(current).join(', ')}`);
    const expected = typeof current[key as keyof F];
    if (typeof value !== expected) throw new Error(`fault "${key}" must be a ${expected}`);
    if (typeof value === 'number' && !(Number.isFinite(value) && value >= 0)) throw new Error(`fault "${key}" must be ≥ 0`);
  }
  const merged = { ...current, ...(patch as Partial<F>) };
  const problem = check?.(merged);
  if (problem) throw new Error(problem);
  return merged;
}

const MAX_REQUEST_BODY = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > MAX_REQUEST_BODY) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts);
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i] as string;
    const g = got[i] as string;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined; // malformed percent-encoding cannot name anything we serve
      }
    } else if (w !== g) return undefined;
  }
  return params;
}

async function send(res: ServerResponse, response: SimResponse, truncate: boolean): Promise<void> {
  const headers = response.headers ?? {};
  if ('stream' in response) return writeStreamedBody(res, response.status, headers, response.stream, truncate);
  const [text, contentType] =
    'json' in response ? [JSON.stringify(response.json), 'application/json'] : [response.text, response.contentType];
  // A cut body is the streamed case with one chunk: full Content-Length promised, half sent.
  if (truncate) return writeStreamedBody(res, response.status, headers, { contentType, chunks: [text], byteLength: Buffer.byteLength(text) }, true);
  res.writeHead(response.status, { ...headers, 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export async function startSimServer<F extends SimFaults, S>(opts: SimServerOptions<F, S>): Promise<SimServer<F, S>> {
  let faults = mergeFaults(opts.faults, {}, opts.checkFaults);
  let stats = opts.newStats();
  // Fault counters: "every Nth" counts requests of a kind in arrival order, from the last reset.
  let counts = { faultable: 0, api: 0, download: 0, truncatable: 0 };
  const restartCounting = (): void => {
    counts = { faultable: 0, api: 0, download: 0, truncatable: 0 };
  };
  const resetStats = (): void => {
    stats = opts.newStats();
    restartCounting();
  };

  type Decision = 'none' | 'serverError' | 'rateLimit' | 'truncate';
  const decide = (route: SimRoute<F, S>): Decision => {
    const every = (n: number, count: number): boolean => n > 0 && count % n === 0;
    const truncatable = route.kind === 'download' || route.truncatable === true;
    counts.faultable++;
    if (route.kind === 'api') counts.api++;
    else counts.download++;
    if (truncatable) counts.truncatable++;
    if (every(faults.serverErrorEvery, counts.faultable)) return 'serverError';
    if (route.kind === 'api' && every(faults.rateLimitEvery, counts.api)) return 'rateLimit';
    if (truncatable && every(faults.truncateEvery, counts.truncatable)) return 'truncate';
    return 'none';
  };

  const setFaults = (patch: unknown): F => {
    faults = mergeFaults(faults, patch, opts.checkFaults);
    restartCounting();
    return faults;
  };
  const patchServerFaults = (patch: Partial<F>): F => {
    faults = mergeFaults(faults, patch, opts.checkFaults);
    return faults;
  };

  for (const route of opts.control ?? []) {
    if (!route.path.startsWith('/__sim/')) throw new Error(`control route ${route.path} must start with /__sim/`);
  }
  const admin = async (method: string, path: string, body: Buffer): Promise<SimResponse | undefined> => {
    if (path === '/__sim/faults' && method === 'GET') return json(200, faults);
    if (path === '/__sim/faults' && method === 'POST') {
      try {
        return json(200, setFaults(JSON.parse(body.toString('utf8') || '{}')));
      } catch (e) {
        return json(400, { message: `Invalid faults: ${(e as Error).message}` });
      }
    }
    if (path === '/__sim/stats' && method === 'GET') return json(200, stats);
    if (path === '/__sim/stats/reset' && method === 'POST') {
      resetStats();
      return json(200, stats);
    }
    const control = opts.control?.find((route) => route.path === path && route.method === method);
    if (control) {
      try {
        return await control.handle(body);
      } catch (e) {
        return json(500, { message: `Simulator error: ${(e as Error).message}` });
      }
    }
    return undefined;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sim.invalid');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    if (!body) return send(res, json(413, { message: 'Request body too large' }), false);
    const adminResponse = await admin(method, url.pathname, body);
    if (adminResponse) return send(res, adminResponse, false);

    let route: SimRoute<F, S> | undefined;
    let params: Record<string, string> | undefined;
    let pathKnown = false;
    for (const candidate of opts.routes) {
      const p = matchPath(candidate.path, url.pathname);
      if (!p) continue;
      pathKnown = true;
      if (candidate.method === method) {
        route = candidate;
        params = p;
        break;
      }
    }
    if (!route || !params) {
      return send(res, json(pathKnown ? 405 : 404, { message: `${pathKnown ? 'Method not allowed' : 'Not found'}: ${method} ${url.pathname}` }), false);
    }

    const patchFaults = (patch: Partial<F>): void => void patchServerFaults(patch);
    const simReq: SimRequest<F> = { method, path: url.pathname, params, query: url.searchParams, headers: req.headers, body, faults, patchFaults };
    const decision = decide(route);
    if (faults.slowMs > 0) await sleep(faults.slowMs);
    const faultBody = (status: number, message: string): unknown => opts.faultBody?.(status, message) ?? { message };
    let response: SimResponse;
    if (decision === 'serverError') response = json(503, faultBody(503, 'Service Unavailable (simulated fault)'));
    else if (decision === 'rateLimit')
      response = json(429, faultBody(429, 'Too Many Requests (simulated fault)'), opts.rateLimitHeaders?.(simReq.faults) ?? { 'retry-after': String(simReq.faults.retryAfterSeconds) });
    else {
      try {
        response = await route.handle(simReq);
      } catch (e) {
        response = json(500, { message: `Simulator error: ${(e as Error).message}` });
      }
    }
    route.record?.(simReq, response.status, stats);
    await send(res, response, decision === 'truncate');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy()); // a client that vanished mid-response needs nothing more
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    faults: () => faults,
    setFaults,
    patchFaults: patchServerFaults,
    stats: () => stats,
    resetStats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // keep-alive sockets would otherwise hold close() open
      }),
  };
}
