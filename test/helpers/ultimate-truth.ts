/**
 * Expected results computed straight from the simulator's generator (the ground truth), with the
 * metric definitions of transformations/DECISIONLOG.md written again in plain TypeScript — so the
 * dbt SQL is checked against an independent implementation, not against itself. The generator only
 * supplies each export's records (as the vendor would); which days a scope loads, which version of
 * a conversation exported twice wins (the newest export), intent order (untimed intents last) and
 * containment (NULL status: none) are decided here.
 */
import {
  conversationsEndingOn,
  invalidLinesFor,
  type TruthConversation,
  type UltimateGeneratorOptions,
} from '../../connector/simulators/ultimate/generator.js';

export interface Scope {
  bots: string[];
  /** Export days loaded, inclusive. */
  firstDay: string;
  lastDay: string;
  generator: Partial<UltimateGeneratorOptions>;
  /** Export days served grown (late conversations appended). */
  grownDays?: string[];
}

const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T00:00:00.000Z`) + n * 86_400_000).toISOString().slice(0, 10);

export function exportDays(scope: Scope): string[] {
  const out: string[] = [];
  for (let d = scope.firstDay; d <= scope.lastDay; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Every valid record of every export in scope, as served (a conversation exported twice is there twice). */
export function exportedRecords(scope: Scope): TruthConversation[] {
  const out: TruthConversation[] = [];
  for (const bot of scope.bots) {
    for (const day of exportDays(scope)) out.push(...conversationsEndingOn(bot, day, scope.generator, { grown: scope.grownDays?.includes(day) ?? false }));
  }
  return out;
}

/**
 * The conversations the warehouse must hold: one per (bot, conversation id), the version of the
 * newest export day that has it (a re-opened conversation is exported again on the day it ends again).
 */
export function truthConversations(scope: Scope): TruthConversation[] {
  const newest = new Map<string, { day: string; c: TruthConversation }>();
  for (const bot of scope.bots) {
    for (const day of exportDays(scope)) {
      for (const c of conversationsEndingOn(bot, day, scope.generator, { grown: scope.grownDays?.includes(day) ?? false })) {
        const key = `${c.bot_id}|${c.conversation_id}`;
        const seen = newest.get(key);
        if (!seen || seen.day <= day) newest.set(key, { day, c });
      }
    }
  }
  return [...newest.values()].map((v) => v.c);
}

export function truthInvalidCount(scope: Scope): number {
  let n = 0;
  for (const bot of scope.bots) for (const day of exportDays(scope)) n += invalidLinesFor(bot, day, scope.generator, { grown: scope.grownDays?.includes(day) ?? false }).length;
  return n;
}

const EXCLUDED_INTENTS = ['Greeting', 'Talk to a human/agent'];

export function expectedIntents(c: TruthConversation): { first: string | null; last: string | null; firstMeaningful: string | null } {
  // By time, ties by array position; an untimed intent after every timed one (by position).
  const at = (t: string | null) => (t === null ? Number.POSITIVE_INFINITY : Date.parse(t));
  const ordered = c.triggered_intent_replies
    .map((intent, position) => ({ ...intent, position }))
    .sort((a, b) => at(a.intent_timestamp) - at(b.intent_timestamp) || a.position - b.position);
  const meaningful = ordered.filter((i) => !i.not_meaningful && !EXCLUDED_INTENTS.includes(i.intent_name));
  return { first: ordered[0]?.intent_name ?? null, last: ordered.at(-1)?.intent_name ?? null, firstMeaningful: meaningful[0]?.intent_name ?? null };
}

export function containment(status: string | null): string | null {
  if (status === null) return null;
  return ['email', 'agent', 'customEscalation'].includes(status) ? 'escalated' : 'contained';
}

export interface DailyMetrics {
  total_conversations: number;
  bot_handled_conversations: number;
  bot_handled_rate: number | null;
  deflection_rate: number | null;
  escalation_rate: number | null;
  failed_escalation_rate: number | null;
  informed_rate: number | null;
  automation_rate: number | null;
  messages_understood_rate: number | null;
  is_complete: boolean;
}

const ratio = (n: number, d: number) => (d === 0 ? null : n / d);
const ESCALATED_STATUSES: readonly (string | null)[] = ['email', 'agent', 'customEscalation'];

/**
 * Key `${bot}|${conversation_date}`; default exclusions (test mode, suggestion engine) applied. Which
 * days have a row (DECISIONLOG.md, "Which days have a row"): every (bot, start day) with at least one
 * conversation, counted or not, and every loaded export day; a day with nothing to count is a row of
 * zeros with NULL rates.
 */
export function expectedDailyMetrics(scope: Scope): Map<string, DailyMetrics> {
  const groups = new Map<string, TruthConversation[]>();
  const counted = (c: TruthConversation) => !c.test_mode && c.bot_messages_count !== 0;
  for (const c of truthConversations(scope)) {
    const key = `${c.bot_id}|${c.conversation_start_time.slice(0, 10)}`;
    groups.set(key, [...(groups.get(key) ?? []), ...(counted(c) ? [c] : [])]);
  }
  for (const bot of scope.bots) for (const day of exportDays(scope)) if (!groups.has(`${bot}|${day}`)) groups.set(`${bot}|${day}`, []);
  const out = new Map<string, DailyMetrics>();
  for (const [key, cs] of groups) {
    const day = key.split('|')[1]!;
    const n = cs.length;
    const count = (f: (c: TruthConversation) => boolean) => cs.filter(f).length;
    const visitors = cs.reduce((s, c) => s + c.visitor_messages_count, 0);
    const notUnderstood = cs.reduce((s, c) => s + c.not_understood_messages_count, 0);
    out.set(key, {
      total_conversations: n,
      bot_handled_conversations: count((c) => c.conversation_status === 'botHandled'),
      bot_handled_rate: ratio(count((c) => c.conversation_status === 'botHandled'), n),
      // A NULL status is neither deflected nor escalated (the seed's NOT IN / IN on NULL).
      deflection_rate: ratio(count((c) => c.conversation_status !== null && !ESCALATED_STATUSES.includes(c.conversation_status)), n),
      escalation_rate: ratio(count((c) => ESCALATED_STATUSES.includes(c.conversation_status)), n),
      failed_escalation_rate: ratio(count((c) => c.conversation_status === 'failedEscalation'), n),
      informed_rate: ratio(count((c) => c.last_resolution === 'informed'), n),
      automation_rate: ratio(count((c) => c.last_resolution === 'informed' || c.last_resolution === 'resolved'), n),
      messages_understood_rate: ratio(visitors - notUnderstood, visitors),
      is_complete: day >= scope.firstDay && addDays(day, 1) <= scope.lastDay,
    });
  }
  return out;
}
