/**
 * Waiting and retrying, once for the whole connector: HTTP requests, file downloads, token
 * requests, export-job polling and BigQuery job waits all use these rules. What to do with a failed
 * attempt (retry / final) is decided by the caller (Airbyte low-code CDK's split: an error table
 * apart from the backoff strategy); how long to wait is decided here:
 *
 * - `Backoff`: exponential, with full jitter for retries (many clients failing together must not
 *   retry together) or none for polls (a poll is not a failure);
 * - a server's wait hint wins: `Retry-After` (seconds or an HTTP date), else a vendor's reset
 *   header (Genesys `inin-ratelimit-reset`); a hint longer than `maxRetryAfterMs` ends the attempt
 *   as a transient error (the next sync resumes) instead of hanging the sync;
 * - `Deadline`: a bound on a whole wait (a job poll, a BigQuery job);
 * - `sleep`: the one sleep, which an AbortSignal (Ctrl-C / SIGTERM) cuts short.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { TransientError } from './errors.js';

export interface Backoff {
  /** First delay. */
  initialMs: number;
  /** Growth per attempt. */
  factor: number;
  /** Ceiling for one delay. */
  maxMs: number;
  /** Full jitter: a uniform delay in [0, ceiling] (retries); false: the ceiling itself (polls). */
  jitter: boolean;
}

export interface RetryPolicy {
  /** Attempts in total, including the first. */
  maxAttempts: number;
  backoff: Backoff;
  /** Ceiling for a server-requested wait; longer waits fail as transient errors. */
  maxRetryAfterMs: number;
}

/** HTTP requests: 6 attempts, 500 ms doubling to 30 s (PARLEY_HTTP_RETRY_BASE_MS overrides the first delay, for tests), Retry-After up to 5 min. */
export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const envBase = Number(process.env.PARLEY_HTTP_RETRY_BASE_MS);
  const initialMs = process.env.PARLEY_HTTP_RETRY_BASE_MS && Number.isFinite(envBase) && envBase >= 0 ? envBase : 500;
  return { maxAttempts: 6, backoff: { initialMs, factor: 2, maxMs: 30_000, jitter: true }, maxRetryAfterMs: 300_000, ...overrides };
}

/** Export-job polls: 1 s growing by 1.5× to 30 s, no jitter (vendors state their own first delay). */
export const JOB_POLL_BACKOFF: Backoff = { initialMs: 1_000, factor: 1.5, maxMs: 30_000, jitter: false };

/** BigQuery load and query jobs: 200 ms doubling to 5 s. */
export const BIGQUERY_JOB_BACKOFF: Backoff = { initialMs: 200, factor: 2, maxMs: 5_000, jitter: false };

/** 408, 429 and 5xx are worth another attempt; every other status is final for the request. */
export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1). */
export function backoffDelayMs(backoff: Backoff, attempt: number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** Math.max(0, attempt - 1));
  return backoff.jitter ? Math.round(Math.random() * ceiling) : Math.round(ceiling);
}

/** Delay before the next attempt: the server's hint (capped) when it gave one, else the backoff. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, hintMs: number | undefined): number {
  return hintMs !== undefined ? Math.min(hintMs, policy.maxRetryAfterMs) : backoffDelayMs(policy.backoff, attempt);
}

/**
 * A wait hint as milliseconds: Retry-After (delta-seconds or an HTTP date), else the first vendor
 * reset header present (seconds).
 */
export function parseRetryAfter(value: string | undefined, now = Date.now(), fallbackSeconds?: string): number | undefined {
  for (const candidate of [value, fallbackSeconds]) {
    if (!candidate) continue;
    const trimmed = candidate.trim();
    if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  return undefined;
}

/** The wait a response asks for: Retry-After, else the vendor's reset header. */
export function waitHintMs(headers: IncomingHttpHeaders, resetHeader?: string, now = Date.now()): number | undefined {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return parseRetryAfter(first(headers['retry-after']), now, resetHeader ? first(headers[resetHeader]) : undefined);
}

/** The one sleep: resolves after `ms`, rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A bound on a whole wait; `Deadline.never()` has none. */
export class Deadline {
  private constructor(private readonly at: number) {}

  static in(ms: number, now = Date.now()): Deadline {
    return new Deadline(now + ms);
  }

  static never(): Deadline {
    return new Deadline(Infinity);
  }

  remainingMs(now = Date.now()): number {
    return Math.max(0, this.at - now);
  }

  passed(now = Date.now()): boolean {
    return now >= this.at;
  }
}

/** One attempt's verdict: a result, or a retriable failure (with the server's wait hint, if any). */
export type Attempt<T> = { done: T } | { retry: string; hintMs?: number | undefined };

export interface RetryOptions {
  policy: RetryPolicy;
  /** The final error's message: what was tried, how often, and the last failure. */
  describe: (attempts: number, lastFailure: string) => string;
  /** Told before each wait (logging). */
  onRetry?: (info: { attempt: number; delayMs: number; failure: string }) => void;
  signal?: AbortSignal;
}

/**
 * Runs `attempt` until it gives a result. A thrown error is final and passes through; a `retry`
 * verdict waits (server hint or backoff) and tries again, up to `policy.maxAttempts`, then throws a
 * TransientError. A hint over `maxRetryAfterMs` is not waited out: it throws at once.
 */
export async function withRetries<T>(attempt: (n: number) => Promise<Attempt<T>>, options: RetryOptions): Promise<T> {
  const { policy } = options;
  for (let n = 1; ; n++) {
    const verdict = await attempt(n);
    if ('done' in verdict) return verdict.done;
    if (n >= policy.maxAttempts) throw new TransientError(options.describe(n, verdict.retry));
    if (verdict.hintMs !== undefined && verdict.hintMs > policy.maxRetryAfterMs) {
      throw new TransientError(
        `${options.describe(n, verdict.retry)}; the server asked to wait ${Math.round(verdict.hintMs / 1000)} s, over the ${policy.maxRetryAfterMs / 1000} s limit, so the sync stops here and resumes next run`,
      );
    }
    const delayMs = retryDelayMs(policy, n, verdict.hintMs);
    options.onRetry?.({ attempt: n, delayMs, failure: verdict.retry });
    await sleep(delayMs, options.signal);
  }
}

/** What `pollUntil` gives when its deadline passed first. */
export const DEADLINE_PASSED = Symbol('deadline passed');

/**
 * Calls `check` after each backoff delay until it gives a value. Returns DEADLINE_PASSED when the
 * deadline passes first (the caller decides: wait again next sync, or fail); aborts on the signal.
 */
export async function pollUntil<T>(
  check: () => Promise<T | undefined>,
  options: { backoff: Backoff; deadline?: Deadline; signal?: AbortSignal; checkFirst?: boolean },
): Promise<T | typeof DEADLINE_PASSED> {
  const deadline = options.deadline ?? Deadline.never();
  for (let n = 1; ; n++) {
    if (n > 1 || !options.checkFirst) await sleep(Math.min(backoffDelayMs(options.backoff, n), deadline.remainingMs()), options.signal);
    const value = await check();
    if (value !== undefined) return value;
    if (deadline.passed()) return DEADLINE_PASSED;
  }
}
