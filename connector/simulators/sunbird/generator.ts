/**
 * Deterministic Sunbird UCI conversations, answers and users, with their ground truth, for the
 * simulator and the tests (seed 000, sources.md §4).
 *
 * Conversations are generated per (bot id, UTC day the conversation starts) from (seed, bot id,
 * day), so any day's answers can be recomputed from the days they touch. A conversation is 1–8
 * answers a few seconds to minutes apart (all within SUNBIRD_MAX_SPAN_MS of its start), each
 * ingested after a lag of seconds to SUNBIRD_MAX_LAG_MS. The exhaust files rows by INGESTION day,
 * so the answers ingested on day D come from conversations started on D or D − 1 (some start
 * shortly before midnight; some answers before midnight are ingested after it).
 *
 * Users: a fixed pool per bot (usersPerBot), so devices come back across days. A user who did not
 * consent (about 1 in 10) has no phone number in the private exhaust and every Question Response of
 * theirs is "" (consent withheld).
 *
 * Eras: the file header depends on the ingestion day (v2From / v3From); the truth records which era
 * each answer's file has. Traps on purpose: a few conversations are served with an empty Session ID
 * ("" or a null cell: dbt then keys them by device and day); Question Score 0 for a reply that was
 * not understood; Eof true only on the last answer of a completed conversation.
 *
 * invalidEvery = N: every Nth answer of a (bot, start day), counted in generation order, is served
 * malformed, alternately (1) with no Device ID (a null cell) and (2) with a Timestamp that is not a
 * time (the unquoted text `not-a-time`). A connector must quarantine both: neither can be placed.
 */
import { Rng, hashString, hex, uuidFrom } from '../random.js';
import {
  SUNBIRD_BOT_NAMES,
  SUNBIRD_FLOWS,
  SUNBIRD_GIBBERISH,
  SUNBIRD_OPENERS,
  SUNBIRD_UNMATCHED_REPLIES,
  type SunbirdFlow,
  type SunbirdQuestionType,
  type SunbirdStep,
} from './flows.js';

export { SUNBIRD_NOT_MEANINGFUL_INTENTS } from './flows.js';

export type SunbirdEra = 'v1' | 'v2' | 'v3';
export type SunbirdInvalidKind = 'missing-device' | 'bad-timestamp';

export interface SunbirdGeneratorOptions {
  seed: number;
  /** Mean conversations per bot per day; each day's count varies deterministically by up to ±30%. */
  conversationsPerDay: number;
  /** Users (devices) per bot; default max(10, 2 × conversationsPerDay). */
  usersPerBot?: number;
  /** YYYY-MM-DD: files of ingestion days before it have the v1 header; absent = no v1 era. */
  v2From?: string;
  /** YYYY-MM-DD: files of ingestion days before it (and from v2From) have the v2 header; absent = no v2 era. */
  v3From?: string;
  /** Every Nth answer of a (bot, start day) (N ≥ 2) is malformed (see the header); 0 = none. */
  invalidEvery?: number;
}

export interface SunbirdAnswer {
  botId: string;
  conversationName: string;
  /** The generator's conversation (not a dbt key): `${seed}/${botId}/${startDay}/${index}`. */
  conversationKey: string;
  /** 0-based position in its conversation. */
  answerIndex: number;
  messageId: string;
  deviceId: string;
  /** The real session id (the generator's; what the conversation is). */
  sessionId: string;
  /** Session ID as a v3 file serves it: usually sessionId, sometimes "" or a null cell. */
  servedSessionId: string | null;
  questionId: string;
  questionType: SunbirdQuestionType;
  questionTitle: string;
  questionDescription: string;
  /** Seconds the user took to answer. */
  questionDuration: number;
  /** 1 understood, 0 not understood. */
  questionScore: number;
  questionMaxScore: number;
  /** JSON text of the options; null for a text question (a null cell). */
  questionOptions: string | null;
  /** JSON text of the picked option, the typed text, or "" when the user withheld consent. */
  questionResponse: string;
  xPath: string;
  eof: boolean;
  answeredMs: number;
  ingestedMs: number;
  /** UTC day of ingestedMs: the file that holds the row. */
  ingestionDay: string;
  /** UTC day of answeredMs. */
  answerDay: string;
  /** The header era of the file that holds it. */
  era: SunbirdEra;
  /** Served malformed (the connector must quarantine it); null = a good row. */
  invalid: SunbirdInvalidKind | null;
}

