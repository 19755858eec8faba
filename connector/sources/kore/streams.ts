/**
 * The Kore.ai streams, declared for the engine (core/streams/run.ts). Per bot (partitions, read side
 * by side: each bot has its own rate budget), windows of window_hours on the start_date grid from
 * the cursor (minus lookback_hours, re-read so active sessions are replaced once closed) up to now:
 *
 * - kore_sessions: per window, getSessions for dropOff, selfService and agent one after the other,
 *   skip/limit pages until moreAvailable is false (skip advances by what arrived), each session
 *   stamped with the type it was listed under;
 * - kore_intents: per window, getAnalytics successintent then failintent on every channel.
 *
 * The window that contains "now" is read (its sessions are there to see) but never checkpointed:
 * sessions keep arriving in it, and arrive while it is paged (newest first, so a page may repeat
 * the last one's tail; repeats are dropped). The cursor moves per bot past closed windows only.
 * Each whole window writes its completeness row (kore_session_windows / kore_intent_windows):
 * `settled` once it was read lookback_hours after its end — dbt's is_complete.
 */
import { offsetPages } from '../../core/paging.js';
import type { Batch, CompletenessContext, CursorDeclaration, WindowContext } from '../../core/streams/declare.js';
import { incrementalStream } from '../../core/streams/declare.js';
import { logger } from '../../core/log.js';
import { piiPolicy } from '../config-fields.js';
import { HOUR_MS, addDays, dayStart } from '../../core/windows.js';
import type { KoreClient } from './client.js';
import type { KoreConfig } from './config.js';
import { CONTAINMENT_TYPES, normaliseIntent, normaliseSession, scrubRow, type IntentItem, type IntentKind, type SessionItem } from './record.js';
import { intentRecords, intentWindowRecords, sessionRecords, sessionWindowRecords } from './tables.js';

export const SESSIONS = 'kore_sessions';
export const INTENTS = 'kore_intents';
export const SESSION_WINDOWS = 'kore_session_windows';
export const INTENT_WINDOWS = 'kore_intent_windows';

const log = logger('kore');

export interface KoreSession {
  client: KoreClient;
  /** Channels the sessions of this sync were seen on: getAnalytics is asked for them too. */
  channelsSeen: Set<string>;
  /** Channels added to getAnalytics beyond the configured ones, already logged. */
  channelsAnnounced: Set<string>;
}

function cursor(config: KoreConfig, now: Date): CursorDeclaration {
  const end = endOf(config);
  return {
    start: dayStart(config.start_date),
    stepMs: config.window_hours * HOUR_MS,
    lookbackMs: config.lookback_hours * HOUR_MS,
    // Up to now the last window is still filling: read, not checkpointed. An end_date in the past closes it.
    partial: end !== undefined && Date.parse(end) <= now.getTime() ? 'cut' : 'open',
  };
}

const endOf = (config: KoreConfig) => (config.end_date ? dayStart(addDays(config.end_date, 1)) : undefined);

async function until({ config, now }: { config: KoreConfig; now: Date }): Promise<string> {
  const end = endOf(config);
  return end !== undefined && end < now.toISOString() ? end : now.toISOString();
}

const where = (partition: string, window: { start: string; end: string }) => `bot=${partition} window=${window.start}/${window.end}`;

/** A whole window's completeness row: when it was read, and whether that read is final (settled). */
function completenessRows({ config, now, partition, window, records, quarantined }: CompletenessContext<KoreConfig>): Record<string, unknown>[] {
  return [
    {
      bot_id: partition,
      window_start: window.start,
      window_end: window.end,
      read_at: now.toISOString(),
      settled: now.getTime() >= Date.parse(window.end) + config.lookback_hours * HOUR_MS,
      record_count: records,
      quarantined_count: quarantined,
    },
  ];
}

/** A window's sessions: the three containment types in turn, pages as they come, repeats dropped. */
async function* sessionBatches({ config, session, partition: botId, window }: WindowContext<KoreConfig, KoreSession>): AsyncGenerator<Batch<SessionItem>> {
  const seen = new Set<string>();
  const pii = piiPolicy(config);
  let offset = 0;
  for (const containmentType of CONTAINMENT_TYPES) {
    for await (const { page, skip } of offsetPages(
      (at) => session.client.sessions(botId, containmentType, window, at),
      (p) => ({ items: p.items.length, more: p.more }),
    )) {
      const items: SessionItem[] = [];
      for (const raw of page.items) {
        const row = scrubRow(raw, pii);
        const id = (row as { sessionId?: unknown } | null)?.sessionId;
        if (typeof id === 'string') {
          if (seen.has(id)) continue; // shifted onto this page by a session that arrived meanwhile
          seen.add(id);
        }
        const channel = (row as { channel?: unknown } | null)?.channel;
        if (typeof channel === 'string' && channel !== '') session.channelsSeen.add(channel);
        items.push({ containmentType, session: row });
      }
      yield { items, origin: `containmentType=${containmentType} skip=${skip}`, offset };
      offset += items.length;
    }
  }
}

