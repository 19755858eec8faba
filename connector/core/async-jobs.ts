/**
 * Asynchronous export jobs, vendor-free: submit → poll with a growing delay → read the results in
 * pages → release. Genesys Cloud's Conversation Detail jobs and Sunbird's exhaust requests have this
 * shape; a vendor supplies an `AsyncJobDriver` (its HTTP calls and state names) and gets:
 *
 * - results in the order of the specs (intervals), so a caller can checkpoint after each one;
 * - at most `maxInFlight` jobs held on the vendor's side at once (a p-queue slot per job, from
 *   submission to release), so while one job's pages are read the next ones are submitted and polled;
 * - a job that ends FAILED / CANCELLED / EXPIRED (driver: `resubmit`) submitted again, at most
 *   `maxAttempts` times in all, then an error carrying the vendor's last message;
 * - results that expire while being paged (driver throws `ResultsExpiredError`): the job is
 *   submitted again and its pages start over (callers upsert, so pages seen twice are harmless);
 * - on abort, return or error: every job still held is released (DELETE), so nothing is left
 *   running on the vendor's side.
 */
import PQueue from 'p-queue';
import { SystemError, TransientError } from './errors.js';
import { backoffDelayMs, JOB_POLL_BACKOFF, sleep, type Backoff } from './wait.js';

/** What a poll found. `resubmit`: the job ended without results (failed, cancelled, expired). */
export type JobPoll =
  | { state: 'running' }
  | { state: 'fulfilled' }
  | { state: 'resubmit'; message: string }
  | { state: 'failed'; message: string };

export interface AsyncJobDriver<Spec, Handle, Page> {
  /** How a spec reads in logs and errors, e.g. "2026-11-01T00:00Z/2026-11-02T00:00Z". */
  describe(spec: Spec): string;
  submit(spec: Spec, signal: AbortSignal): Promise<Handle>;
  poll(handle: Handle, signal: AbortSignal): Promise<JobPoll>;
  /** The job's results, page by page (see `cursorPages`). May throw ResultsExpiredError. */
  pages(handle: Handle, signal: AbortSignal): AsyncIterable<Page>;
  /** Frees the job on the vendor's side (Genesys: DELETE). Must not throw for a finished job. */
  release(handle: Handle): Promise<void>;
}

export interface AsyncJobOptions {
  /** Jobs held at once (submitted and not yet released, the one being read included). Default 2. */
  maxInFlight?: number;
  /** Submissions per spec, at most (first one included). Default 3. */
  maxAttempts?: number;
  /** Delay before the first poll, growing by `pollFactor` up to `pollMaxMs`. */
  pollInitialMs?: number;
  pollFactor?: number;
  pollMaxMs?: number;
  signal?: AbortSignal;
  /** Told about each submission, resubmission and fulfilment (progress, logs). */
  onEvent?: (event: AsyncJobEvent) => void;
}

export type AsyncJobEvent =
  | { type: 'submitted'; spec: string; attempt: number }
  | { type: 'resubmitting'; spec: string; attempt: number; reason: string }
  | { type: 'fulfilled'; spec: string; attempt: number; waitedMs: number }
  /** The reader took the spec's results; `idleMs`: how long it waited because the job was not fulfilled yet. */
  | { type: 'taken'; spec: string; idleMs: number };

/** Thrown by a driver's `pages` when the job's results are gone (e.g. HTTP 404/410 on a page). */
export class ResultsExpiredError extends Error {}

/** A spec whose job could not be completed: the vendor's own message is kept. */
export class AsyncJobFailedError extends SystemError {}

/** Pages of a cursor-paged listing: `fetchPage(undefined)` first, then each returned cursor until none. */
export async function* cursorPages<Page extends { cursor?: string | undefined }>(
  fetchPage: (cursor: string | undefined) => Promise<Page>,
): AsyncGenerator<Page> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  do {
    const page = await fetchPage(cursor);
    yield page;
    cursor = page.cursor || undefined;
    if (cursor !== undefined) {
      // A server that hands back a cursor it gave before would loop forever.
      if (seen.has(cursor)) throw new TransientError('the results listing returned the same cursor twice; stopping instead of looping');
      seen.add(cursor);
    }
  } while (cursor !== undefined);
}

