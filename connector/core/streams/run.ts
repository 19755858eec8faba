/**
 * The one read loop: every declared stream of every vendor runs here (declare.ts says what a vendor
 * declares). Per incremental stream and partition:
 *
 *   plan (plan.ts: cursor, lookback, job ledger, served history)
 *   → fetch each window (direct: files / pages as they come; jobs: run ahead, see jobs.ts)
 *   → normalise, quarantining bad items where they stood (normalise.ts)
 *   → emit records → after each WHOLE window: completeness rows, the cursor moves (never back), state
 *   → progress.
 *
 * A window the vendor has not built yet ends its partition's sync there (the next sync resumes
 * from it), unless it is older than the cursor's grace: then it is recorded as missing and passed,
 * with a warning. One partition's failure never fails the others: they run on and commit; the
 * stream then ends with an error naming the failed partitions (config errors — bad credentials —
 * stop everything at once). Partitions run one after the other, or side by side when the stream
 * says so (`parallelPartitions`: each has its own budget at the vendor). A window still filling
 * (partial `open`: it contains "now") is read and emitted but never checkpointed. Jobs still pending when the wait budget runs out are checkpointed in the
 * state's ledger and the sync ends successfully; the next sync polls them.
 */
import { ParleyError, SystemError, TransientError, asParleyError } from '../errors.js';
import { logger } from '../log.js';
import { quarantined } from '../quarantine.js';
import { SOURCE_INSTANCE } from '../tables/declare.js';
import type { CompletenessContext, IncrementalStream, ListStream, ReadContext, StreamDeclaration, Window } from './declare.js';
import { ONE_PARTITION } from './declare.js';
import type { SourceEvent } from './events.js';
import { JobRun, WaitBudget, type AdoptedJob } from './jobs.js';
import { mergeGenerators } from './merge.js';
import { normaliseBatch, type BatchCounts } from './normalise.js';
import { planPartition, type PartitionPlan, type PlannedWindow } from './plan.js';
import { parseStreamState, type LedgerEntry, type StreamState } from './state.js';

const log = logger('engine');

export interface EngineContext<Config, Session> extends ReadContext<Config, Session> {
  instance: string;
  /** Stream name → the state given for it (the warehouse's, or `read --state`). */
  states: Record<string, Record<string, unknown>>;
  /** The streams to emit; a stream runs when it or its completeness stream is selected. */
  selected: ReadonlySet<string>;
}

/** Every selected stream of the source, in declaration order. */
export async function* runStreams<Config, Session>(streams: readonly StreamDeclaration<Config, Session>[], context: EngineContext<Config, Session>): AsyncGenerator<SourceEvent> {
  for (const stream of streams) {
    if (context.signal.aborted) return;
    const names = [stream.name, ...(stream.kind === 'incremental' && stream.completeness ? [stream.completeness.stream] : [])];
    if (!names.some((name) => context.selected.has(name))) continue;
    if (stream.kind === 'list') yield* runList(stream, context);
    else yield* runIncremental(stream, context);
  }
}

async function* runList<Config, Session>(stream: ListStream<Config, Session, unknown>, context: EngineContext<Config, Session>): AsyncGenerator<SourceEvent> {
  const state = parseStreamState(stream.name, context.states[stream.name], context.instance, () => ({}));
  const listed = await stream.list(context);
  if ('unavailable' in listed) {
    yield { kind: 'warning', message: `${stream.name}: ${listed.unavailable}` };
  } else {
    const records = listed.items.map((item) => {
      const record = stream.record(item);
      record.data[SOURCE_INSTANCE] = context.instance;
      return record;
    });
    if (records.length > 0) yield { kind: 'records', stream: stream.name, records };
    state.listed_at = context.now.toISOString();
  }
  yield { kind: 'state', stream: stream.name, state: { ...state } };
}

/** The plans of a stream's partitions for this sync (also what `check` validates). */
export async function planStream<Config, Session>(
  stream: IncrementalStream<Config, Session, unknown>,
  context: ReadContext<Config, Session>,
  state: StreamState,
): Promise<{ until: string; plans: PartitionPlan[]; warnings: string[] }> {
  const bound = await stream.until(context);
  const { until: upper, warnings = [] } = typeof bound === 'string' ? { until: bound } : bound;
  const until = new Date(upper).toISOString();
  const cursor = stream.cursor(context.config, context.now);
  const partitions = stream.partitions?.(context.config) ?? [ONE_PARTITION];
  const firstSync = !Object.values(state.partitions).some((p) => p.cursor !== undefined);
  return { until, plans: partitions.map((partition) => planPartition(partition, cursor, state.partitions[partition], until, firstSync)), warnings };
}

