/**
 * What the Genesys marts must say, computed from the generator's ground truth (never from the
 * connector's or the models' own logic): which conversations a sync over [start, availability)
 * loads, and per conversation its bot id, containment outcome and intents.
 */
import { conversationsOverlapping, type GenesysGeneratorOptions, type GenesysTruth } from '../../connector/sources/genesys/generator.js';

export interface GenesysScope {
  /** First UTC day loaded (start_date). */
  startDate: string;
  /** The watermark reached: min(now, availability). Conversations are as of this instant. */
  loadedThroughMs: number;
  generator: GenesysGeneratorOptions;
}

/** Every conversation a sync of `scope` loads (valid ones), keyed by id: the newest version wins. */
export function truthConversations(scope: GenesysScope): GenesysTruth[] {
  const byId = new Map<string, GenesysTruth>();
  for (const c of conversationsOverlapping(Date.parse(`${scope.startDate}T00:00:00.000Z`), scope.loadedThroughMs, scope.loadedThroughMs, scope.generator)) {
    byId.set(c.truth.conversationId, c.truth);
  }
  return [...byId.values()];
}

export const valid = (t: GenesysTruth) => !t.invalid;

/** bot_id as the marts must show it: the bot flow, else the first (entry) flow. */
export const botId = (t: GenesysTruth) => t.botFlowId ?? t.firstFlowId;

/** The containment the scenario means; null while the conversation is still running at `asOfMs`. */
export function containment(t: GenesysTruth, asOfMs: number): 'contained' | 'escalated' | 'abandoned' | null {
  if (t.endMs > asOfMs) return null;
  return { contained: 'contained', escalated: 'escalated', abandoned: 'abandoned', no_bot: 'escalated' }[t.scenario] as 'contained' | 'escalated' | 'abandoned';
}

/** first / last intent: the outcomes entered, in time order (names). */
export function intents(t: GenesysTruth): { first: string | null; last: string | null } {
  return { first: t.outcomes[0]?.name ?? null, last: t.outcomes.at(-1)?.name ?? null };
}