export interface SunbirdConversation {
  key: string;
  botId: string;
  deviceId: string;
  sessionId: string;
  flow: string;
  startMs: number;
  /** Reached the flow's last step (its last answer has Eof true). */
  completed: boolean;
  answers: SunbirdAnswer[];
}

export interface SunbirdUser {
  botId: string;
  conversationName: string;
  /** Device UUID = the response exhaust's Device ID. */
  deviceUuid: string;
  /** `phone:91` + 10 digits, or "" when the user did not consent. */
  phone: string;
  consented: boolean;
  /** Base64 text. */
  encryptedDeviceId: string;
}

const SECOND = 1000;
const MINUTE = 60_000;
const DAY = 86_400_000;
/** Every answer of a conversation lies within this of its start (7 gaps of at most 6 minutes, with room). */
export const SUNBIRD_MAX_SPAN_MS = 45 * MINUTE;
/** The longest ingestion lag. */
export const SUNBIRD_MAX_LAG_MS = 20 * MINUTE;

export function dayStartMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) throw new Error(`not a UTC day: "${day}"`);
  return ms;
}
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => utcDay(dayStartMs(day) + n * DAY);

/** The header era of the file of ingestion day `day`. */
export function sunbirdEra(day: string, options: Pick<SunbirdGeneratorOptions, 'v2From' | 'v3From'>): SunbirdEra {
  if (options.v2From !== undefined && day < options.v2From) return 'v1';
  if (options.v3From !== undefined && day < options.v3From) return 'v2';
  return 'v3';
}

export function sunbirdUsersPerBot(options: SunbirdGeneratorOptions): number {
  return options.usersPerBot ?? Math.max(10, 2 * Math.round(options.conversationsPerDay));
}

/** The bot's Conversation Name (stable per bot id). */
export function sunbirdBotName(botId: string): string {
  return SUNBIRD_BOT_NAMES[hashString(botId, 0xb0) % SUNBIRD_BOT_NAMES.length] as string;
}

/** The flows bot `botId` runs: 2 to 4 of the catalogue, stable per bot id. */
export function sunbirdFlowsFor(botId: string): SunbirdFlow[] {
  const rng = new Rng(hashString(botId, 0xf1));
  const count = rng.int(2, 4);
  const picked: SunbirdFlow[] = [];
  while (picked.length < count) {
    const flow = rng.pick(SUNBIRD_FLOWS);
    if (!picked.includes(flow)) picked.push(flow);
  }
  return picked;
}

/** The bot's whole user pool, by index (what the private exhaust lists). */
export function sunbirdUsers(botId: string, options: SunbirdGeneratorOptions): SunbirdUser[] {
  const conversationName = sunbirdBotName(botId);
  const users: SunbirdUser[] = [];
  for (let j = 0; j < sunbirdUsersPerBot(options); j++) {
    const key = `${options.seed}/${botId}/user/${j}`;
    const rng = new Rng(hashString(key, 0x05e7));
    const consented = !rng.chance(0.1);
    // Indian mobile numbers start with 6–9.
    const phone = `phone:91${rng.int(6, 9)}${String(rng.int(0, 999_999_999)).padStart(9, '0')}`;
    const bytes = Buffer.alloc(48);
    for (let w = 0; w < 12; w++) bytes.writeUInt32BE(hashString(key, 0xe0 + w), w * 4);
    users.push({ botId, conversationName, deviceUuid: uuidFrom(key), phone: consented ? phone : '', consented, encryptedDeviceId: bytes.toString('base64') });
  }
  return users;
}

