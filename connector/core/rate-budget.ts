/**
 * A request budget over rolling windows, e.g. "60 per minute and 1,800 per hour" (Kore.ai's per-bot
 * limit) or "5 per second" (Ultimate): a request may start once, in every window, fewer than the
 * allowed number of requests started within the last `perMs`. Rolling, not fixed windows — a fixed
 * window lets a burst of 2× the limit straddle its boundary, which a rolling limiter at the vendor
 * refuses. Each limit keeps the start times of its last `requests` requests (a ring), so memory is
 * bounded by the largest limit.
 */
import { sleep } from './wait.js';

export interface RateLimit {
  requests: number;
  perMs: number;
}

class Ring {
  private readonly starts: number[];
  private next = 0;
  private filled = 0;

  constructor(readonly limit: RateLimit) {
    this.starts = new Array<number>(limit.requests).fill(0);
  }

  /** How long until one more request fits (0 = now). */
  waitMs(now: number): number {
    if (this.filled < this.limit.requests) return 0;
    const oldest = this.starts[this.next]!; // the ring is full: `next` holds the oldest start
    return Math.max(0, oldest + this.limit.perMs - now);
  }

  record(now: number): void {
    this.starts[this.next] = now;
    this.next = (this.next + 1) % this.limit.requests;
    if (this.filled < this.limit.requests) this.filled++;
  }
}

export class RateBudget {
  private readonly rings: Ring[];
  private queue: Promise<void> = Promise.resolve();

  constructor(limits: readonly RateLimit[], private readonly now: () => number = Date.now) {
    for (const limit of limits) {
      if (!(Number.isInteger(limit.requests) && limit.requests >= 1 && limit.perMs > 0)) throw new RangeError(`a rate limit needs whole requests ≥ 1 per positive time, got ${JSON.stringify(limit)}`);
    }
    this.rings = limits.map((limit) => new Ring(limit));
  }

  /** Resolves when a request may start, and counts it as started. Callers are served in order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const now = this.now();
        const wait = Math.max(0, ...this.rings.map((ring) => ring.waitMs(now)));
        if (wait === 0) {
          for (const ring of this.rings) ring.record(now);
          return;
        }
        // Re-checked at least every 250 ms: cheap, and a clock set forward (tests) is seen promptly.
        await sleep(Math.min(wait, 250), signal);
      }
    });
    this.queue = turn.catch(() => undefined); // one caller's abort does not block the next
    return turn;
  }
}

/** `perSecond` requests a second as a limit with whole requests (e.g. 0.5/s → 1 per 2 s). */
export function perSecond(rate: number): RateLimit {
  return rate >= 1 ? { requests: Math.round(rate), perMs: 1000 } : { requests: 1, perMs: Math.round(1000 / rate) };
}
