/**
 * The one HTTP client every source uses: node:http(s) with keep-alive, a p-queue for concurrency, a
 * rolling request budget (core/rate-budget.ts: each vendor states only its numbers), and retries by
 * the rules of core/wait.ts (429/5xx/network errors, Retry-After or the vendor's reset header).
 * Errors name the request — method, URL without its query, status and the vendor's message — and
 * never a secret. `readErrorMessage` is the one way an error body is read.
 */
import http from 'node:http';
import https from 'node:https';
import PQueue from 'p-queue';
import { ConfigError, ParleyError, SystemError } from './errors.js';
import { logger } from './log.js';
import { redact, redactUrl } from './redact.js';
import { RateBudget, type RateLimit } from './rate-budget.js';
import { splitTopLevelArray } from './json-array-split.js';
import { defaultRetryPolicy, isRetriableStatus, waitHintMs, withRetries, type RetryPolicy } from './wait.js';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Socket inactivity limit. Default 60 s. */
  timeoutMs?: number;
  /** Non-2xx statuses the caller handles itself (e.g. 404 = "export not ready"); returned, not thrown. */
  passStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: http.IncomingMessage;
}

export interface HttpClientOptions {
  /** Vendor name used in error messages, e.g. "Ultimate". */
  vendor: string;
  policy?: Partial<RetryPolicy>;
  /** Requests at once. Default 4. */
  concurrency?: number;
  /** Rolling limits on requests started, e.g. [{ requests: 60, perMs: 60_000 }]. Default: none. */
  limits?: readonly RateLimit[];
  /** Extra wait-hint header read on 429 when Retry-After is absent (seconds), e.g. "inin-ratelimit-reset". */
  resetHeader?: string;
  /** What to check when the vendor answers 401/403 (default: the API key / credentials and the ids). */
  authHint?: string;
}

export class HttpError extends ParleyError {
  readonly status: number;
  constructor(message: string, status: number, failure: 'config_error' | 'system_error' | 'transient_error') {
    super(message, failure);
    this.status = status;
  }
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 16 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 16 }),
};
const log = logger('http');

export class HttpClient {
  private readonly policy: RetryPolicy;
  private readonly queue: PQueue;
  private readonly budget: RateBudget | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.policy = defaultRetryPolicy(options.policy);
    this.queue = new PQueue({ concurrency: options.concurrency ?? 4 });
    this.budget = options.limits && options.limits.length > 0 ? new RateBudget(options.limits) : undefined;
  }

  /** Sends with retries; resolves once a 2xx (or a pass status) arrives, with the body still streaming. */
  send(request: HttpRequest): Promise<HttpResponse> {
    const where = `${request.method} ${redactUrl(request.url)}`;
    return withRetries<HttpResponse>(
      async () => {
        let response: HttpResponse;
        try {
          response = (await this.queue.add(async () => {
            await this.budget?.take();
            return attemptOnce(request);
          })) as HttpResponse;
        } catch (error) {
          if (error instanceof ParleyError) throw error;
          return { retry: networkMessage(error) };
        }
        const { status } = response;
        if ((status >= 200 && status < 300) || request.passStatuses?.includes(status)) return { done: response };
        const vendorMessage = await readErrorMessage(response.body);
        if (!isRetriableStatus(status)) throw finalError(this.options, where, status, vendorMessage);
        return { retry: `${status}${vendorMessage ? ` ${vendorMessage}` : ''}`, hintMs: waitHintMs(response.headers, this.options.resetHeader) };
      },
      this.retryOptions(where),
    );
  }

  /**
   * `json`, and a body that breaks off or does not parse is fetched again (a proxy or server that
   * drops the connection mid-body): for requests that are safe to repeat, e.g. a page of a listing.
   */
  async jsonRepeatable<T = unknown>(request: HttpRequest): Promise<{ status: number; headers: http.IncomingHttpHeaders; data: T | undefined }> {
    const where = `${request.method} ${redactUrl(request.url)}`;
    type Result = { status: number; headers: http.IncomingHttpHeaders; data: T | undefined };
    return withRetries<Result>(
      async () => {
        const response = await this.send({ ...request, headers: { accept: 'application/json', ...request.headers } });
        try {
          const data = await readJson<T>(response, this.options.vendor, request);
          return { done: { status: response.status, headers: response.headers, data } };
        } catch (error) {
          if (error instanceof ParleyError && error.failureType === 'config_error') throw error;
          return { retry: `the response body broke off or was not JSON (${redact(error instanceof Error ? error.message : String(error)).slice(0, 200)})` };
        }
      },
      this.retryOptions(where),
    );
  }

  /** How a request's retries are told: the final error names the request, each retry is logged. */
  private retryOptions(where: string) {
    return {
      policy: this.policy,
      describe: (attempts: number, failure: string) => `${this.options.vendor} request failed after ${attempts} attempts: ${where} → ${failure}`,
      onRetry: ({ attempt, delayMs, failure }: { attempt: number; delayMs: number; failure: string }) => log.warn(`${where} → ${failure}; retry ${attempt}/${this.policy.maxAttempts - 1} in ${delayMs} ms`),
    };
  }

  /** Sends and parses a JSON body (empty body → undefined). */
  async json<T = unknown>(request: HttpRequest): Promise<{ status: number; headers: http.IncomingHttpHeaders; data: T | undefined }> {
    const response = await this.send({ ...request, headers: { accept: 'application/json', ...request.headers } });
    return { status: response.status, headers: response.headers, data: await readJson<T>(response, this.options.vendor, request) };
  }
}