/** A whole number in one of the weighted [lo, hi] ranges (both inclusive). */
const fromBands = (rng: Rng, bands: ReadonlyArray<readonly [readonly [number, number], number]>): number => {
  const [lo, hi] = rng.weighted(bands);
  return rng.int(lo, hi);
};
const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
const optionJson = (labels: readonly string[], picks: readonly number[]) => JSON.stringify(picks.map((i) => ({ [String(i + 1)]: { text: `${i + 1} ${labels[i]}` } })));

/** Every conversation of `botId` starting on UTC day `day` (YYYY-MM-DD), ordered by start. */
export function conversationsStartingOn(botId: string, day: string, options: SunbirdGeneratorOptions): SunbirdConversation[] {
  const dayStart = dayStartMs(day);
  const count = Math.round(options.conversationsPerDay * (0.7 + 0.6 * new Rng(hashString(`${botId}/${day}`, options.seed)).next()));
  const users = sunbirdUsers(botId, options);
  const flows = sunbirdFlowsFor(botId);
  const every = options.invalidEvery ?? 0;
  let answerNumber = 0; // 1-based over the (bot, day), in generation order: what invalidEvery counts
  const invalidKind = (): SunbirdInvalidKind | null => {
    answerNumber++;
    if (every < 2 || answerNumber % every !== 0) return null;
    return (answerNumber / every) % 2 === 1 ? 'missing-device' : 'bad-timestamp';
  };
  const out: SunbirdConversation[] = [];
  for (let i = 0; i < count && users.length > 0; i++) {
    const key = `${options.seed}/${botId}/${day}/${i}`;
    out.push(makeConversation(new Rng(hashString(key, 0xc0)), key, botId, dayStart, users, flows, options, invalidKind));
  }
  return out.sort((a, b) => a.startMs - b.startMs || (a.key < b.key ? -1 : 1));
}

