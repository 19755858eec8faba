/**
 * Asynchronous export jobs, vendor-free: submit → poll with a growing delay → read the results in
 * pages → release. Genesys Cloud's Conversation Detail jobs and Sunbird's exhaust requests have this
 * shape; a vendor supplies an `AsyncJobDriver` (its HTTP calls and state names) and gets:
 *
 * - results in the order of the specs (windows), so the engine can checkpoint after each one;
 * - at most `maxInFlight` jobs held on the vendor's side at once (a p-queue slot per job, from
 *   submission to release), so while one job's pages are read the next ones are submitted and polled;
 * - a job that ends FAILED / CANCELLED / EXPIRED (driver: `resubmit`), or still runs `giveUpAfterMs`
 *   after submission, submitted again, at most `maxAttempts` times in all, then an error carrying
 *   the vendor's last message;
 * - results that expire while being paged (driver throws `ResultsExpiredError`): the job is
 *   submitted again and its pages start over (the engine upserts, so pages seen twice are harmless);
 * - jobs that outlive a sync: jobs an earlier sync submitted (`adopted`, from the state's job
 *   ledger) are polled instead of submitted again; when the shared `WaitBudget` runs out while the
 *   reader waits, the run *parks*: it stops, releases nothing, and `parked` lists the jobs held, for
 *   the ledger the engine checkpoints;
 * - on abort (Ctrl-C / SIGTERM: the jobs are abandoned), an error, or a caller leaving the loop:
 *   every job still held is released (DELETE), so nothing is left running on the vendor's side.
 */
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import { SystemError } from '../errors.js';
import { failpoint } from '../failpoint.js';
import { backoffDelayMs, JOB_POLL_BACKOFF, sleep, type Backoff } from '../wait.js';

export { cursorPages } from '../paging.js';

/** What a poll found. `resubmit`: the job ended without results (failed, cancelled, expired, unknown). */
export type JobPoll =
  | { state: 'running' }
  | { state: 'fulfilled' }
  | { state: 'resubmit'; message: string }
  | { state: 'failed'; message: string };

export interface AsyncJobDriver<Spec, Handle, Page> {
  /** How a spec reads in logs and errors, e.g. "2026-11-01T00:00Z/2026-11-02T00:00Z". */
  describe(spec: Spec): string;
  /** Submits the spec's job; `attempt` counts submissions of this spec (1 = first), across syncs. */
  submit(spec: Spec, signal: AbortSignal, attempt: number): Promise<Handle>;
  poll(handle: Handle, signal: AbortSignal): Promise<JobPoll>;
  /** The job's results, page by page. May throw ResultsExpiredError. */
  pages(handle: Handle, signal: AbortSignal): AsyncIterable<Page>;
  /** Frees the job on the vendor's side (Genesys: DELETE). Must not throw for a finished job. */
  release(handle: Handle): Promise<void>;
  /** Facts of a job whose pages were read, for the window's completeness row (e.g. files read, the vendor's request id). */
  facts?(handle: Handle): Record<string, unknown>;
}

/** A job submitted and not yet released. */
export interface HeldJob<Spec, Handle> {
  index: number;
  spec: Spec;
  handle: Handle;
  submittedAt: number;
  attempts: number;
}

/** A job an earlier sync submitted for a spec, from the ledger. */
export interface AdoptedJob<Handle> {
  handle: Handle;
  submittedAt: number;
  attempts: number;
}

/**
 * Time a sync may spend waiting for jobs, shared by every job run of the sync; undefined = no limit.
 * Wall-clock time: waits that overlap (partitions read side by side) spend it once, not once each.
 */
export class WaitBudget {
  private spentMs = 0;
  private waiting = 0;
  private since = 0;

  constructor(
    readonly limitMs: number | undefined,
    private readonly now: () => number = Date.now,
  ) {}

  remainingMs(): number {
    if (this.limitMs === undefined) return Infinity;
    const running = this.waiting > 0 ? this.now() - this.since : 0;
    return Math.max(0, this.limitMs - this.spentMs - running);
  }

  /** A wait starts; the returned function ends it. */
  begin(): () => void {
    if (this.waiting++ === 0) this.since = this.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.waiting === 0) this.spentMs += this.now() - this.since;
    };
  }
}

export interface AsyncJobOptions<Handle = unknown> {
  /** Jobs held at once (submitted and not yet released, the one being read included). Default 2. */
  maxInFlight?: number;
  /** Submissions per spec, at most (first one included). Default 3. */
  maxAttempts?: number;
  /** Delay before the first poll, growing by `pollFactor` up to `pollMaxMs` (defaults: core/wait.ts JOB_POLL_BACKOFF). */
  pollInitialMs?: number;
  pollFactor?: number;
  pollMaxMs?: number;
  /** A job still running this long after its submission is submitted again. Default: never. */
  giveUpAfterMs?: number;
  /** Spec index → a job an earlier sync submitted for it. */
  adopted?: ReadonlyMap<number, AdoptedJob<Handle>>;
  waitBudget?: WaitBudget;
  signal?: AbortSignal;
  /** Told about each submission, resubmission and fulfilment (progress, logs). */
  onEvent?: (event: AsyncJobEvent) => void;
  now?: () => number;
}