/**
 * A response's JSON body (empty → undefined); a body that is not JSON is an error naming the vendor
 * and the request. For responses that did not come from `HttpClient.json` (e.g. an authorised send).
 */
export async function readJson<T = unknown>(response: HttpResponse, vendor: string, request: Pick<HttpRequest, 'method' | 'url'>): Promise<T | undefined> {
  const text = await readText(response.body, JSON_BODY_LIMIT);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw notJson(response, vendor, request, text);
  }
}

const JSON_BODY_LIMIT = 64 * 1024 * 1024;

function notJson(response: HttpResponse, vendor: string, request: Pick<HttpRequest, 'method' | 'url'>, text: string): SystemError {
  return new SystemError(`${vendor} answered ${request.method} ${redactUrl(request.url)} with status ${response.status} but the body is not JSON: ${summariseBody(text)}`);
}

/** A JSON object body whose array under `key` is parsed a slice at a time (`readJsonWithArray`). */
export interface JsonWithArray<T> {
  /** The body with `[]` in the array's place (and without the array when the body had none). */
  readonly body: T;
  /** How many elements the array has (0 when there is none). */
  readonly count: number;
  /** Elements `from` … `to - 1`, parsed now; an element that is not JSON fails as `readJson` does. */
  take(from: number, to: number): unknown[];
}

/**
 * `readJson` for a body that is an object with one large array (a page of results): the array's
 * elements are parsed as they are taken rather than with the page (core/json-array-split.ts says
 * why). Empty body → undefined. Anything the splitter does not recognise is parsed whole, as
 * `readJson` would, and then served from the parsed array.
 */
export async function readJsonWithArray<T extends object>(response: HttpResponse, vendor: string, request: Pick<HttpRequest, 'method' | 'url'>, key: string): Promise<JsonWithArray<T> | undefined> {
  const text = await readText(response.body, JSON_BODY_LIMIT);
  if (text.trim() === '') return undefined;
  const parse = (part: string): unknown => {
    try {
      return JSON.parse(part);
    } catch {
      throw notJson(response, vendor, request, text);
    }
  };
  const split = splitTopLevelArray(text, key);
  if (split) {
    const { spans } = split;
    return {
      body: parse(split.envelopeText) as T,
      count: spans.length / 2,
      take: (from, to) => {
        const items: unknown[] = [];
        for (let i = from; i < to; i++) items.push(parse(text.slice(spans[2 * i], spans[2 * i + 1])));
        return items;
      },
    };
  }
  const body = parse(text) as Record<string, unknown>;
  let items: unknown[] = [];
  if (body !== null && typeof body === 'object' && Array.isArray(body[key])) {
    items = body[key] as unknown[];
    body[key] = [];
  }
  return { body: body as T, count: items.length, take: (from, to) => items.slice(from, to) };
}

function attemptOnce(request: HttpRequest): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const transport = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { 'user-agent': 'parley-connector', ...request.headers };
    if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
    const req = transport.request(
      url,
      { method: request.method, headers, agent: url.protocol === 'https:' ? agents.https : agents.http },
      (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
    );
    req.setTimeout(request.timeoutMs ?? 60_000, () => req.destroy(new Error(`no response for ${request.timeoutMs ?? 60_000} ms`)));
    req.on('error', reject);
    req.end(request.body);
  });
}

function finalError({ vendor, authHint }: HttpClientOptions, where: string, status: number, vendorMessage: string): HttpError {
  const detail = vendorMessage ? `: ${vendorMessage}` : '';
  if (status === 401 || status === 403) {
    return new HttpError(
      `${vendor} refused the credentials (${where} → ${status}${detail}). ${authHint ?? 'Check the API key / client credentials and the ids in the config.'}`,
      status,
      'config_error',
    );
  }
  return new HttpError(`${vendor} request failed: ${where} → ${status}${detail}`, status, 'system_error');
}

function networkMessage(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return redact(`${e.code ? `${e.code} ` : ''}${e.message ?? String(error)}`);
}

/** The vendor's message from an error body: JSON `message`/`error`/`errmsg`/`errors[0].msg` fields, else the text, shortened. */
export function summariseBody(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  try {
    const body = JSON.parse(trimmed) as Record<string, unknown>;
    const params = body.params as Record<string, unknown> | undefined;
    // Kore.ai: {"errors": [{"msg": "...", "code": 429}]}
    const first = Array.isArray(body.errors) ? (body.errors[0] as Record<string, unknown> | undefined) : undefined;
    const candidate = body.message ?? body.error_description ?? body.error ?? body.errorMessage ?? params?.errmsg ?? first?.msg ?? first?.message;
    if (typeof candidate === 'string') return redact(candidate).slice(0, 300);
  } catch {
    /* not JSON: fall through to the text */
  }
  return redact(trimmed.replace(/\s+/g, ' ')).slice(0, 300);
}

/**
 * The vendor's message from an error response, summarised and redacted ('' for an empty body). The
 * one way an error body is read: it reads at most 64 KiB and always consumes the body, so the
 * keep-alive socket is free for the next request.
 */
export async function readErrorMessage(body: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  try {
    for await (const chunk of body) if (text.length < 64 * 1024) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  } catch {
    /* a body cut off mid-error: what arrived is the message */
  }
  return summariseBody(text);
}

/** Reads a body as text, refusing more than `limitBytes`. */
export async function readText(body: NodeJS.ReadableStream, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > limitBytes) throw new SystemError(`response body larger than ${limitBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export { ConfigError };
