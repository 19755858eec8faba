/**
 * core/wait.ts (retries, polls, deadlines, the one sleep) and core/rate-budget.ts (rolling request
 * windows), on the real clock with small numbers.
 */
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../connector/core/errors.js';
import { RateBudget, perSecond } from '../../connector/core/rate-budget.js';
import { DEADLINE_PASSED, Deadline, pollUntil, sleep, withRetries, type RetryPolicy } from '../../connector/core/wait.js';

const quick: RetryPolicy = { maxAttempts: 4, backoff: { initialMs: 5, factor: 2, maxMs: 20, jitter: false }, maxRetryAfterMs: 1000 };

describe('withRetries', () => {
  it('retries a retriable verdict until it succeeds, waiting the server hint when given', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async (n) => {
        calls++;
        return n < 3 ? { retry: `503 try ${n}`, hintMs: n === 2 ? 30 : undefined } : { done: 'ok' };
      },
      { policy: quick, describe: () => 'never', onRetry: ({ delayMs }) => waits.push(delayMs) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(waits).toEqual([5, 30]);
  });

  it('gives up after maxAttempts with the last failure, and at once on a hint over the limit', async () => {
    await expect(withRetries(async () => ({ retry: '503 busy' }), { policy: quick, describe: (n, last) => `gave up after ${n}: ${last}` })).rejects.toThrow(
      new TransientError('gave up after 4: 503 busy'),
    );
    let calls = 0;
    await expect(
      withRetries(async () => (calls++, { retry: '429', hintMs: 5000 }), { policy: quick, describe: (n, last) => `after ${n}: ${last}` }),
    ).rejects.toThrow(/after 1: 429; the server asked to wait 5 s, over the 1 s limit/);
    expect(calls).toBe(1);
  });

  it('passes a thrown (final) error through without retrying', async () => {
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw new Error('401'); }, { policy: quick, describe: () => '' })).rejects.toThrow('401');
    expect(calls).toBe(1);
  });
});

describe('pollUntil and sleep', () => {
  it('polls with growing delays until a value comes', async () => {
    let checks = 0;
    const started = Date.now();
    const value = await pollUntil(async () => (++checks === 4 ? 'done' : undefined), { backoff: { initialMs: 10, factor: 2, maxMs: 40, jitter: false } });
    expect(value).toBe('done');
    expect(Date.now() - started).toBeGreaterThanOrEqual(10 + 20 + 40 + 40 - 5);
  });

  it('returns DEADLINE_PASSED when the deadline comes first, after a last check', async () => {
    let checks = 0;
    const value = await pollUntil(async () => (checks++, undefined), { backoff: { initialMs: 20, factor: 1, maxMs: 20, jitter: false }, deadline: Deadline.in(70) });
    expect(value).toBe(DEADLINE_PASSED);
    expect(checks).toBeGreaterThanOrEqual(3);
    expect(checks).toBeLessThanOrEqual(5);
  });

  it('sleep ends early with the reason when its signal aborts', async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(new Error('stopped')), 20);
    await expect(sleep(5000, controller.signal)).rejects.toThrow('stopped');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('RateBudget', () => {
  it('never lets more than the limit start within any rolling window', async () => {
    const budget = new RateBudget([{ requests: 3, perMs: 200 }]);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 7 }, async () => { await budget.take(); starts.push(Date.now()); }));
    starts.sort((a, b) => a - b);
    for (let i = 3; i < starts.length; i++) expect(starts[i]! - starts[i - 3]!).toBeGreaterThanOrEqual(195);
    expect(starts.at(-1)! - starts[0]!).toBeLessThan(700); // and no slower than the limit needs
  });

  it('holds every limit at once (e.g. per minute and per hour), on an injected clock', async () => {
    let now = 0;
    const budget = new RateBudget([{ requests: 2, perMs: 1000 }, { requests: 3, perMs: 10_000 }], () => now);
    await budget.take();
    await budget.take();
    now = 1000; // the 1 s window has room again
    await budget.take();
    now = 2000; // the 1 s window has room, the 10 s window does not (3 in the last 10 s)
    const fourth = budget.take();
    const settled = await Promise.race([fourth.then(() => 'started'), sleep(30).then(() => 'waiting')]);
    expect(settled).toBe('waiting');
    now = 10_000; // the first start left the 10 s window
    await fourth;
  });

  it('perSecond keeps fractional rates whole', () => {
    expect(perSecond(5)).toEqual({ requests: 5, perMs: 1000 });
    expect(perSecond(0.5)).toEqual({ requests: 1, perMs: 2000 });
  });
});
