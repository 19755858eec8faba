/**
 * The one HTTP client every source uses: node:http(s) with keep-alive, a per-client p-queue for
 * concurrency and request-rate limits, and the retry loop (429/5xx/network errors with exponential
 * backoff and jitter, honouring Retry-After). Errors name the request — method, URL without its
 * query, status and the vendor's message — and never a secret.
 */
import http from 'node:http';
import https from 'node:https';
import PQueue from 'p-queue';
import { ConfigError, ParleyError, SystemError, TransientError } from './errors.js';
import { logger } from './log.js';
import { redact, redactUrl } from './redact.js';
import { backoffDelayMs, defaultRetryPolicy, isRetriableStatus, parseRetryAfter, type RetryPolicy } from './retry-policy.js';

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
  /** At most `intervalCap` requests per `intervalMs`. Default: unlimited. */
  intervalCap?: number;
  intervalMs?: number;
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
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class HttpClient {
  private readonly policy: RetryPolicy;
  private readonly queue: PQueue;

  constructor(private readonly options: HttpClientOptions) {
    this.policy = defaultRetryPolicy(options.policy);
    this.queue = new PQueue({
      concurrency: options.concurrency ?? 4,
      ...(options.intervalCap ? { intervalCap: options.intervalCap, interval: options.intervalMs ?? 1000 } : {}),
    });
  }

  /** Sends with retries; resolves once a 2xx (or a pass status) arrives, with the body still streaming. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const where = `${request.method} ${redactUrl(request.url)}`;
    for (let attempt = 1; ; attempt++) {
      let failure: string;
      let retryAfterMs: number | undefined;
      try {
        const response = (await this.queue.add(() => attemptOnce(request))) as HttpResponse;
        const { status } = response;
        if ((status >= 200 && status < 300) || request.passStatuses?.includes(status)) return response;
        const text = await readText(response.body, 2048).catch(() => '');
        const vendorMessage = summariseBody(text);
        if (!isRetriableStatus(status)) throw finalError(this.options, where, status, vendorMessage);
        failure = `${status}${vendorMessage ? ` ${vendorMessage}` : ''}`;
        retryAfterMs = parseRetryAfter(
          headerValue(response.headers['retry-after']),
          Date.now(),
          this.options.resetHeader ? headerValue(response.headers[this.options.resetHeader]) : undefined,
        );
      } catch (error) {
        if (error instanceof ParleyError) throw error;
        failure = networkMessage(error);
      }
      if (attempt >= this.policy.maxAttempts) {
        throw new TransientError(`${this.options.vendor} request failed after ${attempt} attempts: ${where} → ${failure}`);
      }
      if (retryAfterMs !== undefined && retryAfterMs > this.policy.maxRetryAfterMs) {
        throw new TransientError(
          `${this.options.vendor} asked Parley to wait ${Math.round(retryAfterMs / 1000)} s before retrying ${where}; ` +
            `that is over the ${this.policy.maxRetryAfterMs / 1000} s limit, so the sync stops here and resumes next run.`,
        );
      }
      const delay = backoffDelayMs(this.policy, attempt, retryAfterMs);
      log.warn(`${where} → ${failure}; retry ${attempt}/${this.policy.maxAttempts - 1} in ${delay} ms`);
      await sleep(delay);
    }
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
  const text = await readText(response.body, 64 * 1024 * 1024);
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new SystemError(
      `${vendor} answered ${request.method} ${redactUrl(request.url)} with status ${response.status} but the body is not JSON: ${summariseBody(text)}`,
    );
  }
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The vendor's message from an error body: JSON `message`/`error`/`errmsg` fields, else the text, shortened. */
export function summariseBody(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return '';
  try {
    const body = JSON.parse(trimmed) as Record<string, unknown>;
    const params = body.params as Record<string, unknown> | undefined;
    const candidate = body.message ?? body.error_description ?? body.error ?? body.errorMessage ?? params?.errmsg;
    if (typeof candidate === 'string') return redact(candidate).slice(0, 300);
  } catch {
    /* not JSON: fall through to the text */
  }
  return redact(trimmed.replace(/\s+/g, ' ')).slice(0, 300);
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
