/**
 * What the warehouse must hold after syncing Sunbird UCI, computed from the generator's ground truth
 * on its own (never from the simulator's selection or rendering code, the connector or the models).
 *
 * Scope rules:
 * - Windows are one day each (window_days 1): every day d in [startDate, untilDay) for every bot;
 *   untilDay is exclusive (a sync loads windows up to yesterday: untilDay = today).
 * - A window's file holds the answers INGESTED on d by asOfMs (the batch's clock). So it includes late
 *   rows of conversations answered the day before, and a conversation near midnight spans two
 *   windows. A window with any row (valid or not) is `loaded`; one without is `empty` (the job
 *   failed "No data found").
 * - Responses: the valid rows of those windows, keyed as the raw table keys them: bot + Message ID,
 *   or, in v1 files (no Message ID), bot + Device ID + answered_at + Question Id (the connector's
 *   content hash of a v1 row is its business; this key is what makes it unique). Malformed rows
 *   (invalidEvery) are quarantined instead, with the window that held them.
 * - Columns follow the file's era: v1 has no Message ID, X Path, Eof or Session ID (NULL); v2 no
 *   Session ID; a v3 Session ID cell that is "" or null is NULL too.
 * - Conversations follow dbt's rules (contract "dbt rules") over the in-scope rows only, so one
 *   whose first answers were filed before startDate (or last ones on/after untilDay) shows only the
 *   part in scope: key (bot, Device ID, Session ID), or (bot, Device ID, UTC day of the answer) when
 *   Session ID is NULL; started/ended = first/last answered_at; containment `contained` when a row
 *   has eof true, else `abandoned` when its last answer came from a file with an Eof column, else NULL;
 *   first/last intent = Question Title of the first/last answer by (answered_at, key) — the generated
 *   data has no ties (a unit test checks); first meaningful intent skips blank titles and
 *   NOT_MEANINGFUL_INTENTS (= dbt's var); visitor messages = answers; not understood =
 *   answers with Question Score 0.
 * - Daily counts per bot are by the UTC day a conversation started. A day is complete when the
 *   windows of it and of the next day are both in scope (loaded or empty).
 * - Users: the bot's whole pool (the private exhaust ignores dates), as delivered (personal columns
 *   raw: what pii "raw" keeps; "drop"/"hash" are the connector's transformations of these).
 */
import {
  conversationsStartingOn,
  sunbirdUsers,
  type SunbirdAnswer,
  type SunbirdEra,
  type SunbirdGeneratorOptions,
  type SunbirdInvalidKind,
  type SunbirdUser,
} from '../../connector/simulators/sunbird/generator.js';

const DAY = 86_400_000;
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const addDays = (day: string, n: number): string => utcDay(Date.parse(`${day}T00:00:00.000Z`) + n * DAY);

/** dbt's var not_meaningful_intent_names (transformations/dbt_project.yml), written here again. */
const NOT_MEANINGFUL_INTENTS: readonly string[] = ['Greeting', 'Talk to a human/agent', 'Default Welcome', 'Thank you', 'Goodbye'];

/** A file's header era by its (ingestion) day, from the generator's options (their documented meaning). */
function eraOf(day: string, options: SunbirdGeneratorOptions): SunbirdEra {
  if (options.v2From !== undefined && day < options.v2From) return 'v1';
  if (options.v3From !== undefined && day < options.v3From) return 'v2';
  return 'v3';
}

/**
 * The answers a window's file holds: every answer ingested on `day` (by its ingestion time), by
 * ingestion time. Decided here from the bot's conversations: those that started on `day` or the
 * day before (a conversation spans under an hour, and ingestion lags minutes, so no earlier one
 * reaches `day`; a unit test checks the spans).
 */
