/**
 * What the Kore.ai marts must say, computed from the generator's ground truth on its own (never
 * from the simulator's selection code, the connector or the models): which sessions a sync loads,
 * and per session its containment outcome, flags, language, intents and message counts.
 *
 * Scope: the sessions of `botIds` whose start is in [startDate midnight UTC, untilMs) and not after
 * `asOfMs` (the simulator's clock when they were read), shown as they stood at `asOfMs`. Intent
 * events count when their timestamp is not after `asOfMs`; intent rows (what getAnalytics serves
 * over the same range, every channel by default) are counted by event time, so they include events
 * of sessions that started the day before and ran past midnight.
 */
import { sessionsStartingOn, type KoreGeneratorOptions, type KoreSessionTruth } from '../../connector/simulators/kore/generator.js';

/** dbt's var not_meaningful_intent_names as far as Kore bots use it (DECISIONLOG.md, "Kore.ai": default names). */
const NOT_MEANINGFUL_INTENTS: readonly string[] = ['Greeting', 'Talk to a human/agent', 'Default Welcome', 'Thank you', 'Goodbye'];

export interface KoreScope {
  botIds: string[];
  /** First UTC day loaded (start_date), YYYY-MM-DD. */
  startDate: string;
  /** Exclusive upper bound on session start (e.g. the fixed simulator clock, or end_date's midnight). */
  untilMs: number;
  /** The simulator's clock when the data was read: what is active, which events have happened. */
  asOfMs: number;
  generator: KoreGeneratorOptions;
  /** Channels the intent rows are asked for (default: every channel a session has). */
  channels?: readonly string[];
}

export type KoreOutcome = 'contained' | 'escalated' | 'abandoned';

export interface KoreExpectedSession {
  botId: string;
  sessionId: string;
  startMs: number;
  /** null while active at asOfMs. */
  endMs: number | null;
  /** null while active at asOfMs. */
  containment: KoreOutcome | null;
  isTest: boolean;
  channel: string;
  /** The first of session_lang. */
  language: string;
  userId: string;
  userIdPersonal: boolean;
  firstIntent: string | null;
  lastIntent: string | null;
  firstMeaningfulIntent: string | null;
  notUnderstoodMessages: number;
  /** noOfMessagesExchanged as served at asOfMs. */
  messages: number;
  tasks: number;
}

export interface KoreTruth {
  /** Valid sessions in scope, by bot, then start. */
  sessions: KoreExpectedSession[];
  /** Sessions in scope served with an unparsable start_time (quarantined, not loaded). */
  invalid: KoreSessionTruth[];
  /** getAnalytics rows in range per type, over every bot in scope (invalid sessions' rows included). */
  intentRows: { success: number; fail: number };
  /** Every personal userId (e-mail, phone) the API serves in scope: none may reach the warehouse as is. */
  personalUserIds: string[];
}

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The containment outcome the marts must show; null while the session is active at `asOfMs`. */
export function containmentOutcome(t: KoreSessionTruth, asOfMs: number): KoreOutcome | null {
  if (t.endMs > asOfMs) return null;
  return ({ selfService: 'contained', agent: 'escalated', dropOff: 'abandoned' } as const)[t.containment];
}

/** first / last / first meaningful success intent and not-understood count, from events up to `asOfMs`. */
export function intentSummary(t: KoreSessionTruth, asOfMs: number): Pick<KoreExpectedSession, 'firstIntent' | 'lastIntent' | 'firstMeaningfulIntent' | 'notUnderstoodMessages'> {
  const happened = t.intents.filter((e) => e.timestampMs <= asOfMs);
  // Shared timestamps only pair a success with a fail event, so sorting successes by time is
  // unambiguous (whatever order the generator lists them in).
  const successes = happened.filter((e) => e.type === 'success').sort((a, b) => a.timestampMs - b.timestampMs);
  return {
    firstIntent: successes[0]?.intent ?? null,
    lastIntent: successes.at(-1)?.intent ?? null,
    firstMeaningfulIntent: successes.find((e) => e.intent !== null && e.intent !== undefined && !NOT_MEANINGFUL_INTENTS.includes(e.intent))?.intent ?? null,
    notUnderstoodMessages: happened.filter((e) => e.type === 'fail').length,
  };
}

export function expectedSession(t: KoreSessionTruth, asOfMs: number): KoreExpectedSession {
  const active = t.endMs > asOfMs;
  return {
    botId: t.botId,
    sessionId: t.sessionId,
    startMs: t.startMs,
    endMs: active ? null : t.endMs,
    containment: containmentOutcome(t, asOfMs),
    isTest: t.isDeveloper,
    channel: t.channel,
    language: t.languages[0] ?? '',
    userId: t.userId,
    userIdPersonal: t.userIdPersonal,
    ...intentSummary(t, asOfMs),
    messages: t.messageTimesMs.filter((m) => m <= asOfMs).length,
    tasks: t.tasks,
  };
}

/** Everything the scope loads; see the header for the rules. */
export function koreTruth(scope: KoreScope): KoreTruth {
  const fromMs = Date.parse(`${scope.startDate}T00:00:00.000Z`);
  const lastStartMs = Math.min(scope.untilMs - 1, scope.asOfMs); // start < untilMs and start ≤ asOfMs
  const asked = scope.channels === undefined ? undefined : new Set<string>(scope.channels);
  const out: KoreTruth = { sessions: [], invalid: [], intentRows: { success: 0, fail: 0 }, personalUserIds: [] };
  const personal = new Set<string>();
  for (const botId of scope.botIds) {
    // The day before too: its late sessions run past midnight, and their events count as rows.
    for (let day = fromMs - DAY; day <= lastStartMs; day += DAY) {
      for (const { truth } of sessionsStartingOn(botId, dayOf(day), scope.generator)) {
        if (truth.startMs > lastStartMs) continue;
        const inScope = truth.startMs >= fromMs;
        let rows = 0;
        if (asked === undefined || asked.has(truth.channel)) {
          for (const event of truth.intents) {
            if (event.timestampMs >= fromMs && event.timestampMs <= lastStartMs) {
              out.intentRows[event.type]++;
              rows++;
            }
          }
        }
        if (inScope && truth.invalid) out.invalid.push(truth);
        else if (inScope) out.sessions.push(expectedSession(truth, scope.asOfMs));
        if (truth.userIdPersonal && (inScope || rows > 0)) personal.add(truth.userId);
      }
    }
  }
  out.personalUserIds = [...personal].sort();
  return out;
}
