/**
 * The Genesys Cloud streams, declared for the engine (core/streams/run.ts):
 *
 * - genesys_flow_outcomes: Architect's outcome list (id → name), read whole every sync first (a 403
 *   — no architect:flowOutcome:view — is a warning: intents are then named by outcome id);
 * - genesys_conversations: Conversation Detail jobs over [cursor, min(now, dataAvailabilityDate)) in
 *   interval_days windows on the start_date grid, the last one cut at the availability date (data
 *   after it is partial in the data lake), jobs run ahead (max_jobs_in_flight), each finished window
 *   checkpointed; genesys_loaded_days gets the UTC days whose end the cursor passed; the last
 *   lookback_hours before the cursor are read again (details added after a conversation ended);
 *   an availability date over 36 hours behind now is a warning (availability.ts).
 *
 * The org is one partition: detail jobs cover every flow.
 */
import { incrementalStream, listStream } from '../../core/streams/declare.js';
import { DAY_MS, HOUR_MS, addDays, dayStart } from '../../core/windows.js';
import { staleAvailabilityWarning } from './availability.js';
import type { FlowOutcome, GenesysClient } from './client.js';
import type { GenesysConfig } from './config.js';
import { normaliseGenesysConversation } from './record.js';
import { conversationRecords, flowOutcomeRecords, loadedDayRecords } from './tables.js';

export const CONVERSATIONS = 'genesys_conversations';
export const LOADED_DAYS = 'genesys_loaded_days';
export const FLOW_OUTCOMES = 'genesys_flow_outcomes';

export interface GenesysSession {
  client: GenesysClient;
}

/** UTC days (on or after start_date) whose end the cursor passed in moving from `before` to `after`. */
export function daysPassed(startDate: string, before: string, after: string): string[] {
  const days: string[] = [];
  for (let day = addDays(after.slice(0, 10), -1); day >= startDate && dayStart(addDays(day, 1)) > before; day = addDays(day, -1)) days.unshift(day);
  return days;
}

export const flowOutcomesStream = listStream<GenesysConfig, GenesysSession, FlowOutcome>({
  name: FLOW_OUTCOMES,
  description: 'Every flow outcome defined in Architect (id → name): names the outcomes in conversations. Read whole each sync.',
  records: flowOutcomeRecords,
  async list({ session }) {
    const outcomes = await session.client.flowOutcomes();
    return outcomes === null
      ? { unavailable: 'the OAuth client may not list flow outcomes (403); intents are named by outcome id. Grant architect:flowOutcome:view to get their names.' }
      : { items: outcomes };
  },
  record: (outcome) => ({ data: { outcome_id: outcome.id, name: outcome.name, description: outcome.description } }),
});

export const conversationsStream = incrementalStream<GenesysConfig, GenesysSession, Record<string, unknown>>({
  name: CONVERSATIONS,
  description:
    'One record per conversation (upsert on source_instance + conversation_id): the detail record with top-level fields in snake_case, participants nested as delivered, and typed facts read off the participant tree.',
  records: conversationRecords,
  cursorField: ['conversation_start'],
  unitName: 'job intervals',
  // lookback_hours: the last hours before the watermark are read again every sync, so conversations
  // that ended there and changed since (wrap-up codes, surveys, evaluations) are replaced.
  cursor: (config) => ({ start: dayStart(config.start_date), stepMs: config.interval_days * DAY_MS, lookbackMs: config.lookback_hours * HOUR_MS, partial: 'cut' }),
  // The watermark never passes the availability date: data after it is partial in the data lake.
  // A date that stopped moving (the nightly batch failed) is a warning, not an error.
  async until({ session, now }) {
    const availability = await session.client.availability();
    const stale = staleAvailabilityWarning(availability, now);
    return { until: new Date(Math.min(now.getTime(), Date.parse(availability))).toISOString(), ...(stale ? { warnings: [stale] } : {}) };
  },
  fetch: {
    kind: 'jobs',
    driver: ({ session }) => session.client.detailJobs(),
    options: (config) => ({
      maxInFlight: config.max_jobs_in_flight,
      pollInitialMs: config.job_poll_seconds * 1000,
      ...(config.job_wait_seconds !== undefined ? { waitBudgetMs: config.job_wait_seconds * 1000 } : {}),
    }),
  },
  record: (conversation) => ({ data: normaliseGenesysConversation(conversation), raw: JSON.stringify(conversation) }),
  // The conversation id is the stable locator (pages move with page_size); else where it sat.
  locate: (conversation, { window, origin, index }) => {
    const id = (conversation as { conversationId?: unknown } | null)?.conversationId;
    return typeof id === 'string' && id !== '' ? `conversation=${id}` : `interval=${window.start}/${window.end} ${origin} index=${index}`;
  },
  completeness: {
    stream: LOADED_DAYS,
    description:
      'One record per UTC day whose conversations have all been requested (the availability watermark passed its end): day completeness, which conversation rows alone cannot tell.',
    cursorField: ['day'],
    records: loadedDayRecords,
    rows: ({ config, before, after }) => daysPassed(config.start_date, before, after).map((day) => ({ day, loaded_through: after })),
  },
  // Parley 0.1: {"loaded_through": "<ISO instant>"} for the whole org.
  legacyState: (state) => {
    const through = (state as { loaded_through?: unknown }).loaded_through;
    return typeof through === 'string' && !Number.isNaN(Date.parse(through)) ? { '*': { cursor: through } } : undefined;
  },
  tallies: { 'still active (loaded again, ended, by a later window)': (data) => data.conversation_end === null },
});

export const genesysStreams = [flowOutcomesStream, conversationsStream];