export type AsyncJobEvent =
  | { type: 'submitted'; spec: string; attempt: number }
  | { type: 'adopted'; spec: string; attempt: number }
  | { type: 'resubmitting'; spec: string; attempt: number; reason: string }
  | { type: 'fulfilled'; spec: string; attempt: number; waitedMs: number }
  /** The reader took the spec's results; `idleMs`: how long it waited because the job was not fulfilled yet. */
  | { type: 'taken'; spec: string; idleMs: number }
  /** The wait budget ran out: `held` jobs stay on the vendor's side for a later sync. */
  | { type: 'parked'; held: number };

/** Thrown by a driver's `pages` when the job's results are gone (e.g. HTTP 404/410 on a page). */
export class ResultsExpiredError extends Error {}

/** A spec whose job could not be completed: the vendor's own message is kept. */
export class AsyncJobFailedError extends SystemError {}

const PARKED: unique symbol = Symbol('parked');

export class JobRun<Spec, Handle, Page> {
  /** Set when the wait budget ran out: the jobs left on the vendor's side, in spec order. */
  parked: HeldJob<Spec, Handle>[] | undefined;
  private readonly heldJobs = new Map<number, AdoptedJob<Handle>>();

  constructor(
    private readonly specs: readonly Spec[],
    private readonly driver: AsyncJobDriver<Spec, Handle, Page>,
    private readonly options: AsyncJobOptions<Handle> = {},
  ) {
    for (const [index, job] of options.adopted ?? []) this.heldJobs.set(index, { ...job });
  }

  /** Jobs submitted and not yet released, in spec order (the job ledger). */
  held(): HeldJob<Spec, Handle>[] {
    return [...this.heldJobs.entries()].sort(([a], [b]) => a - b).map(([index, job]) => ({ index, spec: this.specs[index] as Spec, ...job }));
  }

