/**
 * What a vendor declares per stream, for the one engine (run.ts) to run. A vendor folder is these
 * declarations plus its config, client and record normaliser:
 *
 * - an incremental stream: partitions (e.g. one per bot), a cursor (start, step, lookback, upper
 *   bound, served history, grace for units that never become ready), how one window is fetched
 *   (`direct`: files or pages read as they come; `jobs`: an export job per window, run ahead, kept in
 *   the state's job ledger across syncs), the record normaliser and locator, and optional
 *   completeness rows (export days, loaded days) written after each whole window;
 * - a list stream: a small list read whole every sync (e.g. Genesys flow outcome names).
 *
 * Types here are vendor-free; `Item` is what a fetch yields (a record's text, a decoded object).
 */
import type { AsyncJobDriver } from './jobs.js';
import type { RecordDeclaration } from '../tables/declare.js';
import type { Window } from '../windows.js';

export type { Window } from '../windows.js';

/** A record as the engine emits it: data, and the vendor's text when there is one. */
export interface SourceRecord {
  data: Record<string, unknown>;
  raw?: string;
}

/** Items of one window, in source order; `origin` (a file, a page) and `offset` place them for locators. */
export interface Batch<Item> {
  items: readonly Item[];
  origin: string;
  offset: number;
}

/**
 * What opening a window gives: its items, and facts its completeness row reports (e.g. file count).
 * The completeness row is made after the last batch, so `facts` may also be filled while the batches
 * are read (e.g. pages fetched).
 */
export interface WindowContents<Item> {
  batches: AsyncIterable<Batch<Item>>;
  facts?: Record<string, unknown>;
}

/** The vendor has not built the window yet (e.g. an export day not ready): the reason, for logs. */
export interface NotReady {
  notReady: string;
}

export interface ReadContext<Config, Session> {
  config: Config;
  session: Session;
  /** The clock the read runs on (UTC). */
  now: Date;
  signal: AbortSignal;
}

export interface WindowContext<Config, Session> extends ReadContext<Config, Session> {
  partition: string;
  window: Window;
}

export interface CursorDeclaration {
  /** The first instant of the first sync (start_date's midnight). Windows lie on the grid start + k·step. */
  start: string;
  stepMs: number;
  /** Already-loaded time re-read every sync (exports that grow). Default 0. */
  lookbackMs?: number;
  /**
   * A window reaching past the upper bound: `cut` reads it up to the bound and checkpoints there
   * (an availability watermark); `skip` leaves it for a later sync (only whole windows are read);
   * `open` reads it up to the bound but never checkpoints it (the bound is "now" and the window is
   * still filling: its records are emitted, the cursor stays at its start, the next sync reads it
   * again).
   */
  partial: 'cut' | 'skip' | 'open';
  /**
   * The oldest instant the vendor serves. A first sync starting before it is a config error
   * (`firstSyncError`); windows a later sync can no longer fetch are recorded as missing.
   */
  horizon?: { earliest: string; firstSyncError: (earliest: string) => string };
  /** A window still not ready this long after its end is recorded as missing and passed. Default: never. */
  missingAfterMs?: number;
}

export type WindowFetch<Config, Session, Item> =
  | { kind: 'direct'; open(context: WindowContext<Config, Session>): Promise<WindowContents<Item> | NotReady> }
  | {
      kind: 'jobs';
      driver(context: ReadContext<Config, Session>): AsyncJobDriver<JobSpec, unknown, Batch<Item>>;
      options(config: Config): JobOptions;
    };

/** What a job is submitted for. */
export interface JobSpec {
  partition: string;
  window: Window;
}

export interface JobOptions {
  /** Jobs held on the vendor's side at once (submitted and not yet released). */
  maxInFlight: number;
  /** Submissions per window, at most. Default 3. */
  maxAttempts?: number;
  /** First poll after this long; later polls wait 1.5× longer, up to 30 s. */
  pollInitialMs: number;
  /** Time this sync may spend waiting for jobs; then the ledger is checkpointed and the sync ends. Default: no limit. */
  waitBudgetMs?: number;
  /** A job still running this long after submission is submitted again. Default: never. */
  giveUpAfterMs?: number;
}

