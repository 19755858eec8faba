/**
 * Deterministic Kore.ai bot sessions and their intent events, with their ground truth, for the
 * simulator and the tests. Shaped like getSessions sessions and getAnalytics rows (seed 003,
 * sources.md §3).
 *
 * Sessions are generated per (bot id, UTC start day) from (seed, bot id, day), so any window's
 * contents can be recomputed from the days it touches. A session lasts at most KORE_MAX_SESSION_MS
 * (well under a day), so a session that crosses midnight started the day before: whoever needs
 * every event of a day asks for that day and the one before.
 *
 * The truth says what happened, as plain data: how the session ended (its containment type), its
 * message times, and its intent events (success: an intent name was recognised; fail: the
 * utterance was not understood). `served(asOfMs)` renders the session as getSessions shows it at
 * that instant: while it is running (start ≤ asOf < end) it has no end_time, is "active", and
 * counts only the messages sent so far. `intentRow` renders one event as a getAnalytics row.
 *
 * Traps on purpose: containmentType casing varies per session (and is sometimes absent); some
 * userIds are e-mail addresses or phone numbers (personal data); about 1 in 6 intent rows has no
 * messageId; with `invalidEvery` every Nth session of a (bot, day) is served with an unparsable
 * start_time. Two events of one session share a timestamp only as a (success, fail) pair, so the
 * earliest / latest success intent of a session is never a tie.
 */
import { Rng, hashString, hex } from '../random.js';

export type KoreContainment = 'selfService' | 'agent' | 'dropOff';
export const KORE_CONTAINMENTS: readonly KoreContainment[] = ['selfService', 'agent', 'dropOff'];

export const KORE_CHANNELS = ['rtm', 'msteams', 'whatsapp', 'korevg', 'slack'] as const;
export type KoreChannel = (typeof KORE_CHANNELS)[number];

/** Intents that say nothing about what the user wanted (the marts skip them for first_meaningful_intent). */
export const KORE_NOT_MEANINGFUL_INTENTS: readonly string[] = ['Greeting', 'Default Welcome', 'Thank you', 'Goodbye'];
/** Every intent any bot knows; each bot uses a subset (koreIntentsFor). */
export const KORE_INTENT_CATALOGUE: readonly string[] = [
  'Order status',
  'Reset password',
  'Opening hours',
  'Refund request',
  'Change address',
  'Cancel order',
  'Track parcel',
  'Update payment method',
  'Book appointment',
  'Store locator',
  'Speak to agent',
  ...KORE_NOT_MEANINGFUL_INTENTS,
];

/** The longest a session lasts (3 h): sessions cross at most one midnight. */
export const KORE_MAX_SESSION_MS = 3 * 3_600_000;

export interface KoreGeneratorOptions {
  seed: number;
  /** Mean sessions per bot per day; each day's count varies deterministically by up to ±30%. */
  sessionsPerDay: number;
  /** Every Nth session of a (bot, day) (N ≥ 2) is served with start_time "not-a-date"; 0 = none. */
  invalidEvery?: number;
}

export interface KoreIntentEvent {
  type: 'success' | 'fail';
  /** The recognised intent (success); null for a fail event. */
  intent: string | null;
  /** One of the session's message times. */
  timestampMs: number;
  /** Absent (null) on about 1 in 6 rows. */
  messageId: string | null;
  utterance: string;
}

export interface KoreSessionTruth {
  sessionId: string;
  botId: string;
  startMs: number;
  /** When it ends (may be after the clock: then it is served active, without end_time). */
  endMs: number;
  containment: KoreContainment;
  /** containmentType exactly as served (casing varies; undefined = the field is absent). */
  servedContainmentType: string | undefined;
  channel: KoreChannel;
  userId: string;
  /** The userId is an e-mail address or a phone number: personal data the connector keeps as `pii` says. */
  userIdPersonal: boolean;
  languages: string[];
  sessionType: 'interactive' | 'non-interactive';
  isDeveloper: boolean;
  /** Ascending and distinct; the first at startMs and (with two or more) the last at endMs. */
  messageTimesMs: number[];
  tasks: number;
  /** In timestamp order (a shared timestamp: success before fail). */
  intents: KoreIntentEvent[];
  /** Served with start_time "not-a-date": the connector must quarantine it. */
  invalid: boolean;
}

