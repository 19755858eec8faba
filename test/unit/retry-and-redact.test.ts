import { describe, expect, it } from 'vitest';
import { redact, redactUrl, registerSecret } from '../../connector/core/redact.js';
import { backoffDelayMs, defaultRetryPolicy, isRetriableStatus, parseRetryAfter, retryDelayMs } from '../../connector/core/wait.js';

describe('retry policy', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetriableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 422].some(isRetriableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date, and vendor reset headers as a fallback', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:05 GMT', Date.parse('2026-11-21T10:00:00Z'))).toBe(5000);
    expect(parseRetryAfter(undefined, Date.now(), '7')).toBe(7000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });

  it('backs off exponentially with jitter under the ceiling, and obeys the server', () => {
    const policy = defaultRetryPolicy({ backoff: { initialMs: 100, factor: 2, maxMs: 1000, jitter: true } });
    for (let attempt = 1; attempt <= 8; attempt++) {
      const delay = backoffDelayMs(policy.backoff, attempt);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (attempt - 1)));
    }
    expect(retryDelayMs(policy, 1, 4000)).toBe(4000);
    expect(retryDelayMs({ ...policy, maxRetryAfterMs: 2000 }, 1, 4000)).toBe(2000);
  });
});

describe('redaction', () => {
  it('drops URL queries (signatures) and hides registered secrets', () => {
    registerSecret('super-secret-key-123');
    expect(redactUrl('https://files.example/x/conv.json?X-Goog-Signature=abc&X-Goog-Expires=1')).toBe('https://files.example/x/conv.json?<redacted>');
    const text = redact('GET https://h/p?sig=abc failed with key super-secret-key-123 "http://h2/q?token=t"');
    expect(text).not.toMatch(/abc|super-secret|token=t/);
    expect(text).toContain('https://h/p?<redacted>');
  });
});