interface Failure {
  partition: string;
  error: ParleyError;
}

async function* runIncremental<Config, Session>(stream: IncrementalStream<Config, Session, unknown>, context: EngineContext<Config, Session>): AsyncGenerator<SourceEvent> {
  const raw = context.states[stream.name] ?? (stream.completeness ? context.states[stream.completeness.stream] : undefined);
  const state = parseStreamState(stream.name, raw, context.instance, stream.legacyState ? (legacy) => stream.legacyState!(legacy, context.config) : undefined);
  const { until, plans, warnings } = await planStream(stream, context, state);
  for (const message of warnings) yield { kind: 'warning', message: `${stream.name}: ${message}` };
  const total = plans.reduce((n, p) => n + p.windows.length + p.outOfHistory.length, 0);
  yield { kind: 'plan', units: total, unitName: stream.unitName };
  const first = plans.flatMap((p) => p.windows).sort((a, b) => (a.start < b.start ? -1 : 1))[0];
  // A stream with no partitions (e.g. an optional one switched off) has nothing to say.
  if (plans.length > 0) log.info(total === 0 ? `${stream.name}: nothing to load before ${until}` : `${stream.name}: ${total} window(s) from ${first?.start ?? plans[0]!.position} up to ${until}`);

  const budget = stream.fetch.kind === 'jobs' ? new WaitBudget(stream.fetch.options(context.config).waitBudgetMs) : undefined;
  const tallies = new Map<string, number>();
  const failures: Failure[] = [];
  const partitionRun = (plan: PartitionPlan) =>
    async function* (): AsyncGenerator<SourceEvent> {
      if (context.signal.aborted) return;
      try {
        yield* runPartition(stream, context, state, plan, tallies, budget);
      } catch (error) {
        const failure = asParleyError(error);
        if (context.signal.aborted || failure.failureType === 'config_error' || plans.length === 1) throw failure;
        failures.push({ partition: plan.partition, error: failure });
        yield { kind: 'warning', message: `${stream.name} ${plan.partition}: ${failure.message} (the other partitions go on; this one resumes from its cursor next sync)` };
      }
    };
  const parallel = Math.min(plans.length, Math.max(1, stream.parallelPartitions?.(context.config) ?? 1));
  if (parallel > 1) yield* mergeGenerators(plans.map(partitionRun), parallel);
  else for (const plan of plans) yield* partitionRun(plan)();
  for (const [label, count] of tallies) yield { kind: 'tally', stream: stream.name, label, count };
  if (context.signal.aborted) return;
  // Every selected stream ends its read with a state (the last one covers every record).
  yield* emitState(stream, state);
  if (failures.length > 0) {
    const message = `${stream.name}: ${failures.length} of ${plans.length} partitions failed — ${failures.map((f) => `${f.partition}: ${f.error.message}`).join('; ')}`;
    throw failures.every((f) => f.error instanceof TransientError) ? new TransientError(message) : new SystemError(message);
  }
}

function* emitState(stream: IncrementalStream<unknown, unknown, unknown>, state: StreamState): Generator<SourceEvent> {
  const snapshot = structuredClone(state) as unknown as Record<string, unknown>;
  yield { kind: 'state', stream: stream.name, state: snapshot };
  if (stream.completeness) yield { kind: 'state', stream: stream.completeness.stream, state: snapshot };
}