export interface KoreSession {
  truth: KoreSessionTruth;
  /** The session as getSessions serves it when the clock reads `asOfMs` (≥ its start). */
  served(asOfMs: number): Record<string, unknown>;
  /** One of its events as a getAnalytics row. */
  intentRow(event: KoreIntentEvent): Record<string, unknown>;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const CASINGS: Record<KoreContainment, ReadonlyArray<readonly [string | undefined, number]>> = {
  selfService: [['selfService', 4], ['Selfservice', 2], ['selfservice', 2], [undefined, 1]],
  dropOff: [['dropOff', 4], ['dropoff', 2], ['DropOff', 2], [undefined, 1]],
  agent: [['agent', 5], ['Agent', 2], [undefined, 1]],
};
const CHANNEL_WEIGHTS: ReadonlyArray<readonly [KoreChannel, number]> = [['rtm', 55], ['msteams', 12], ['whatsapp', 12], ['korevg', 14], ['slack', 7]];
const LANGUAGES: ReadonlyArray<readonly [string[], number]> = [[['en'], 70], [['de'], 12], [['de', 'en'], 8], [['fr'], 5], [['es'], 5]];
const FIRST_NAMES = ['anna', 'ben', 'clara', 'david', 'elif', 'felix', 'greta', 'hamza', 'ines', 'jonas'];
const LAST_NAMES = ['schmidt', 'mueller', 'yilmaz', 'novak', 'rossi', 'dubois', 'garcia', 'kowalski'];
const UTTERANCES: Record<string, readonly string[]> = {
  'Order status': ['where is my order', 'has my order shipped yet?', 'order status please'],
  'Reset password': ['I forgot my password', 'reset password', 'cannot log in'],
  'Opening hours': ['when are you open', 'opening hours saturday?'],
  'Refund request': ['I want my money back', 'refund for a broken item'],
  'Change address': ['I moved, change my address', 'update delivery address'],
  'Cancel order': ['cancel my order', 'please cancel the last order'],
  'Track parcel': ['track my parcel', 'where is the package'],
  'Update payment method': ['change my credit card', 'new payment method'],
  'Book appointment': ['book an appointment', 'can I come in on monday'],
  'Store locator': ['nearest store', 'is there a shop in hamburg'],
  'Speak to agent': ['talk to a human', 'agent please', 'I want to speak to someone'],
  Greeting: ['hi', 'hello', 'hey there'],
  'Default Welcome': ['start', 'get started'],
  'Thank you': ['thanks', 'thank you!'],
  Goodbye: ['bye', 'that is all'],
};
const NOT_UNDERSTOOD = ['asdf', 'can my cat use this', 'hmm', 'the thing from yesterday', 'wie geht das', 'purple monkey dishwasher', '???'];

/** The intents bot `botId` knows: the not-meaningful ones, "Speak to agent" and 4–6 of the rest. */
export function koreIntentsFor(botId: string): string[] {
  const rng = new Rng(hashString(botId, 0x1e7e));
  const rest = KORE_INTENT_CATALOGUE.filter((name) => name !== 'Speak to agent' && !KORE_NOT_MEANINGFUL_INTENTS.includes(name));
  const picked: string[] = [];
  const count = rng.int(4, 6);
  while (picked.length < count) {
    const name = rng.pick(rest);
    if (!picked.includes(name)) picked.push(name);
  }
  return [...picked, 'Speak to agent', ...KORE_NOT_MEANINGFUL_INTENTS];
}

/** A UUID-shaped id from a key (deterministic, not random). */
function uuid(key: string): string {
  const a = hashString(key, 1);
  const b = hashString(key, 2);
  const c = hashString(key, 3);
  const d = hashString(key, 4);
  return `${hex(a, 8)}-${hex(b, 4)}-4${hex(b >>> 16, 3)}-a${hex(c, 3)}-${hex(c >>> 12, 4)}${hex(d, 8)}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Every session of `botId` starting on UTC day `day` (YYYY-MM-DD), ordered by start. */
export function sessionsStartingOn(botId: string, day: string, options: KoreGeneratorOptions): KoreSession[] {
  const dayStart = Date.parse(`${day}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(dayStart)) throw new Error(`not a UTC day: "${day}"`);
  const count = Math.round(options.sessionsPerDay * (0.7 + 0.6 * new Rng(hashString(`${botId}/${day}`, options.seed)).next()));
  const every = options.invalidEvery ?? 0;
  const out: KoreSession[] = [];
  for (let i = 0; i < count; i++) {
    const key = `${options.seed}/${botId}/${day}/${i}`;
    out.push(makeSession(new Rng(hashString(key, 0x5e55)), key, botId, dayStart, every >= 2 && i % every === every - 1));
  }
  return out.sort((a, b) => a.truth.startMs - b.truth.startMs || (a.truth.sessionId < b.truth.sessionId ? -1 : 1));
}

