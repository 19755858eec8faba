/**
 * What to do with a failed HTTP attempt, kept apart from how long to wait (Airbyte low-code CDK's
 * split). Retriable: 408, 429, 5xx and network errors. Everything else is final for the request and
 * goes back to the caller, which decides whether a status means "not ready" or is fatal.
 */
export interface RetryPolicy {
  /** Attempts in total, including the first. Default 6. */
  maxAttempts: number;
  /** First backoff delay; doubles each attempt (full jitter). Default 500 ms (PARLEY_HTTP_RETRY_BASE_MS overrides). */
  baseDelayMs: number;
  /** Ceiling for one backoff delay. Default 30 s. */
  maxDelayMs: number;
  /** Ceiling for a server-requested Retry-After; longer waits fail as transient errors. Default 300 s. */
  maxRetryAfterMs: number;
}

export function defaultRetryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const envBase = Number(process.env.PARLEY_HTTP_RETRY_BASE_MS);
  return {
    maxAttempts: 6,
    baseDelayMs: Number.isFinite(envBase) && envBase >= 0 && process.env.PARLEY_HTTP_RETRY_BASE_MS ? envBase : 500,
    maxDelayMs: 30_000,
    maxRetryAfterMs: 300_000,
    ...overrides,
  };
}

export function isRetriableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Delay before attempt `attempt + 1` (attempt counts from 1), honouring Retry-After when given. */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(Math.random() * ceiling);
}

/**
 * Retry-After as milliseconds: either delta-seconds or an HTTP date. Vendors also send their own
 * reset headers (Genesys `inin-ratelimit-reset`, seconds); callers pass those as `fallbackSeconds`.
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