function makeConversation(
  rng: Rng,
  key: string,
  botId: string,
  dayStart: number,
  users: readonly SunbirdUser[],
  flows: readonly SunbirdFlow[],
  options: SunbirdGeneratorOptions,
  invalidKind: () => SunbirdInvalidKind | null,
): SunbirdConversation {
  // Some users come back much more often than others.
  const user = users[Math.floor(users.length * rng.next() ** 1.6)] as SunbirdUser;
  const flow = rng.pick(flows);
  const opener = rng.weighted<SunbirdStep | undefined>([[SUNBIRD_OPENERS[0], 40], [SUNBIRD_OPENERS[1], 20], [undefined, 40]]);
  const steps: Array<{ step: SunbirdStep; flowName: string; index: number }> = [
    ...(opener ? [{ step: opener, flowName: 'start', index: 0 }] : []),
    ...flow.steps.map((step, index) => ({ step, flowName: flow.name, index })),
  ];
  const completed = steps.length === 1 || rng.chance(0.55);
  const answered = completed ? steps.length : rng.int(1, steps.length - 1);
  // A few start in the day's last 25 minutes: their later answers (and late ingestions) cross midnight.
  const startMs = rng.chance(0.06) ? dayStart + DAY - rng.int(SECOND, 25 * MINUTE) : dayStart + rng.int(0, DAY - 1);
  const sessionId = uuidFrom(`${key}/session`);
  const sessionCell = rng.weighted<'id' | 'empty' | 'null'>([['id', 48], ['empty', 1], ['null', 1]]);
  const servedSessionId = sessionCell === 'id' ? sessionId : sessionCell === 'empty' ? '' : null;
  const conversationName = sunbirdBotName(botId);

  const answers: SunbirdAnswer[] = [];
  let at = startMs;
  for (let k = 0; k < answered; k++) {
    const { step, flowName, index } = steps[k] as (typeof steps)[number];
    const gapMs = k === 0 ? 0 : fromBands(rng, [[[5 * SECOND, MINUTE], 70], [[MINUTE, 4 * MINUTE], 25], [[4 * MINUTE, 6 * MINUTE], 5]]);
    at += gapMs;
    const duration = k === 0 ? rng.int(1, 45) : Math.max(1, Math.round(gapMs / SECOND));
    let response: string;
    let score = 1;
    if (step.type === 'SINGLE_SELECT') {
      const labels = step.options ?? [];
      if (rng.chance(0.12)) {
        response = rng.pick(SUNBIRD_UNMATCHED_REPLIES);
        score = 0;
      } else response = optionJson(labels, [rng.int(0, labels.length - 1)]);
    } else if (rng.chance(0.1)) {
      response = rng.pick(SUNBIRD_GIBBERISH);
      score = 0;
    } else response = rng.pick(step.replies ?? ['ok']);
    const lagMs = fromBands(rng, [[[SECOND, MINUTE], 80], [[MINUTE, 5 * MINUTE], 15], [[5 * MINUTE, SUNBIRD_MAX_LAG_MS], 5]]);
    const ingestedMs = at + lagMs;
    const ingestionDay = utcDay(ingestedMs);
    answers.push({
      botId,
      conversationName,
      conversationKey: key,
      answerIndex: k,
      messageId: uuidFrom(`${key}/answer/${k}`),
      deviceId: user.deviceUuid,
      sessionId,
      servedSessionId,
      questionId: `${hex(hashString(`${botId}/${flowName}/${index}/${step.title}`, 0x91), 8)}-${slug(step.title).slice(0, 24)}`,
      questionType: step.type,
      questionTitle: step.title,
      questionDescription: step.description,
      questionDuration: duration,
      questionScore: score,
      questionMaxScore: 1,
      questionOptions: step.type === 'SINGLE_SELECT' ? optionJson(step.options ?? [], (step.options ?? []).map((_, i) => i)) : null,
      questionResponse: user.consented ? response : '',
      xPath: `/data/${slug(flowName)}/${slug(step.title)}`,
      eof: completed && k === answered - 1,
      answeredMs: at,
      ingestedMs,
      ingestionDay,
      answerDay: utcDay(at),
      era: sunbirdEra(ingestionDay, options),
      invalid: invalidKind(),
    });
  }
  return { key, botId, deviceId: user.deviceUuid, sessionId, flow: flow.name, startMs, completed, answers };
}

/** Where answers come from: the generator, or a cache of it (the server's). */
export type SunbirdConversationSource = (botId: string, day: string) => readonly SunbirdConversation[];
const generated = (options: SunbirdGeneratorOptions): SunbirdConversationSource => (botId, day) => conversationsStartingOn(botId, day, options);

const byIngestion = (a: SunbirdAnswer, b: SunbirdAnswer) => a.ingestedMs - b.ingestedMs || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

/** Every answer ingested on `day` (what that day's file holds, at the end of the day), by ingestion time. */
export function answersIngestedOn(botId: string, day: string, options: SunbirdGeneratorOptions, source: SunbirdConversationSource = generated(options)): SunbirdAnswer[] {
  const out: SunbirdAnswer[] = [];
  for (const d of [addDays(day, -1), day]) {
    for (const c of source(botId, d)) for (const a of c.answers) if (a.ingestionDay === day) out.push(a);
  }
  return out.sort(byIngestion);
}

/** Every answer given on `day` (by answer time), by answer time. */
export function answersAnsweredOn(botId: string, day: string, options: SunbirdGeneratorOptions, source: SunbirdConversationSource = generated(options)): SunbirdAnswer[] {
  const out: SunbirdAnswer[] = [];
  for (const d of [addDays(day, -1), day]) {
    for (const c of source(botId, d)) for (const a of c.answers) if (a.answerDay === day) out.push(a);
  }
  return out.sort((a, b) => a.answeredMs - b.answeredMs || (a.messageId < b.messageId ? -1 : 1));
}