/** The channels getAnalytics is asked for: the configured ones and every one the sessions showed. */
function channelsFor(config: KoreConfig, session: KoreSession): string[] {
  const channels = new Set(config.channels);
  const added = [...session.channelsSeen].filter((c) => !channels.has(c));
  for (const channel of added) {
    channels.add(channel);
    if (!session.channelsAnnounced.has(channel)) {
      session.channelsAnnounced.add(channel);
      log.info(`intents: asking getAnalytics for channel ${channel} too (sessions were seen on it; it is not in channels)`);
    }
  }
  return [...channels];
}

/** A window's intent events: successintent, then failintent, each with a stable event id. */
async function* intentBatches({ config, session, partition: botId, window }: WindowContext<KoreConfig, KoreSession>, channels: string[]): AsyncGenerator<Batch<IntentItem>> {
  const pii = piiPolicy(config);
  let offset = 0;
  for (const kind of ['success', 'fail'] as IntentKind[]) {
    const ordinal = new Map<string, number>(); // (session, timestamp) → rows so far, for ids without messageId
    const seen = new Set<string>();
    for await (const { page, skip } of offsetPages(
      (at) => session.client.intents(botId, kind, window, channels, at),
      (p) => ({ items: p.items.length, more: p.more }),
    )) {
      const items: IntentItem[] = [];
      for (const raw of page.items) {
        const row = scrubRow(raw, pii) as { sessionId?: unknown; messageId?: unknown; timestamp?: unknown } | null;
        let eventId: string;
        if (typeof row?.messageId === 'string' && row.messageId !== '') {
          eventId = row.messageId;
          if (seen.has(eventId)) continue;
          seen.add(eventId);
        } else {
          const at = `${String(row?.sessionId)}|${String(row?.timestamp)}`;
          const n = (ordinal.get(at) ?? 0) + 1;
          ordinal.set(at, n);
          eventId = `${kind}:${String(row?.timestamp)}:${n}`;
        }
        items.push({ kind, eventId, row });
      }
      yield { items, origin: `type=${kind}intent skip=${skip}`, offset };
      offset += items.length;
    }
  }
}

export const sessionsStream = incrementalStream<KoreConfig, KoreSession, SessionItem>({
  name: SESSIONS,
  description:
    'One record per session (upsert on source_instance + bot_id + session_id): listed by getSessions under its containment type; an active session is replaced once a later sync reads it closed.',
  records: sessionRecords,
  cursorField: ['started_at'],
  unitName: 'windows',
  partitions: (config) => config.bot_ids,
  parallelPartitions: (config) => config.bot_ids.length,
  cursor,
  until,
  fetch: { kind: 'direct', open: async (context) => ({ batches: sessionBatches(context) }) },
  record: (item, { partition }) => ({ data: normaliseSession(item, partition), raw: JSON.stringify(item.session) }),
  locate: (item, { partition, window, origin, index }) => {
    const id = (item.session as { sessionId?: unknown } | null)?.sessionId;
    return typeof id === 'string' && id !== '' ? `bot=${partition} session=${id}` : `${where(partition, window)} ${origin} index=${index}`;
  },
  completeness: {
    stream: SESSION_WINDOWS,
    description: 'One record per bot per getSessions window read whole (all three containment types): the latest read, and whether it is settled (final).',
    cursorField: ['window_start'],
    records: sessionWindowRecords,
    rows: completenessRows,
  },
  tallies: { 'still active (replaced once a later sync reads them closed)': (data) => data.ended_at === null },
});

export const intentsStream = incrementalStream<KoreConfig, KoreSession, IntentItem>({
  name: INTENTS,
  description: 'One record per intent event (upsert on source_instance + bot_id + session_id + event_id): getAnalytics successintent (recognised) and failintent (not understood), every channel.',
  records: intentRecords,
  cursorField: ['occurred_at'],
  unitName: 'windows',
  partitions: (config) => config.bot_ids,
  parallelPartitions: (config) => config.bot_ids.length,
  cursor,
  until,
  fetch: { kind: 'direct', open: async (context) => ({ batches: intentBatches(context, channelsFor(context.config, context.session)) }) },
  record: (item, { partition }) => ({ data: normaliseIntent(item, partition), raw: JSON.stringify(item.row) }),
  locate: (item, { partition, window, origin, index }) => `${where(partition, window)} ${origin} index=${index} event=${item.eventId}`,
  completeness: {
    stream: INTENT_WINDOWS,
    description: 'One record per bot per getAnalytics window read whole (successintent and failintent): the latest read, and whether it is settled (final).',
    cursorField: ['window_start'],
    records: intentWindowRecords,
    rows: completenessRows,
  },
});

export const koreStreams = [sessionsStream, intentsStream];
