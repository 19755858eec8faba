/**
 * Reading Ultimate: per bot, export days from the cursor (minus the lookback) to yesterday. Each day:
 * signed URLs → every file → records. A day that is not ready ends that bot's progress; the next sync
 * starts from it. State moves only after a whole day is emitted.
 */
import { z } from 'zod';
import { ConfigError } from '../../core/errors.js';
import { logger } from '../../core/log.js';
import { quarantined } from '../../core/quarantine.js';
import { addDays, daysBetween, maxDay, minDay, todayUtc, type Day } from '../../core/windows.js';
import { normaliseBatch } from '../record-batches.js';
import type { ReadContext, SourceEvent } from '../source.js';
import { fileName, UltimateClient } from './client.js';
import type { UltimateConfig } from './config.js';
import { normaliseConversation } from './record.js';
import { CONVERSATIONS, EXPORT_DAYS } from './streams.js';

const log = logger('ultimate');

const UltimateState = z.object({
  bots: z.record(z.string(), z.object({ loaded_through: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) })).default({}),
});
type UltimateState = z.infer<typeof UltimateState>;

export function parseUltimateState(context: ReadContext): UltimateState {
  const raw = context.state[CONVERSATIONS] ?? context.state[EXPORT_DAYS] ?? {};
  const parsed = UltimateState.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`state of ${CONVERSATIONS} is not Parley's Ultimate state ({"bots":{"<bot>":{"loaded_through":"YYYY-MM-DD"}}}); reset the stream's state.`);
  }
  return parsed.data;
}

export interface ExportPlan {
  botId: string;
  days: Day[];
}

/** Which export days each bot needs this sync. Throws ConfigError when they reach past the served history. */
export function planExportDays(config: UltimateConfig, state: UltimateState, now: Date): ExportPlan[] {
  const today = todayUtc(now);
  const horizon = addDays(today, -config.history_days);
  const last = config.end_date ? minDay(config.end_date, addDays(today, -1)) : addDays(today, -1);
  return config.bot_ids.map((botId) => {
    const loaded = state.bots[botId]?.loaded_through;
    const firstMissing = loaded ? addDays(loaded, 1) : config.start_date;
    if (firstMissing < horizon && firstMissing <= last) {
      throw new ConfigError(
        loaded
          ? `Bot ${botId} was last loaded through ${loaded}, but the Data Export API serves only the last ${config.history_days} days (from ${horizon}); ` +
              `the days ${firstMissing}…${addDays(horizon, -1)} can no longer be fetched. Ask Ultimate support for that history, then reset the stream state and set start_date to ${horizon} or later.`
          : `start_date ${config.start_date} is older than the ${config.history_days} days the Data Export API serves (earliest: ${horizon}). ` +
              `Set start_date to ${horizon} or later; older history needs an export from Ultimate support.`,
      );
    }
    const from = loaded ? maxDay(maxDay(config.start_date, addDays(loaded, 1 - config.lookback_days)), horizon) : config.start_date;
    return { botId, days: daysBetween(from, last) };
  });
}

export async function* readUltimate(config: UltimateConfig, context: ReadContext): AsyncGenerator<SourceEvent> {
  const client = new UltimateClient(config);
  const state = parseUltimateState(context);
  const plan = planExportDays(config, state, context.now);
  yield { kind: 'plan', units: plan.reduce((n, p) => n + p.days.length, 0), unitName: 'export days' };
  for (const { botId, days } of plan) {
    for (const day of days) {
      if (context.signal.aborted) return;
      const urls = await client.signedUrls(botId, day);
      if (urls === null) {
        log.info(`bot ${botId}: the export of ${day} is not ready yet; the next sync resumes from it`);
        break;
      }
      const counts = { records: 0, invalid: 0 };
      for (const url of urls) {
        const file = fileName(url);
        let offset = 0; // position of the batch's first record in the file
        for await (const texts of client.fileRecords(botId, day, url)) {
          yield* normaliseBatch(
            CONVERSATIONS,
            texts,
            (text) => ({ data: normaliseConversation(text, botId, day), raw: text }),
            (text, index, reason) => quarantined(CONVERSATIONS, `bot=${botId} day=${day} file=${file} record=${offset + index}`, reason, text),
            counts,
          );
          offset += texts.length;
        }
      }
      const { records: conversations, invalid } = counts;
      yield {
        kind: 'records',
        stream: EXPORT_DAYS,
        records: [{ data: { bot_id: botId, export_date: day, file_count: urls.length, conversation_count: conversations, quarantined_count: invalid } }],
      };
      const previous = state.bots[botId]?.loaded_through;
      state.bots[botId] = { loaded_through: previous && previous > day ? previous : day };
      const snapshot = structuredClone(state);
      yield { kind: 'state', stream: CONVERSATIONS, state: snapshot };
      yield { kind: 'state', stream: EXPORT_DAYS, state: snapshot };
      yield { kind: 'unit_done', description: `bot ${botId} export ${day}: ${conversations} conversations, ${invalid} quarantined, ${urls.length} files` };
    }
  }
}
