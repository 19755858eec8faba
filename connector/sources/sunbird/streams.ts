/**
 * The Sunbird UCI streams, declared for the engine (core/streams/run.ts):
 *
 * - sunbird_responses: one response exhaust request per (bot, window_days window) on the start_date
 *   grid, whole windows up to yesterday. Requests run in the vendor's daily batch, so the first sync
 *   submits them and, after job_wait_seconds, keeps the pending ones in the state's job ledger and
 *   ends successfully; each later sync polls them, loads the finished ones (checkpointing after each
 *   window), and submits the windows that became whole. Bots are partitions read side by side: they
 *   share one wait, and one bot's stuck request never holds up another bot.
 *   sunbird_exhaust_windows gets a row per window loaded (drives dbt's is_complete).
 * - sunbird_users (include_private_exhaust): the private exhaust, a full user list per bot, asked for
 *   once a day (a window = the day before the sync: dates do not apply), upserted by Device UUID.
 */
import { incrementalStream, type CompletenessContext, type ReadContext } from '../../core/streams/declare.js';
import { DAY_MS, addDays, dayStart, todayUtc } from '../../core/windows.js';
import type { SunbirdConfig } from './config.js';
import type { PrivateExhaust, ResponseExhaust } from './exhaust.js';
import { normaliseResponse, normaliseUser, type ResponseItem, type UserItem } from './record.js';
import { exhaustWindowRecords, responseRecords, userRecords } from './tables.js';

export const RESPONSES = 'sunbird_responses';
export const EXHAUST_WINDOWS = 'sunbird_exhaust_windows';
export const USERS = 'sunbird_users';

export interface SunbirdSession {
  responses: ResponseExhaust;
  users: PrivateExhaust;
}

/** Requests held on the vendor's side per bot at once: a backfill of years is submitted in slices. */
const MAX_PENDING_PER_BOT = 400;
const POLL_INITIAL_MS = 5_000;

const today = (now: Date) => dayStart(todayUtc(now));

/** Whole windows up to yesterday, and not after end_date. */
async function until({ config, now }: ReadContext<SunbirdConfig, SunbirdSession>): Promise<string> {
  const bound = today(now);
  const end = config.end_date ? dayStart(addDays(config.end_date, 1)) : undefined;
  return end !== undefined && end < bound ? end : bound;
}

const jobOptions = (config: SunbirdConfig) => ({
  maxInFlight: MAX_PENDING_PER_BOT,
  maxAttempts: 3,
  pollInitialMs: POLL_INITIAL_MS,
  waitBudgetMs: config.job_wait_seconds * 1000,
  giveUpAfterMs: config.job_give_up_hours * 3_600_000,
});

function windowRow({ partition, window, records, quarantined, facts }: CompletenessContext<SunbirdConfig>): Record<string, unknown>[] {
  return [
    {
      bot_id: partition,
      window_start: window.start.slice(0, 10),
      window_end: window.end.slice(0, 10),
      status: facts.status ?? 'loaded',
      request_id: facts.request_id,
      tag: facts.tag,
      attempts: facts.attempts ?? 1,
      file_count: facts.file_count ?? 0,
      record_count: records,
      quarantined_count: quarantined,
      submitted_at: facts.submitted_at ?? null,
      completed_at: facts.completed_at ?? null,
    },
  ];
}

export const responsesStream = incrementalStream<SunbirdConfig, SunbirdSession, ResponseItem>({
  name: RESPONSES,
  description:
    'One record per answered question of the response exhaust (upsert on source_instance + bot_id + response_id), parsed by header name from every era of the CSV header; `record` is the row as delivered.',
  records: responseRecords,
  cursorField: ['window_start'],
  unitName: 'exhaust windows',
  partitions: (config) => config.bot_ids,
  parallelPartitions: (config) => config.bot_ids.length,
  cursor: (config) => ({ start: dayStart(config.start_date), stepMs: config.window_days * DAY_MS, partial: 'skip' }),
  until,
  fetch: { kind: 'jobs', driver: ({ session }) => session.responses, options: jobOptions },
  record: (item, { partition, window }) => ({ data: normaliseResponse(item, partition, window.start), raw: JSON.stringify(item.fields) }),
  // The Message ID is stable across files and re-requests; older files have none: the file and row.
  locate: (item, { origin, index }) => {
    const id = item?.fields?.['Message ID'];
    return typeof id === 'string' && id !== '' ? `message=${id}` : `${origin} row=${item?.row ?? index + 1}`;
  },
  completeness: {
    stream: EXHAUST_WINDOWS,
    description:
      'One record per (bot, window) of the response exhaust loaded whole: its request, files and counts; `empty` when the vendor found no data. A day is complete once its window and the next are loaded.',
    cursorField: ['window_start'],
    records: exhaustWindowRecords,
    rows: windowRow,
  },
});

export const usersStream = incrementalStream<SunbirdConfig, SunbirdSession, UserItem>({
  name: USERS,
  description:
    'The users who conversed with each bot (private exhaust, include_private_exhaust), upsert on source_instance + bot_id + device_uuid; phone numbers as `pii` says (dropped by default).',
  records: userRecords,
  cursorField: ['snapshot_date'],
  unitName: 'user lists',
  partitions: (config) => (config.include_private_exhaust ? config.bot_ids : []),
  parallelPartitions: (config) => config.bot_ids.length,
  // One request a day: the window is yesterday, whatever the cursor (an older cursor is not caught up day by day).
  cursor: (_config, now) => ({ start: dayStart(addDays(todayUtc(now), -1)), stepMs: DAY_MS, partial: 'skip' }),
  until: async ({ now }) => today(now),
  fetch: { kind: 'jobs', driver: ({ session }) => session.users, options: jobOptions },
  record: (item, { partition, window }) => ({ data: normaliseUser(item, partition, window.start.slice(0, 10)), raw: JSON.stringify(item.fields) }),
  locate: (item, { origin, index }) => `${origin} row=${item?.row ?? index + 1}`,
});

export const sunbirdStreams = [responsesStream, usersStream];
