/**
 * The Ultimate streams, declared for the engine (core/streams/run.ts). Per bot, one window per UTC
 * export day from the cursor (minus lookback_days) to yesterday, never older than the history the
 * API serves; a day's window is its signed URLs → every file → records, and its completeness row
 * (ultimate_export_days) is written once the whole day is in. A day not ready ends that bot's sync
 * (the next one resumes from it) until not_ready_grace_days have passed: then it is recorded as
 * missing and passed.
 */
import type { Batch } from '../../core/streams/declare.js';
import { incrementalStream } from '../../core/streams/declare.js';
import { DAY_MS, addDays, dayStart, todayUtc } from '../../core/windows.js';
import { fileName, type UltimateClient } from './client.js';
import type { UltimateConfig } from './config.js';
import { normaliseConversation } from './record.js';
import { parsePiiPath, scrubConversationText } from './personal.js';
import { piiPolicy } from '../config-fields.js';
import { conversationRecords, exportDayRecords } from './tables.js';

export const CONVERSATIONS = 'ultimate_conversations';
export const EXPORT_DAYS = 'ultimate_export_days';

export interface UltimateSession {
  client: UltimateClient;
}

/** The newest export day a sync of `config` may load at `now`: yesterday, or end_date if earlier. */
function untilOf(config: UltimateConfig, now: Date): string {
  const today = dayStart(todayUtc(now));
  const end = config.end_date ? dayStart(addDays(config.end_date, 1)) : today;
  return end < today ? end : today;
}

/**
 * A day's files, one after the other: record texts in batches, placed by file and position. The
 * texts come out with their pii_fields already kept as pii says (personal.ts), so the records, the
 * `record` JSON and the quarantine never see those values.
 */
async function* fileBatches(config: UltimateConfig, session: UltimateSession, botId: string, day: string, urls: string[]): AsyncGenerator<Batch<string>> {
  const paths = config.pii_fields.map(parsePiiPath);
  const pii = piiPolicy(config);
  const scrub = paths.length > 0 && pii.mode !== 'raw';
  for (const url of urls) {
    const file = fileName(url);
    let offset = 0; // position of the batch's first record in the file
    for await (const texts of session.client.fileRecords(botId, day, url)) {
      yield { items: scrub ? texts.map((text) => scrubConversationText(text, paths, pii)) : texts, origin: file, offset };
      offset += texts.length;
    }
  }
}

export const conversationsStream = incrementalStream<UltimateConfig, UltimateSession, string>({
  name: CONVERSATIONS,
  description: 'One record per conversation per export day it appeared in (upsert on source_instance + bot_id + conversation_id).',
  records: conversationRecords,
  cursorField: ['export_date'],
  unitName: 'export days',
  partitions: (config) => config.bot_ids,
  cursor: (config, now) => ({
    start: dayStart(config.start_date),
    stepMs: DAY_MS,
    lookbackMs: config.lookback_days * DAY_MS,
    partial: 'skip',
    horizon: {
      earliest: dayStart(addDays(todayUtc(now), -config.history_days)),
      firstSyncError: (earliest) =>
        `start_date ${config.start_date} is older than the ${config.history_days} days the Data Export API serves (earliest: ${earliest.slice(0, 10)}). ` +
        `Set start_date to ${earliest.slice(0, 10)} or later; older history needs an export from Ultimate support.`,
    },
    missingAfterMs: config.not_ready_grace_days * DAY_MS,
  }),
  until: async ({ config, now }) => untilOf(config, now),
  fetch: {
    kind: 'direct',
    async open({ config, session, partition: botId, window }) {
      const day = window.start.slice(0, 10);
      const urls = await session.client.signedUrls(botId, day);
      if (urls === null) return { notReady: `the export of ${day} is not ready` };
      return { batches: fileBatches(config, session, botId, day, urls), facts: { file_count: urls.length } };
    },
  },
  record: (text, { partition, window }) => ({ data: normaliseConversation(text, partition, window.start.slice(0, 10)), raw: text }),
  locate: (_text, { partition, window, origin, index }) => `bot=${partition} day=${window.start.slice(0, 10)} file=${origin} record=${index}`,
  completeness: {
    stream: EXPORT_DAYS,
    description: 'One record per bot per export day settled: loaded completely, or recorded missing. Tells day completeness apart from days without conversations.',
    cursorField: ['export_date'],
    records: exportDayRecords,
    rows: ({ partition, window, records, quarantined, facts, missing }) => [
      {
        bot_id: partition,
        export_date: window.start.slice(0, 10),
        status: missing ? 'missing' : 'loaded',
        file_count: (facts.file_count as number | undefined) ?? 0,
        conversation_count: records,
        quarantined_count: quarantined,
        reason: missing ?? null,
      },
    ],
  },
  // Parley 0.1: {"bots": {"<bot>": {"loaded_through": "YYYY-MM-DD"}}} — the last day loaded.
  legacyState: (state) => {
    const bots = (state as { bots?: unknown }).bots;
    if (!bots || typeof bots !== 'object') return undefined;
    const out: Record<string, { cursor: string }> = {};
    for (const [bot, value] of Object.entries(bots as Record<string, { loaded_through?: unknown }>)) {
      const day = value?.loaded_through;
      if (typeof day !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
      out[bot] = { cursor: dayStart(addDays(day, 1)) };
    }
    return out;
  },
});

export const ultimateStreams = [conversationsStream];