  /**
   * The results of one job per spec, in spec order: each item's `pages` must be read to the end (or
   * abandoned by leaving the loop) before the next item is taken. Ends early when the run parks.
   */
  async *results(): AsyncGenerator<{ spec: Spec; index: number; pages: AsyncIterable<Page>; job: () => HeldJob<Spec, Handle> | undefined }> {
    const { specs, driver, options } = this;
    const now = options.now ?? Date.now;
    const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
    const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
    const pollBackoff: Backoff = {
      ...JOB_POLL_BACKOFF,
      ...(options.pollInitialMs !== undefined ? { initialMs: options.pollInitialMs } : {}),
      ...(options.pollFactor !== undefined ? { factor: options.pollFactor } : {}),
      ...(options.pollMaxMs !== undefined ? { maxMs: options.pollMaxMs } : {}),
    };
    const stop = new AbortController(); // abandon: jobs are released
    const park = new AbortController(); // budget: jobs are kept
    const waiting = AbortSignal.any([stop.signal, park.signal]);
    // Every job in flight sleeps on these between polls: hundreds of listeners are expected, not a leak.
    setMaxListeners(maxInFlight * 2 + 10, stop.signal, park.signal, waiting);
    const onOuterAbort = () => stop.abort(options.signal?.reason);
    if (options.signal?.aborted) stop.abort(options.signal.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const lastReasons = new Map<number, string>(); // why the previous attempt of a spec ended
    const lastAttempts = new Map<number, number>(); // submissions so far per spec
    const released = new Set<Handle>();

    const release = async (index: number): Promise<void> => {
      const job = this.heldJobs.get(index);
      if (!job) return;
      this.heldJobs.delete(index);
      if (released.has(job.handle)) return;
      released.add(job.handle);
      await driver.release(job.handle).catch(() => undefined);
    };

    /** Submits spec `index` (again), or takes its adopted job, and polls it until fulfilled. */
    const fulfil = async (index: number): Promise<Handle> => {
      const spec = specs[index] as Spec;
      const heard = () => answered[index]?.();
      const label = driver.describe(spec);
      let checkFirst = this.heldJobs.has(index);
      if (checkFirst) options.onEvent?.({ type: 'adopted', spec: label, attempt: this.heldJobs.get(index)!.attempts });
      for (;;) {
        let job = this.heldJobs.get(index);
        if (!job) {
          const attempt = (lastAttempts.get(index) ?? 0) + 1;
          const lastReason = lastReasons.get(index) ?? '';
          if (attempt > maxAttempts) {
            throw new AsyncJobFailedError(`the export job for ${label} did not complete in ${maxAttempts} attempts; the vendor said: ${lastReason}`);
          }
          if (attempt > 1) options.onEvent?.({ type: 'resubmitting', spec: label, attempt, reason: lastReason });
          const handle = await driver.submit(spec, stop.signal, attempt);
          failpoint('job.submitted', label); // the vendor holds the job; no state names it yet
          job = { handle, submittedAt: now(), attempts: attempt };
          this.heldJobs.set(index, job);
          options.onEvent?.({ type: 'submitted', spec: label, attempt });
          heard();
        }
        lastAttempts.set(index, job.attempts);
        const started = now();
        for (let poll = 1; ; poll++) {
          if (!checkFirst) await sleep(backoffDelayMs(pollBackoff, poll), waiting);
          checkFirst = false;
          const polled = await driver.poll(job.handle, stop.signal);
          heard();
          if (polled.state === 'running') {
            if (options.giveUpAfterMs === undefined || now() - job.submittedAt < options.giveUpAfterMs) continue;
            lastReasons.set(index, `still not done ${Math.round((now() - job.submittedAt) / 3_600_000)} h after submission`);
            await release(index);
            break;
          }
          if (polled.state === 'fulfilled') {
            options.onEvent?.({ type: 'fulfilled', spec: label, attempt: job.attempts, waitedMs: now() - started });
            return job.handle;
          }
          await release(index);
          if (polled.state === 'failed') throw new AsyncJobFailedError(`the export job for ${label} failed; the vendor said: ${polled.message}`);
          lastReasons.set(index, polled.message);
          break;
        }
      }
    };

    // One queue slot per spec, held from its first submission until the reader releases it: p-queue
    // keeps at most maxInFlight jobs on the vendor's side and starts them in spec order.
    const queue = new PQueue({ concurrency: maxInFlight });
    const ready: Array<Promise<Handle>> = [];
    const finished: Array<() => void> = [];
    // Settles once the vendor first answered for the spec (its submission, or the first poll of an
    // adopted job): the wait budget counts from then, so a job that is already done is always taken.
    const answered: Array<() => void> = [];
    const firstAnswer: Array<Promise<void>> = [];
    for (let index = 0; index < specs.length; index++) {
      firstAnswer[index] = new Promise<void>((resolve) => (answered[index] = resolve));
      let resolveReady!: (handle: Handle) => void;
      let rejectReady!: (error: unknown) => void;
      ready[index] = new Promise<Handle>((resolve, reject) => {
        resolveReady = resolve;
        rejectReady = reject;
      });
      ready[index]!.catch(() => undefined); // awaited in order below; this only keeps an early failure from being "unhandled"
      const slotFreed = new Promise<void>((resolve) => (finished[index] = resolve));
      void queue.add(async () => {
        if (stop.signal.aborted || park.signal.aborted) {
          answered[index]!();
          return rejectReady(stop.signal.aborted ? stop.signal.reason : PARKED);
        }
        try {
          resolveReady(await fulfil(index));
        } catch (error) {
          return rejectReady(park.signal.aborted && !stop.signal.aborted ? PARKED : error);
        } finally {
          answered[index]!();
        }
        await slotFreed;
      });
    }

    const budget = options.waitBudget;
    const nextReady = async (index: number): Promise<Handle | typeof PARKED> => {
      if (!budget || budget.remainingMs() === Infinity) return ready[index]!;
      const timer = new AbortController();
      const signal = AbortSignal.any([timer.signal, stop.signal]);
      const end = budget.begin();
      try {
        const wait = firstAnswer[index]!.then(() => sleep(budget.remainingMs(), signal)).then((): typeof PARKED => PARKED);
        return await Promise.race([ready[index]!, wait]);
      } finally {
        timer.abort();
        end();
      }
    };

    try {
      for (let index = 0; index < specs.length; index++) {
        const waitStarted = now();
        const next = await nextReady(index);
        if (next === PARKED) {
          park.abort(PARKED);
          queue.clear(); // specs not started yet stay unsubmitted: a later sync plans them again
          for (const free of finished) free();
          await queue.onIdle();
          this.parked = this.held();
          options.onEvent?.({ type: 'parked', held: this.parked.length });
          return;
        }
        let handle = next;
        options.onEvent?.({ type: 'taken', spec: driver.describe(specs[index] as Spec), idleMs: now() - waitStarted });
        const spec = specs[index] as Spec;
        const pages = async function* (this: void): AsyncGenerator<Page> {
          for (;;) {
            try {
              for await (const page of driver.pages(handle, stop.signal)) yield page;
              return;
            } catch (error) {
              if (!(error instanceof ResultsExpiredError)) throw error;
              lastReasons.set(index, error.message);
              await release(index);
              handle = await fulfil(index);
            }
          }
        };
        const held = () => {
          const job = this.heldJobs.get(index);
          return job ? { index, spec, ...job } : undefined;
        };
        yield { spec, index, pages: pages(), job: held };
        await release(index);
        finished[index]!(); // frees the slot: the next spec's job is submitted
      }
    } finally {
      options.signal?.removeEventListener('abort', onOuterAbort);
      if (this.parked === undefined) {
        stop.abort(new Error('export jobs stopped'));
        queue.clear(); // specs not started yet never will be
        for (const free of finished) free();
        await queue.onIdle();
        await Promise.all([...this.heldJobs.keys()].map((index) => release(index)));
      }
    }
  }
}

/** The results of one job per spec, in spec order (see JobRun.results). */
export function runAsyncJobs<Spec, Handle, Page>(specs: readonly Spec[], driver: AsyncJobDriver<Spec, Handle, Page>, options: AsyncJobOptions<Handle> = {}) {
  return new JobRun(specs, driver, options).results();
}