/** Completeness rows: what a whole window settled (an export day loaded or missing, the days a watermark passed). */
export interface CompletenessDeclaration<Config> {
  stream: string;
  description: string;
  cursorField: string[];
  records: RecordDeclaration;
  rows(context: CompletenessContext<Config>): Record<string, unknown>[];
}

export interface CompletenessContext<Config> {
  config: Config;
  /** The clock of the read (e.g. when a window was read, to tell whether it is settled). */
  now: Date;
  partition: string;
  window: Window;
  /** The partition's cursor before and after this window. */
  before: string;
  after: string;
  records: number;
  quarantined: number;
  facts: Record<string, unknown>;
  /** Set when the window is recorded as missing (never served): why. */
  missing?: string;
}

/** An upper bound with what is wrong with it. */
export interface UpperBound {
  until: string;
  warnings?: string[];
}

export interface IncrementalStream<Config, Session, Item> {
  kind: 'incremental';
  name: string;
  description: string;
  records: RecordDeclaration;
  cursorField: string[];
  /** Units of work, for progress ("export days", "job intervals"). */
  unitName: string;
  /** Independent parts of the stream, each with its own cursor (e.g. bot ids). Default: one, '*'. */
  partitions?(config: Config): string[];
  /**
   * Partitions read at once (default 1: one after the other). More when each partition has its own
   * budget at the vendor (Kore.ai rate-limits per bot): one partition's backfill then never stalls
   * the others. Their records interleave; every state still covers every record before it.
   */
  parallelPartitions?(config: Config): number;
  cursor(config: Config, now: Date): CursorDeclaration;
  /**
   * The upper bound of this sync's windows (exclusive): e.g. today's midnight, or an availability
   * watermark; with `warnings` when the bound itself is a problem (e.g. a watermark that stopped
   * moving), which the sync summary repeats.
   */
  until(context: ReadContext<Config, Session>): Promise<string | UpperBound>;
  fetch: WindowFetch<Config, Session, Item>;
  /** Item → record; throws InvalidRecord (its message is the quarantine reason). */
  record(item: Item, where: { partition: string; window: Window }): SourceRecord;
  /** Where an item came from, stable across re-reads (a quarantine row's key). */
  locate(item: Item, where: { partition: string; window: Window; origin: string; index: number }): string;
  completeness?: CompletenessDeclaration<Config>;
  /** A state of an earlier Parley version → partition cursors, or undefined when it is not one. */
  legacyState?(state: Record<string, unknown>, config: Config): Record<string, { cursor: string }> | undefined;
  /** Counts reported at the end of the read, e.g. `{ 'still active': (data) => data.conversation_end === null }`. */
  tallies?: Record<string, (data: Record<string, unknown>) => boolean>;
}

export interface ListStream<Config, Session, Item> {
  kind: 'list';
  name: string;
  description: string;
  records: RecordDeclaration;
  /** The whole list, or why it cannot be read (a missing permission: a warning, the sync goes on). */
  list(context: ReadContext<Config, Session>): Promise<{ items: Item[] } | { unavailable: string }>;
  record(item: Item): SourceRecord;
}

// Item is the declaration's own business; the engine only passes items from fetch to record.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type StreamDeclaration<Config, Session> = IncrementalStream<Config, Session, any> | ListStream<Config, Session, any>;

/** Typed helpers: the declaration keeps its Item type while it is written. */
export function incrementalStream<Config, Session, Item>(declaration: Omit<IncrementalStream<Config, Session, Item>, 'kind'>): IncrementalStream<Config, Session, Item> {
  return { kind: 'incremental', ...declaration };
}

export function listStream<Config, Session, Item>(declaration: Omit<ListStream<Config, Session, Item>, 'kind'>): ListStream<Config, Session, Item> {
  return { kind: 'list', ...declaration };
}

export const ONE_PARTITION = '*';