function makeUser(rng: Rng, key: string): { userId: string; personal: boolean } {
  const kind = rng.weighted([['uuid', 76], ['email', 12], ['phone', 12]] as const);
  if (kind === 'email') return { userId: `${rng.pick(FIRST_NAMES)}.${rng.pick(LAST_NAMES)}${rng.int(1, 99)}@example.com`, personal: true };
  if (kind === 'phone') return { userId: `+49151${String(rng.int(0, 99_999_999)).padStart(8, '0')}`, personal: true };
  return { userId: `u-${uuid(`${key}/user`)}`, personal: false };
}

/** `count` distinct ascending times in [startMs, endMs], the first and last at the ends. */
function messageTimes(rng: Rng, startMs: number, endMs: number, count: number): number[] {
  const times = new Set<number>([startMs, endMs]);
  while (times.size < count) times.add(rng.int(startMs + 1, endMs - 1));
  return [...times].sort((a, b) => a - b).slice(0, Math.max(count, 1));
}

function makeIntents(rng: Rng, key: string, botId: string, containment: KoreContainment, times: number[]): KoreIntentEvent[] {
  const known = koreIntentsFor(botId);
  const meaningful = known.filter((name) => name !== 'Speak to agent' && !KORE_NOT_MEANINGFUL_INTENTS.includes(name));
  // Events sit on distinct message times (the user's turns): 1 to 5 of them.
  const slots = [...times];
  const count = Math.min(slots.length, rng.int(1, 5));
  const chosen: number[] = [];
  while (chosen.length < count) {
    const at = slots.splice(rng.int(0, slots.length - 1), 1)[0] as number;
    chosen.push(at);
  }
  chosen.sort((a, b) => a - b);
  const failShare = containment === 'dropOff' ? 0.45 : 0.2;
  const events: Array<Omit<KoreIntentEvent, 'messageId'>> = [];
  chosen.forEach((timestampMs, k) => {
    let intent: string | null;
    if (containment === 'agent' && k === chosen.length - 1 && rng.chance(0.85)) intent = 'Speak to agent';
    else if (k === 0 && rng.chance(0.35)) intent = rng.pick(['Greeting', 'Default Welcome']);
    else if (rng.chance(failShare)) intent = null;
    else if (k === chosen.length - 1 && rng.chance(0.1)) intent = rng.pick(['Thank you', 'Goodbye']);
    else intent = rng.pick(meaningful);
    const utterance = intent === null ? rng.pick(NOT_UNDERSTOOD) : rng.pick(UTTERANCES[intent] ?? [intent.toLowerCase()]);
    events.push({ type: intent === null ? 'fail' : 'success', intent, timestampMs, utterance });
    // Rarely, one utterance yields a recognised intent and a not-understood part at the same instant.
    if (intent !== null && rng.chance(0.03)) events.push({ type: 'fail', intent: null, timestampMs, utterance: rng.pick(NOT_UNDERSTOOD) });
  });
  return events.map((event, k) => {
    const idKey = `${key}/event/${k}`;
    return { ...event, messageId: hashString(idKey, 6) % 6 === 0 ? null : `ms-${uuid(idKey)}` };
  });
}