/** The windows of one partition, in order; the state is updated in place and emitted after each. */
async function* runPartition<Config, Session>(
  stream: IncrementalStream<Config, Session, unknown>,
  context: EngineContext<Config, Session>,
  state: StreamState,
  plan: PartitionPlan,
  tallies: Map<string, number>,
  budget: WaitBudget | undefined,
): AsyncGenerator<SourceEvent> {
  const { partition } = plan;
  const partitionState = (state.partitions[partition] ??= {});
  const cursorOf = () => partitionState.cursor ?? plan.position;

  /** After a whole window: completeness rows, the cursor (never back), the state, progress. */
  const settle = function* (window: Window, counts: BatchCounts, facts: Record<string, unknown>, missing?: string): Generator<SourceEvent> {
    const before = cursorOf();
    const after = window.end > before ? window.end : before;
    if (stream.completeness) {
      const completenessContext: CompletenessContext<Config> = { config: context.config, now: context.now, partition, window, before, after, records: counts.records, quarantined: counts.invalid, facts, ...(missing ? { missing } : {}) };
      const rows = stream.completeness.rows(completenessContext);
      if (rows.length > 0) yield { kind: 'records', stream: stream.completeness.stream, records: rows.map((data) => ({ data: { ...data, [SOURCE_INSTANCE]: context.instance } })) };
    }
    partitionState.cursor = after;
    yield* emitState(stream, state);
    const where = partition === ONE_PARTITION ? '' : `${partition} `;
    yield { kind: 'unit_done', description: `${stream.name} ${where}${window.start}/${window.end}: ${missing ? `missing (${missing})` : `${counts.records} records, ${counts.invalid} quarantined`}` };
  };

  for (const window of plan.outOfHistory) {
    const reason = 'no longer served (older than the history the vendor keeps)';
    yield { kind: 'warning', message: `${stream.name} ${partition} ${window.start.slice(0, 10)}…${window.end.slice(0, 10)}: ${reason}; recorded as missing` };
    yield* settle(window, { records: 0, invalid: 0 }, {}, reason);
  }

  const readWindow = async function* (window: PlannedWindow, batches: AsyncIterable<{ items: readonly unknown[]; origin: string; offset: number }>, counts: BatchCounts): AsyncGenerator<SourceEvent> {
    const where = { partition, window };
    const tallyNames = Object.entries(stream.tallies ?? {});
    for await (const batch of batches) {
      for (const event of normaliseBatch(
        stream.name,
        batch.items,
        (item) => stream.record(item, where),
        (item, index, reason) => ({
          ...quarantined(stream.name, stream.locate(item, { ...where, origin: batch.origin, index: batch.offset + index }), reason, rawText(item)),
          [SOURCE_INSTANCE]: context.instance,
        }),
        counts,
        context.instance,
      )) {
        if (event.kind === 'records' && tallyNames.length > 0) {
          for (const [label, test] of tallyNames) tallies.set(label, (tallies.get(label) ?? 0) + event.records.filter((r) => test(r.data)).length);
        }
        yield event;
      }
    }
  };

  if (stream.fetch.kind === 'direct') {
    for (const window of plan.windows) {
      if (context.signal.aborted) return;
      const opened = await stream.fetch.open({ ...context, partition, window });
      if ('notReady' in opened) {
        const grace = stream.cursor(context.config, context.now).missingAfterMs;
        if (!window.reread && grace !== undefined && Date.parse(window.end) + grace <= context.now.getTime()) {
          yield { kind: 'warning', message: `${stream.name} ${partition} ${window.start}/${window.end}: ${opened.notReady} for ${Math.round(grace / 86_400_000)}+ days past it; recorded as missing and passed` };
          yield* settle(window, { records: 0, invalid: 0 }, {}, opened.notReady);
          continue;
        }
        if (window.reread) continue; // a re-read the vendor no longer serves: what is loaded stays
        log.info(`${stream.name} ${partition}: ${window.start}/${window.end} ${opened.notReady}; the next sync resumes from it`);
        return;
      }
      const counts = { records: 0, invalid: 0 };
      yield* readWindow(window, opened.batches, counts);
      if (window.open) {
        // Still filling (it contains "now"): what it holds is emitted, the cursor stays at its start.
        yield { kind: 'unit_done', description: `${stream.name} ${partition === ONE_PARTITION ? '' : `${partition} `}${window.start}/${window.end} (open, not checkpointed): ${counts.records} records, ${counts.invalid} quarantined` };
        continue;
      }
      yield* settle(window, counts, opened.facts ?? {});
    }
    return;
  }

  // Export jobs: one per window, run ahead; the ledger in the state lets them outlive this sync.
  const fetch = stream.fetch;
  const options = fetch.options(context.config);
  const driver = fetch.driver(context);
  const specs = plan.windows.map((window) => ({ partition, window }));
  const adopted = new Map<number, AdoptedJob<unknown>>();
  plan.windows.forEach((window, index) => {
    if (window.job) adopted.set(index, { handle: window.job.job, submittedAt: Date.parse(window.job.submitted_at), attempts: window.job.attempts });
  });
  for (const stale of plan.stale) await driver.release(stale.job).catch(() => undefined);
  const stats = { submitted: 0, resubmitted: 0, idleMs: 0, started: Date.now() };
  const run = new JobRun(specs, driver, {
    maxInFlight: options.maxInFlight,
    ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
    pollInitialMs: options.pollInitialMs,
    ...(options.giveUpAfterMs !== undefined ? { giveUpAfterMs: options.giveUpAfterMs } : {}),
    adopted,
    ...(budget ? { waitBudget: budget } : {}),
    signal: context.signal,
    onEvent: (event) => jobLog(stream.name, event, stats),
  });
  const ledger = (after: string): LedgerEntry[] =>
    run
      .held()
      .filter((job) => job.spec.window.start >= after)
      .map((job) => ({ start: job.spec.window.start, end: job.spec.window.end, job: job.handle, submitted_at: new Date(job.submittedAt).toISOString(), attempts: job.attempts }));
  if (plan.stale.length > 0) partitionState.pending_jobs = [];
  try {
    for await (const { index, pages, job } of run.results()) {
      const window = plan.windows[index]!;
      const counts = { records: 0, invalid: 0 };
      yield* readWindow(window, pages, counts);
      const held = job();
      const facts = held ? { ...driver.facts?.(held.handle), attempts: held.attempts, submitted_at: new Date(held.submittedAt).toISOString() } : {};
      const pending = ledger(window.end);
      if (pending.length > 0) partitionState.pending_jobs = pending;
      else delete partitionState.pending_jobs;
      yield* settle(window, counts, facts);
      if (context.signal.aborted) break;
    }
  } catch (error) {
    // Stopped (Ctrl-C / SIGTERM) while a job was polled: its jobs are released; keep what is committed.
    if (!context.signal.aborted) throw error;
  }
  log.info(
    `${stream.name}${partition === ONE_PARTITION ? '' : ` ${partition}`} export jobs: ${stats.submitted} submitted (${stats.resubmitted} resubmitted), up to ${options.maxInFlight} in flight; ` +
      `waited ${(stats.idleMs / 1000).toFixed(1)} s of ${((Date.now() - stats.started) / 1000).toFixed(1)} s for jobs not yet fulfilled`,
  );
  if (run.parked) {
    // Re-reads (lookback) lie before the cursor, where the ledger keeps nothing: release them (the
    // next sync re-reads them anyway) rather than leave them on the vendor's side.
    for (const job of run.parked) if (job.spec.window.start < cursorOf()) await driver.release(job.handle).catch(() => undefined);
    const pending = ledger(cursorOf());
    if (pending.length > 0) partitionState.pending_jobs = pending;
    yield* emitState(stream, state);
    yield { kind: 'jobs_pending', stream: stream.name, count: pending.length };
  }
}

type JobEvent = Parameters<NonNullable<NonNullable<ConstructorParameters<typeof JobRun>[2]>['onEvent']>>[0];

function jobLog(stream: string, event: JobEvent, stats: { submitted: number; resubmitted: number; idleMs: number }): void {
  switch (event.type) {
    case 'submitted':
      stats.submitted++;
      break;
    case 'adopted':
      log.info(`${stream} job ${event.spec}: submitted by an earlier sync; polling it`);
      break;
    case 'resubmitting':
      stats.resubmitted++;
      log.warn(`job ${event.spec}: resubmitting (attempt ${event.attempt}) because: ${event.reason}`);
      break;
    case 'fulfilled':
      log.debug(`job ${event.spec}: fulfilled after ${(event.waitedMs / 1000).toFixed(1)} s`);
      break;
    case 'taken':
      stats.idleMs += event.idleMs;
      break;
    case 'parked':
      log.info(`${stream}: the sync's wait for jobs is used up; ${event.held} job(s) stay pending on the vendor's side for the next sync`);
      break;
  }
}

function rawText(item: unknown): string {
  return typeof item === 'string' ? item : (JSON.stringify(item) ?? String(item));
}
