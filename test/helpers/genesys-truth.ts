/**
 * What the Genesys marts must say, computed from the generator's ground truth (never from the
 * connector's or the models' own logic): which conversations a sync over [start, availability)
 * loads, and per conversation its bot id, containment outcome and intents.
 */
import { conversationsStartingOn, type GenesysGeneratorOptions, type GenesysTruth } from '../../connector/simulators/genesys/generator.js';

const DAY = 86_400_000;

export interface GenesysScope {
  /** First UTC day loaded (start_date). */
  startDate: string;
  /** The watermark reached: min(now, availability). Conversations are as of this instant. */
  loadedThroughMs: number;
  generator: GenesysGeneratorOptions;
}

/**
 * Every conversation a sync of `scope` loads (valid ones), by the rule of sources.md §2 applied here
 * on its own: a detail job returns each conversation whose lifetime overlaps its interval, so the
 * sync over [start_date, watermark) loads every conversation that started before the watermark
 * and was still going at (or started after) start_date's midnight. The generator is asked only for
 * each day's conversations (they last less than a day, so the day before start_date is enough).
 */
export function truthConversations(scope: GenesysScope): GenesysTruth[] {
  const from = Date.parse(`${scope.startDate}T00:00:00.000Z`);
  const out: GenesysTruth[] = [];
  for (let dayMs = from - DAY; dayMs < scope.loadedThroughMs; dayMs += DAY) {
    for (const { truth } of conversationsStartingOn(new Date(dayMs).toISOString().slice(0, 10), scope.generator)) {
      const seenUntil = Math.min(truth.endMs, scope.loadedThroughMs);
      if (truth.startMs < scope.loadedThroughMs && seenUntil > from) out.push(truth);
    }
  }
  return out;
}

export const valid = (t: GenesysTruth) => !t.invalid;

/** bot_id as the marts must show it: the bot flow, else the first (entry) flow. */
export const botId = (t: GenesysTruth) => t.botFlowId ?? t.firstFlowId;

/** The containment the scenario means; null while the conversation is still running at `asOfMs`. */
export function containment(t: GenesysTruth, asOfMs: number): 'contained' | 'escalated' | 'abandoned' | null {
  if (t.endMs > asOfMs) return null;
  return { contained: 'contained', escalated: 'escalated', abandoned: 'abandoned', no_bot: 'escalated' }[t.scenario] as 'contained' | 'escalated' | 'abandoned';
}

/** first / last intent: the outcomes entered, put in time order here (the record may list them otherwise). */
export function intents(t: GenesysTruth): { first: string | null; last: string | null } {
  const ordered = t.outcomes.map((o, position) => ({ ...o, position })).sort((a, b) => a.startMs - b.startMs || a.position - b.position);
  return { first: ordered[0]?.name ?? null, last: ordered.at(-1)?.name ?? null };
}

/** The wrap-up code every agent of the simulator sets (generator.ts: the agent's `wrapup` segment). */
export const WRAP_UP_CODE = 'resolved';

/**
 * The wrap-up code a conversation carries in the data lake as of `asOfMs`, when codes are set
 * `delayMs` after the conversation ended (the simulator's wrapUpDelayHours): only conversations
 * that reached an agent (escalated, or no bot) have one, once ended and the delay has passed.
 */
export function wrapUpCode(t: GenesysTruth, asOfMs: number, delayMs: number): string | null {
  const reachedAgent = t.scenario === 'escalated' || t.scenario === 'no_bot';
  return reachedAgent && t.endMs <= asOfMs && t.endMs + delayMs <= asOfMs ? WRAP_UP_CODE : null;
}