function answersFiledOn(botId: string, day: string, options: SunbirdGeneratorOptions): SunbirdAnswer[] {
  const out: SunbirdAnswer[] = [];
  for (const started of [addDays(day, -1), day]) {
    for (const c of conversationsStartingOn(botId, started, options)) for (const a of c.answers) if (utcDay(a.ingestedMs) === day) out.push(a);
  }
  return out.sort((a, b) => a.ingestedMs - b.ingestedMs || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
}

export interface SunbirdScope {
  botIds: string[];
  /** First window (start_date), YYYY-MM-DD. */
  startDate: string;
  /** Exclusive: the first day NOT loaded (usually the batch's today). */
  untilDay: string;
  generator: SunbirdGeneratorOptions;
  /** The clock when the batch ran: rows ingested later are not in any file yet. */
  asOfMs: number;
}

export interface SunbirdExpectedWindow {
  botId: string;
  windowStart: string;
  /** The day after (exclusive). */
  windowEnd: string;
  status: 'loaded' | 'empty';
  era: SunbirdEra;
  /** Valid rows and quarantined rows in its file. */
  rows: number;
  quarantined: number;
}

export interface SunbirdExpectedResponse {
  /** `${botId}|${messageId}`, or for v1 `${botId}|${deviceId}|${answeredMs}|${questionId}`. */
  key: string;
  botId: string;
  era: SunbirdEra;
  windowStart: string;
  messageId: string | null;
  conversationName: string;
  deviceId: string;
  sessionId: string | null;
  questionId: string;
  questionType: string;
  questionTitle: string;
  questionDescription: string;
  questionDuration: number;
  questionScore: number;
  questionMaxScore: number;
  /** The cell's JSON text; null when the cell is null (a text question). */
  questionOptions: string | null;
  /** The cell's text: JSON, plain text, or "" (consent withheld). */
  questionResponse: string;
  consentWithheld: boolean;
  xPath: string | null;
  eof: boolean | null;
  fileHasEof: boolean;
  answeredMs: number;
  ingestedMs: number;
}

export interface SunbirdQuarantined {
  botId: string;
  windowStart: string;
  kind: SunbirdInvalidKind;
  /** null in a v1 file. */
  messageId: string | null;
  answer: SunbirdAnswer;
}

export type SunbirdOutcome = 'contained' | 'abandoned';

export interface SunbirdExpectedConversation {
  /** `${botId}|${deviceId}|s:${sessionId}` or `${botId}|${deviceId}|d:${day}`. */
  key: string;
  botId: string;
  deviceId: string;
  /** The session it is keyed by; null when keyed by day. */
  sessionId: string | null;
  /** The UTC answer day it is keyed by; null when keyed by session. */
  day: string | null;
  startedMs: number;
  endedMs: number;
  containment: SunbirdOutcome | null;
  firstIntent: string;
  lastIntent: string;
  firstMeaningfulIntent: string | null;
  visitorMessages: number;
  notUnderstoodMessages: number;
}

export interface SunbirdDailyCounts {
  botId: string;
  /** UTC day conversations started. */
  day: string;
  conversations: number;
  contained: number;
  abandoned: number;
  /** Containment NULL (v1-only conversations). */
  unknownOutcome: number;
  visitorMessages: number;
  notUnderstoodMessages: number;
}

export interface SunbirdTruth {
  windows: SunbirdExpectedWindow[];
  /** By key. */
  responses: Map<string, SunbirdExpectedResponse>;
  quarantined: SunbirdQuarantined[];
  users: SunbirdUser[];
  /** By key. */
  conversations: Map<string, SunbirdExpectedConversation>;
  daily: SunbirdDailyCounts[];
  /** Per bot, the days whose windows and next day's windows are in scope. */
  completeDays: Record<string, string[]>;
}

export function responseKey(a: Pick<SunbirdAnswer, 'botId' | 'era' | 'messageId' | 'deviceId' | 'answeredMs' | 'questionId'>): string {
  return a.era === 'v1' ? `${a.botId}|${a.deviceId}|${a.answeredMs}|${a.questionId}` : `${a.botId}|${a.messageId}`;
}

/**
 * One answer as the raw table must hold it (its file's era decides which columns it has; the truth
 * passes the era it works out itself, from the day the answer was filed).
 */
export function expectedResponse(answer: SunbirdAnswer, era: SunbirdEra = answer.era): SunbirdExpectedResponse {
  const a = { ...answer, era };
  const v1 = era === 'v1';
  return {
    key: responseKey(a),
    botId: a.botId,
    era,
    windowStart: utcDay(a.ingestedMs),
    messageId: v1 ? null : a.messageId,
    conversationName: a.conversationName,
    deviceId: a.deviceId,
    sessionId: era === 'v3' && a.servedSessionId ? a.servedSessionId : null,
    questionId: a.questionId,
    questionType: a.questionType,
    questionTitle: a.questionTitle,
    questionDescription: a.questionDescription,
    questionDuration: a.questionDuration,
    questionScore: a.questionScore,
    questionMaxScore: a.questionMaxScore,
    questionOptions: a.questionOptions,
    questionResponse: a.questionResponse,
    consentWithheld: a.questionResponse === '',
    xPath: v1 ? null : a.xPath,
    eof: v1 ? null : a.eof,
    fileHasEof: !v1,
    answeredMs: a.answeredMs,
    ingestedMs: a.ingestedMs,
  };
}

/** dbt's conversation key of a row. */
export function conversationKeyOf(r: SunbirdExpectedResponse): { key: string; sessionId: string | null; day: string | null } {
  if (r.sessionId !== null) return { key: `${r.botId}|${r.deviceId}|s:${r.sessionId}`, sessionId: r.sessionId, day: null };
  const day = utcDay(r.answeredMs);
  return { key: `${r.botId}|${r.deviceId}|d:${day}`, sessionId: null, day };
}

/** A conversation's marts row from its rows (any order). */
export function summariseConversation(rows: readonly SunbirdExpectedResponse[]): SunbirdExpectedConversation {
  const sorted = [...rows].sort((a, b) => a.answeredMs - b.answeredMs || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const first = sorted[0];
  const last = sorted.at(-1);
  if (!first || !last) throw new Error('a conversation has at least one row');
  const { key, sessionId, day } = conversationKeyOf(first);
  const containment: SunbirdOutcome | null = sorted.some((r) => r.eof === true) ? 'contained' : sorted.at(-1)!.fileHasEof ? 'abandoned' : null;
  return {
    key,
    botId: first.botId,
    deviceId: first.deviceId,
    sessionId,
    day,
    startedMs: first.answeredMs,
    endedMs: last.answeredMs,
    containment,
    firstIntent: first.questionTitle,
    lastIntent: last.questionTitle,
    firstMeaningfulIntent: sorted.find((r) => r.questionTitle.trim() !== '' && !NOT_MEANINGFUL_INTENTS.includes(r.questionTitle))?.questionTitle ?? null,
    visitorMessages: sorted.length,
    notUnderstoodMessages: sorted.filter((r) => r.questionScore === 0).length,
  };
}

/** Everything the scope loads; see the header for the rules. */
export function sunbirdTruth(scope: SunbirdScope): SunbirdTruth {
  const out: SunbirdTruth = { windows: [], responses: new Map(), quarantined: [], users: [], conversations: new Map(), daily: [], completeDays: {} };
  for (const botId of scope.botIds) {
    const inScope: string[] = [];
    for (let day = scope.startDate; day < scope.untilDay; day = addDays(day, 1)) {
      inScope.push(day);
      const era = eraOf(day, scope.generator);
      const rows = answersFiledOn(botId, day, scope.generator).filter((a) => a.ingestedMs <= scope.asOfMs);
      let quarantined = 0;
      for (const a of rows) {
        if (a.invalid !== null) {
          quarantined++;
          out.quarantined.push({ botId, windowStart: day, kind: a.invalid, messageId: era === 'v1' ? null : a.messageId, answer: a });
          continue;
        }
        const expected = expectedResponse(a, era);
        if (out.responses.has(expected.key)) throw new Error(`two rows share the key ${expected.key}`);
        out.responses.set(expected.key, expected);
      }
      out.windows.push({ botId, windowStart: day, windowEnd: addDays(day, 1), status: rows.length > 0 ? 'loaded' : 'empty', era, rows: rows.length - quarantined, quarantined });
    }
    out.completeDays[botId] = inScope.slice(0, -1);
    out.users.push(...sunbirdUsers(botId, scope.generator));
  }

  const byConversation = new Map<string, SunbirdExpectedResponse[]>();
  for (const r of out.responses.values()) {
    const { key } = conversationKeyOf(r);
    const list = byConversation.get(key) ?? byConversation.set(key, []).get(key)!;
    list.push(r);
  }
  const daily = new Map<string, SunbirdDailyCounts>();
  for (const rows of byConversation.values()) {
    const c = summariseConversation(rows);
    out.conversations.set(c.key, c);
    const day = utcDay(c.startedMs);
    const dailyKey = `${c.botId}|${day}`;
    const d = daily.get(dailyKey) ?? daily.set(dailyKey, { botId: c.botId, day, conversations: 0, contained: 0, abandoned: 0, unknownOutcome: 0, visitorMessages: 0, notUnderstoodMessages: 0 }).get(dailyKey)!;
    d.conversations++;
    if (c.containment === 'contained') d.contained++;
    else if (c.containment === 'abandoned') d.abandoned++;
    else d.unknownOutcome++;
    d.visitorMessages += c.visitorMessages;
    d.notUnderstoodMessages += c.notUnderstoodMessages;
  }
  out.daily = [...daily.values()].sort((a, b) => (a.botId < b.botId ? -1 : a.botId > b.botId ? 1 : a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  return out;
}