function makeSession(rng: Rng, key: string, botId: string, dayStart: number, invalid: boolean): KoreSession {
  const containment = rng.weighted([['selfService', 50], ['agent', 25], ['dropOff', 25]] as const);
  const servedContainmentType = rng.weighted(CASINGS[containment]);
  const channel = rng.weighted(CHANNEL_WEIGHTS);
  // Start anywhere in the day; a few in its last 20 minutes, so they run past midnight.
  const startMs = rng.chance(0.06) ? dayStart + DAY - rng.int(1, 20 * MINUTE) : dayStart + rng.int(0, DAY - 1);
  const band = rng.weighted([['short', 80], ['long', 14], ['very long', 6]] as const);
  const durationMs =
    band === 'short' ? rng.int(MINUTE, 20 * MINUTE) : band === 'long' ? rng.int(20 * MINUTE, 60 * MINUTE) : rng.int(60 * MINUTE, KORE_MAX_SESSION_MS);
  const endMs = startMs + durationMs;
  const sessionType = rng.chance(0.1) ? 'non-interactive' : 'interactive';
  const messageCount = sessionType === 'non-interactive' ? rng.int(1, 3) : rng.int(2, Math.min(40, 4 + Math.floor(durationMs / MINUTE)));
  const times = messageTimes(rng, startMs, endMs, messageCount);
  const user = makeUser(rng, key);
  const languages = rng.weighted(LANGUAGES);
  const isDeveloper = rng.chance(0.05);
  const tasks = containment === 'agent' ? rng.int(1, 4) : containment === 'selfService' ? rng.int(0, 3) : rng.int(0, 1);
  // Non-interactive sessions have no user messages, so nothing to recognise; some others none either.
  const intents = sessionType === 'interactive' && !rng.chance(0.12) ? makeIntents(rng, key, botId, containment, times) : [];
  const userTags = rng.chance(0.3) ? [rng.pick([{ name: 'regular', value: 'newuser' }, { name: 'tier', value: 'gold' }, { name: 'region', value: 'emea' }])] : [];
  const sessionId = `${hex(hashString(key, 11), 8)}${hex(hashString(key, 12), 8)}${hex(hashString(key, 13), 8)}`;

  const truth: KoreSessionTruth = {
    sessionId,
    botId,
    startMs,
    endMs,
    containment,
    servedContainmentType,
    channel,
    userId: user.userId,
    userIdPersonal: user.personal,
    languages,
    sessionType,
    isDeveloper,
    messageTimesMs: times,
    tasks,
    intents,
    invalid,
  };

  const served = (asOfMs: number): Record<string, unknown> => {
    const active = asOfMs < endMs;
    return {
      sessionId,
      botId,
      channel,
      userId: user.userId,
      start_time: invalid ? 'not-a-date' : iso(startMs),
      ...(active ? {} : { end_time: iso(endMs) }),
      session_lang: [...languages],
      sessionType,
      ...(servedContainmentType !== undefined ? { containmentType: servedContainmentType } : {}),
      sessionStatus: active ? 'active' : 'closed',
      isDeveloper,
      tags: { userTags: userTags.map((t) => ({ ...t })), sessionTags: [] },
      noOfMessagesExchanged: times.filter((t) => t <= asOfMs).length,
      noOfTasksExecuted: active ? Math.min(tasks, Math.floor((tasks * (asOfMs - startMs)) / durationMs)) : tasks,
    };
  };

  const intentRow = (event: KoreIntentEvent): Record<string, unknown> => ({
    sessionId,
    userId: user.userId,
    channel,
    language: languages[0],
    ...(event.intent !== null ? { intent: event.intent } : {}),
    utterance: event.utterance,
    timestamp: iso(event.timestampMs),
    ...(event.messageId !== null ? { messageId: event.messageId } : {}),
  });

  return { truth, served, intentRow };
}
