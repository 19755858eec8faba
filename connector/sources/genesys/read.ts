/**
 * Reading Genesys Cloud: flow outcome names, then Conversation Detail jobs over
 * [watermark, min(now, dataAvailabilityDate)) in `interval_days` windows on the start_date grid.
 * Jobs run ahead (max_jobs_in_flight) while the current one's pages are read; each finished window
 * moves the watermark and is checkpointed, so a crash resumes at the first unfinished window. The
 * watermark never passes the availability date: data after it is partial in the data lake.
 */
import { z } from 'zod';
import { runAsyncJobs } from '../../core/async-jobs.js';
import { ConfigError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { quarantined } from '../../core/quarantine.js';
import { addDays, gridWindows, type Window } from '../../core/windows.js';
import { normaliseBatch } from '../record-batches.js';
import type { ReadContext, SourceEvent } from '../source.js';
import { GenesysClient } from './client.js';
import type { GenesysConfig } from './config.js';
import { normaliseGenesysConversation } from './record.js';
import { CONVERSATIONS, FLOW_OUTCOMES, LOADED_DAYS } from './streams.js';

const log = logger('genesys');

const GenesysState = z.object({ loaded_through: z.iso.datetime({ offset: true }).optional() });
type GenesysState = z.infer<typeof GenesysState>;

export function parseGenesysState(context: Pick<ReadContext, 'state'>): GenesysState {
  const raw = context.state[CONVERSATIONS] ?? context.state[LOADED_DAYS] ?? {};
  const parsed = GenesysState.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`state of ${CONVERSATIONS} is not Parley's Genesys state ({"loaded_through":"<ISO instant>"}); reset the stream's state.`);
  }
  const through = parsed.data.loaded_through;
  return through ? { loaded_through: new Date(through).toISOString() } : {};
}

/** The job windows of this sync: from the watermark (or start_date) to min(now, availability). */
/** Where loading stands: the watermark, or start_date's midnight before the first sync. */
function loadedThrough(config: GenesysConfig, state: GenesysState): string {
  return state.loaded_through ?? `${config.start_date}T00:00:00.000Z`;
}

export function planIntervals(config: GenesysConfig, state: GenesysState, availability: string, now: Date): Window[] {
  const from = loadedThrough(config, state);
  const cap = new Date(Math.min(now.getTime(), Date.parse(availability))).toISOString();
  return gridWindows(config.start_date, from, cap, config.interval_days);
}

/** UTC days (on or after start_date) whose end the watermark passed in moving from `before` to `after`. */
function daysPassed(startDate: string, before: string, after: string): string[] {
  const days: string[] = [];
  // The last day ending at or before `after`, back to the first one not yet passed at `before`.
  for (let day = addDays(after.slice(0, 10), -1); day >= startDate && `${addDays(day, 1)}T00:00:00.000Z` > before; day = addDays(day, -1)) {
    days.unshift(day);
  }
  return days;
}

export async function* readGenesys(config: GenesysConfig, context: ReadContext): AsyncGenerator<SourceEvent> {
  const client = new GenesysClient(config);
  const state = parseGenesysState(context);

  const outcomes = await client.flowOutcomes();
  if (outcomes === null) {
    log.warn('the OAuth client may not list flow outcomes (403); intents are named by outcome id. Grant architect:flowOutcome:view to get their names.');
  } else {
    const records = outcomes.map((o) => ({ data: { outcome_id: o.id, name: o.name, description: o.description } }));
    if (records.length > 0) yield { kind: 'records', stream: FLOW_OUTCOMES, records };
    yield { kind: 'state', stream: FLOW_OUTCOMES, state: { listed_at: context.now.toISOString(), count: records.length } };
  }

  const availability = await client.availability();
  const intervals = planIntervals(config, state, availability, context.now);
  log.info(
    intervals.length === 0
      ? `nothing to load: loaded through ${loadedThrough(config, state)}, data available until ${availability}`
      : `${intervals.length} job interval(s) from ${intervals[0]!.start} to ${intervals.at(-1)!.end} (data available until ${availability})`,
  );
  yield { kind: 'plan', units: intervals.length, unitName: 'job intervals' };
  if (intervals.length === 0) return;

  let active = 0;
  const jobStats = { submitted: 0, resubmitted: 0, idleMs: 0, readStarted: Date.now() };
  const jobs = runAsyncJobs(intervals, client.detailJobs(), {
    maxInFlight: config.max_jobs_in_flight,
    pollInitialMs: config.job_poll_seconds * 1000,
    signal: context.signal,
    onEvent: (event) => {
      if (event.type === 'submitted') jobStats.submitted++;
      else if (event.type === 'taken') jobStats.idleMs += event.idleMs;
      else if (event.type === 'resubmitting') {
        jobStats.resubmitted++;
        log.warn(`job ${event.spec}: resubmitting (attempt ${event.attempt}) because: ${event.reason}`);
      } else if (event.type === 'fulfilled') log.debug(`job ${event.spec}: fulfilled after ${(event.waitedMs / 1000).toFixed(1)} s`);
    },
  });
  try {
    for await (const { spec, pages } of jobs) {
      const interval = `${spec.start}/${spec.end}`;
      const counts = { records: 0, invalid: 0 };
      let pageNumber = 0;
      for await (const page of pages) {
        pageNumber++;
        yield* normaliseBatch(
          CONVERSATIONS,
          page.conversations,
          (conversation) => {
            const data = normaliseGenesysConversation(conversation);
            if (data.conversation_end === null) active++;
            return { data, raw: JSON.stringify(conversation) };
          },
          (conversation, index, reason) => {
            // The conversation id is the stable locator (pages move with page_size); else where it sat.
            const id = (conversation as { conversationId?: unknown } | null)?.conversationId;
            const locator = typeof id === 'string' && id !== '' ? `conversation=${id}` : `interval=${interval} page=${pageNumber} index=${index}`;
            return quarantined(CONVERSATIONS, locator, reason, JSON.stringify(conversation) ?? String(conversation));
          },
          counts,
        );
      }
      const { records: conversations, invalid } = counts;
      const days = daysPassed(config.start_date, loadedThrough(config, state), spec.end);
      if (days.length > 0) yield { kind: 'records', stream: LOADED_DAYS, records: days.map((day) => ({ data: { day, loaded_through: spec.end } })) };
      state.loaded_through = spec.end;
      yield { kind: 'state', stream: CONVERSATIONS, state: { ...state } };
      yield { kind: 'state', stream: LOADED_DAYS, state: { ...state } };
      yield { kind: 'unit_done', description: `interval ${interval}: ${conversations} conversations, ${invalid} quarantined` };
      if (context.signal.aborted) break;
    }
  } catch (error) {
    // Stopped (Ctrl-C / SIGTERM) while a job was polled: its jobs are released; keep what is committed.
    if (!context.signal.aborted) throw error;
  }
  const readSeconds = (Date.now() - jobStats.readStarted) / 1000;
  log.info(
    `detail jobs: ${jobStats.submitted} submitted (${jobStats.resubmitted} resubmitted), up to ${config.max_jobs_in_flight} in flight; ` +
      `waited ${(jobStats.idleMs / 1000).toFixed(1)} s of ${readSeconds.toFixed(1)} s for jobs not yet fulfilled`,
  );
  if (context.signal.aborted) log.info(`stopped at ${state.loaded_through ?? 'the start'}; jobs in flight were deleted. The next sync resumes there.`);
  if (active > 0) log.info(`${active} conversation(s) were still active; each is loaded again, with its end, by a later interval it overlaps`);
}