/**
 * The results of one job per spec, in spec order: each item's `pages` must be read to the end (or
 * abandoned by leaving the loop) before the next item is taken.
 */
export async function* runAsyncJobs<Spec, Handle, Page>(
  specs: readonly Spec[],
  driver: AsyncJobDriver<Spec, Handle, Page>,
  options: AsyncJobOptions = {},
): AsyncGenerator<{ spec: Spec; pages: AsyncIterable<Page> }> {
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const pollBackoff: Backoff = {
    ...JOB_POLL_BACKOFF,
    ...(options.pollInitialMs !== undefined ? { initialMs: options.pollInitialMs } : {}),
    ...(options.pollFactor !== undefined ? { factor: options.pollFactor } : {}),
    ...(options.pollMaxMs !== undefined ? { maxMs: options.pollMaxMs } : {}),
  };
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const held = new Set<Handle>(); // submitted, not yet released
  const attempts = new Map<number, number>();
  const lastReasons = new Map<number, string>(); // why the previous attempt of a spec ended

  const release = async (handle: Handle): Promise<void> => {
    if (!held.delete(handle)) return;
    await driver.release(handle).catch(() => undefined);
  };

  /** Submits spec `index` (again) and polls it until fulfilled; resubmits within the attempt budget. */
  const fulfil = async (index: number): Promise<Handle> => {
    const spec = specs[index] as Spec;
    const label = driver.describe(spec);
    for (;;) {
      const lastReason = lastReasons.get(index) ?? '';
      const attempt = (attempts.get(index) ?? 0) + 1;
      if (attempt > maxAttempts) {
        throw new AsyncJobFailedError(`the export job for ${label} did not complete in ${maxAttempts} attempts; the vendor said: ${lastReason}`);
      }
      attempts.set(index, attempt);
      if (attempt > 1) options.onEvent?.({ type: 'resubmitting', spec: label, attempt, reason: lastReason });
      const handle = await driver.submit(spec, stop.signal);
      held.add(handle);
      options.onEvent?.({ type: 'submitted', spec: label, attempt });
      const started = Date.now();
      for (let poll = 1; ; poll++) {
        await sleep(backoffDelayMs(pollBackoff, poll), stop.signal);
        const polled = await driver.poll(handle, stop.signal);
        if (polled.state === 'running') continue;
        if (polled.state === 'fulfilled') {
          options.onEvent?.({ type: 'fulfilled', spec: label, attempt, waitedMs: Date.now() - started });
          return handle;
        }
        await release(handle);
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
  for (let index = 0; index < specs.length; index++) {
    let resolveReady!: (handle: Handle) => void;
    let rejectReady!: (error: unknown) => void;
    ready[index] = new Promise<Handle>((resolve, reject) => {
      resolveReady = resolve;
      rejectReady = reject;
    });
    ready[index]!.catch(() => undefined); // awaited in order below; this only keeps an early failure from being "unhandled"
    const released = new Promise<void>((resolve) => (finished[index] = resolve));
    void queue.add(async () => {
      if (stop.signal.aborted) return rejectReady(stop.signal.reason);
      try {
        resolveReady(await fulfil(index));
      } catch (error) {
        return rejectReady(error);
      }
      await released;
    });
  }

  try {
    for (let index = 0; index < specs.length; index++) {
      const waitStarted = Date.now();
      let handle = await (ready[index] as Promise<Handle>);
      options.onEvent?.({ type: 'taken', spec: driver.describe(specs[index] as Spec), idleMs: Date.now() - waitStarted });
      const spec = specs[index] as Spec;
      const pages = async function* (): AsyncGenerator<Page> {
        for (;;) {
          try {
            for await (const page of driver.pages(handle, stop.signal)) yield page;
            return;
          } catch (error) {
            if (!(error instanceof ResultsExpiredError)) throw error;
            lastReasons.set(index, error.message);
            await release(handle);
            handle = await fulfil(index);
          }
        }
      };
      yield { spec, pages: pages() };
      await release(handle);
      finished[index]!(); // frees the slot: the next spec's job is submitted
    }
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    stop.abort(new Error('export jobs stopped'));
    queue.clear(); // specs not started yet never will be
    for (const free of finished) free();
    await queue.onIdle();
    await Promise.all([...held].map((handle) => release(handle)));
  }
}
