// Deterministic Ultimate export data: the ground truth the simulator serves and the connector's tests
// check against. Everything derives from hash(seed|bot|date) and the conversation's index, so any file
// of any day can be produced alone, in any order, on any machine, with the same bytes.
// Two views of one conversation: the canonical TruthConversation (what the connector must produce
// after normalising) and its wire line (with the quirks seen in real exports, see sources.md §1).
import { Rng, hashString, hex, mix32 } from '../random.js';

export interface UltimateGeneratorOptions {
  seed: number; // default 42
  conversationsPerDay: number; // mean per bot per export day (actual count varies ±30%); default 40
  shape?: 'realistic' | 'bench'; // bench: ~1–1.5 KB per conversation for throughput runs; default realistic
  quirks?: boolean; // default true: wire quirks on a minority of records
  invalidEvery?: number; // default 0 = none; else about 1 in N lines of an export is an invalid record (N ≥ 2)
  /**
   * default false. true: edge days the marts' rules must handle are present whatever the date —
   * every 6th UTC day of a bot is quiet (a handful of conversations start that day, all of them
   * test or agent-assist ones, so the day has conversations but none is counted), and every
   * export opens with a conversation that started the day before (so the day before a sync's
   * first export day always has conversations, all of them incomplete). Also what real exports
   * contain and the marts must handle: about 1 in 11 conversations has no `conversation_status`
   * (null, with a null `last_resolution`); about 1 in 7 with two or more intents has its first
   * array element untimed (`intent_timestamp` null); and each export's record 1 is a conversation
   * of the day before re-opened — one of its records 2–4 that started on that day (same id and
   * start) ending again on this day, with what happened since, so one conversation is in two exports
   * and the newer one is the truth.
   */
  edgeCases?: boolean;
}
export interface TruthIntent { intent_id: string; intent_name: string; intent_timestamp: string | null; not_meaningful: boolean }
export interface TruthReply {
  reply_id: string; reply_name: string; reply_type: string; reply_language: string; reply_timestamp: string; intent_id: string;
}
export interface TruthConversation {
  bot_id: string; bot_name: string; conversation_id: string; platform_conversation_id: string;
  conversation_start_time: string; conversation_end_time: string; // ISO UTC with ms: YYYY-MM-DDTHH:mm:ss.sssZ
  language: string; channel: 'chat' | 'ticket'; labels: string[]; conversations_data: Record<string, unknown>;
  test_mode: boolean; conversation_status: string | null; last_resolution: string | null;
  triggered_replies: TruthReply[];
  triggered_intent_replies: TruthIntent[]; // source order: not always sorted, some timestamps equal
  is_llm_conversation: boolean; llm_notUnderstood_count: number; llm_responseGenerated_count: number;
  llm_errorOccurred_count: number; llm_escalationRequired_count: number; llm_fallback_count: number;
  bot_messages_count: number; visitor_messages_count: number; not_understood_messages_count: number;
  conversation_type?: string; automated_resolution?: boolean; // v3 extras beyond the seed's schema
}
/** `grown`: the day's last file has grown since it first appeared (late conversations appended). */
export interface ExportDayState { grown?: boolean }
export type InvalidKind = 'not_json' | 'missing_conversation_id' | 'bad_timestamp' | 'bad_count';

type Options = Required<UltimateGeneratorOptions>;
export function resolveGeneratorOptions(opts: Partial<UltimateGeneratorOptions> = {}): Options {
  const o: Options = { seed: 42, conversationsPerDay: 40, shape: 'realistic', quirks: true, invalidEvery: 0, edgeCases: false, ...opts };
  if (!(o.conversationsPerDay >= 0 && o.conversationsPerDay <= 10_000_000)) throw new RangeError('conversationsPerDay must be 0..10,000,000');
  if (o.invalidEvery === 1 || o.invalidEvery < 0) throw new RangeError('invalidEvery must be 0 (off) or ≥ 2');
  return o;
}

const DAY = 86_400_000, HOUR = 3_600_000, MINUTE = 60_000;
const CHUNK_CHARS = 64 * 1024;
const INVALID_INDEX_BASE = 0x8000000; // invalid records are built from indices no real record reaches (< 13M)
const GREETING = 'Greeting', HUMAN = 'Talk to a human/agent';
const BUSINESS = ['Order status', 'Refund request', 'Cancel subscription', 'Change address', 'Payment issue', 'Delivery delay', 'Product information', 'Account login'];
const ESCALATED = new Set(['agent', 'email', 'customEscalation']);
const STATUSES = [['botHandled', 45], ['agent', 18], ['email', 7], ['customEscalation', 6], ['failedEscalation', 6], ['notHandled', 18]] as const;
const RESOLUTIONS: Record<string, readonly (readonly [string | null, number])[]> = {
  botHandled: [['informed', 50], ['resolved', 45], [null, 5]],
  notHandled: [['informed', 40], [null, 60]],
  failedEscalation: [['escalated', 30], [null, 70]],
  escalated: [['escalated', 80], [null, 20]],
};
const LANGUAGES = [['en', 60], ['de', 12], ['fr', 10], ['es', 8], ['nl', 6], ['pt', 4]] as const;
const LABELS = ['vip', 'billing', 'returns', 'new_customer', 'priority', 'spam', 'follow_up'];
const TIERS = ['free', 'basic', 'pro', 'enterprise'];
const FIRST = ['Alex', 'Maria', 'Jonas', 'Lea', 'Sam', 'Noor', 'Ivan', 'Chloe'], LAST = ['Meyer', 'Garcia', 'Smith', 'Dubois', 'Jansen', 'Rossi'];
const REPLY_TYPES = ['text', 'buttons', 'carousel', 'dynamic', 'llm'];
// Intents per conversation: realistic exports are mostly short; bench ones heavier (mean ~1.3 KB a line).
const INTENT_COUNTS = {
  realistic: [[0, 25], [1, 40], [2, 20], [3, 10], [4, 3], [5, 2]],
  bench: [[0, 15], [1, 25], [2, 25], [3, 17], [4, 10], [5, 8]],
} as const;

// Wire quirks as bit flags, drawn for every record whether or not quirks are on (the truth never depends on them).
const Q_UPPER_KEYS = 1, Q_ALT_DATA_KEY = 2, Q_COUNTS_AS_STRINGS = 4, Q_EPOCH_TIMES = 8, Q_DATA_AS_STRING = 16;

const FIELDS = ['bot_id', 'bot_name', 'conversation_id', 'platform_conversation_id', 'conversation_start_time', 'conversation_end_time',
  'language', 'channel', 'labels', 'conversations_data', 'conversation_data', 'test_mode', 'conversation_status', 'last_resolution',
  'triggered_replies', 'triggered_intent_replies', 'is_llm_conversation', 'llm_notUnderstood_count', 'llm_responseGenerated_count',
  'llm_errorOccurred_count', 'llm_escalationRequired_count', 'llm_fallback_count', 'bot_messages_count', 'visitor_messages_count',
  'not_understood_messages_count', 'conversation_type', 'automated_resolution'] as const;
type WireKeys = Record<(typeof FIELDS)[number], string>;
const keyTable = (upper: boolean): WireKeys =>
  Object.fromEntries(FIELDS.map((f) => [f, `"${upper ? f.toUpperCase() : f}":`])) as WireKeys;
const LOWER_KEYS = keyTable(false), UPPER_KEYS = keyTable(true);

// Fast ISO formatting: the date part is cached per UTC day, the time part comes from lookup tables.
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();
function iso(ms: number): string {
  const day = Math.floor(ms / DAY);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size > 4096) dayPrefixes.clear();
    prefix = new Date(day * DAY).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY;
  const h = Math.floor(rest / HOUR); rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE); rest -= m * MINUTE;
  const s = Math.floor(rest / 1000);
  return prefix + PAD2[h] + ':' + PAD2[m] + ':' + PAD2[s] + '.' + PAD3[rest - s * 1000] + 'Z';
}

// Per-bot constants (ids, names, pre-serialised JSON fragments), cached: a bot's intents and replies
// keep the same ids across conversations and days, as in a real bot.
interface ReplyDef { id: string; name: string; type: string; head: string }
interface IntentDef { id: string; name: string; head: string; replies: ReplyDef[] }
interface BotConstants { idJson: string; nameJson: string; name: string; idHex: string; intents: IntentDef[] }
const bots = new Map<string, BotConstants>();
const objectId = (key: string): string => hex(hashString(key, 1), 8) + hex(hashString(key, 2), 8) + hex(hashString(key, 3), 8);
function botConstants(botId: string): BotConstants {
  let bot = bots.get(botId);
  if (bot) return bot;
  const kinds = ['Support', 'Sales', 'Billing', 'Onboarding'];
  const name = `${kinds.find((k) => botId.toLowerCase().includes(k.toLowerCase())) ?? kinds[hashString(botId) % 4]} Assistant`;
  const intents = [GREETING, HUMAN, ...BUSINESS].map((intentName, n): IntentDef => {
    const id = objectId(`${botId}|intent|${intentName}`);
    const replies = [0, 1].map((v): ReplyDef => {
      const r = { id: objectId(`${botId}|reply|${intentName}|${v}`), name: `${intentName} - ${v ? 'follow-up' : 'answer'}`, type: REPLY_TYPES[(n + v) % REPLY_TYPES.length] as string };
      return { ...r, head: `{"reply_id":"${r.id}","reply_name":${JSON.stringify(r.name)},"reply_type":"${r.type}","reply_language":"` };
    });
    return { id, name: intentName, head: `{"intent_id":"${id}","intent_name":${JSON.stringify(intentName)},"intent_timestamp":`, replies };
  });
  // 36 bits of bot hash in every conversation_id: ids stay unique across bots without embedding the raw bot id.
  bot = { idJson: JSON.stringify(botId), nameJson: JSON.stringify(name), name, idHex: hex(hashString(botId, 7), 8) + hex(hashString(botId, 8), 1), intents };
  if (bots.size > 10_000) bots.clear();
  bots.set(botId, bot);
  return bot;
}

interface Day { botId: string; date: string; opts: Options; startMs: number; hash: number; bot: BotConstants; baseCount: number; lateCount: number }
const unit = (h: number): number => h / 4294967296;
const QUIET_EVERY = 6;
const QUIET_COUNT = 3;

/** Where a (seed, bot) stands in the day cycles below: days rotate through them, offset per bot. */
function cyclePosition(seed: number, botId: string, dayStartMs: number, cycle: number): number {
  return (Math.floor(dayStartMs / DAY) + (hashString(`${seed}|${botId}`, 0xc1c1e) % cycle)) % cycle;
}

/** With edgeCases: the bot's quiet days (one in every QUIET_EVERY consecutive UTC days). */
function isQuietDay(opts: Options, botId: string, dayStartMs: number): boolean {
  return opts.edgeCases && cyclePosition(opts.seed, botId, dayStartMs, QUIET_EVERY) === 0;
}
function exportDay(botId: string, date: string, partial: Partial<UltimateGeneratorOptions>): Day {
  const opts = resolveGeneratorOptions(partial);
  const startMs = Date.parse(`${date}T00:00:00.000Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(startMs) || iso(startMs).slice(0, 10) !== date) throw new RangeError(`invalid export date "${date}" (want YYYY-MM-DD)`);
  const hash = hashString(`${opts.seed}|${botId}|${date}`);
  const usual = Math.round(opts.conversationsPerDay * (0.7 + 0.6 * unit(mix32(hash ^ 0x5eed))));
  // A quiet day's export: the conversations that crossed into it plus QUIET_COUNT of its own.
  const baseCount = isQuietDay(opts, botId, startMs) ? Math.min(usual, QUIET_COUNT + 1) : usual;
  return { botId, date, opts, startMs, hash, bot: botConstants(botId), baseCount, lateCount: 1 + (mix32(hash ^ 0x1a7e) % 3) };
}

// Files per day and file formats rotate through fixed cycles (offset per bot), so any 5 consecutive
// days of a bot hold a multi-file day and a gzip day, any 7 a JSON-array day: what a test's range
// exercises never depends on the calendar date.
const FILE_COUNTS = [1, 2, 1, 1, 3, 1, 1, 2, 1, 1] as const;
const FORMATS = [
  { gzip: false, jsonArray: false }, { gzip: true, jsonArray: false }, { gzip: false, jsonArray: false }, { gzip: false, jsonArray: true },
  { gzip: false, jsonArray: false }, { gzip: false, jsonArray: false }, { gzip: true, jsonArray: true }, { gzip: false, jsonArray: false },
  { gzip: true, jsonArray: false }, { gzip: false, jsonArray: false },
] as const;

/** 1..3 files per day (mostly 1). */
export function fileCountFor(botId: string, date: string, opts: Partial<UltimateGeneratorOptions> = {}): number {
  const day = exportDay(botId, date, opts);
  return FILE_COUNTS[cyclePosition(day.opts.seed, botId, day.startMs, FILE_COUNTS.length)] as number;
}
/** Most days plain NDJSON; 2 in 10 gzip, 1 in 10 a JSON array, 1 in 10 both. */
export function formatFor(botId: string, date: string, opts: Partial<UltimateGeneratorOptions> = {}): { gzip: boolean; jsonArray: boolean } {
  const day = exportDay(botId, date, opts);
  // A different phase from the file counts, so formats and file counts combine.
  const format = FORMATS[cyclePosition(day.opts.seed + 1, botId, day.startMs, FORMATS.length)] as { gzip: boolean; jsonArray: boolean };
  return { ...format };
}

interface Built { c: TruthConversation; quirks: number; startMs: number; endMs: number; intentMs: number[]; intentDefs: IntentDef[]; replyDefs: ReplyDef[] }

/** With edgeCases: record REOPENED_INDEX of an export is one of records REOPENS_INDICES of the day before's, ended again. */
const REOPENED_INDEX = 1, REOPENS_INDICES = [2, 3, 4] as const;
const NULL_STATUS_EVERY = 11, NULL_STATUS_AT = 4, UNTIMED_EVERY = 7, UNTIMED_AT = 3;

/**
 * The earlier version of a re-opened conversation (edgeCases): the first of the day before's
 * records REOPENS_INDICES that started on that day. Only such a one: re-opened, it still ends the
 * day after it started, the vendor's rule the marts' is_complete relies on (DECISIONLOG.md).
 */
function reopens(day: Day, i: number): Built | undefined {
  if (!day.opts.edgeCases || i !== REOPENED_INDEX) return undefined;
  const before = exportDay(day.botId, iso(day.startMs - DAY).slice(0, 10), day.opts);
  for (const index of REOPENS_INDICES) {
    if (index >= before.baseCount) return undefined;
    const earlier = build(before, index);
    if (earlier.startMs >= before.startMs) return earlier;
  }
  return undefined;
}

function build(day: Day, i: number): Built {
  const rng = new Rng(mix32(day.hash ^ Math.imul(i + 1, 0x9e3779b1)));
  const { bot } = day;
  const drawnCrossing = rng.chance(0.1);
  // With edgeCases every export opens with one from the day before; on a quiet day only that one crosses.
  const crossesMidnight = day.opts.edgeCases && i === 0 ? true : day.opts.edgeCases && isQuietDay(day.opts, day.botId, day.startMs) ? false : drawnCrossing;
  const endMs = day.startMs + (crossesMidnight ? rng.int(0, 2 * HOUR) : rng.int(0, DAY - 1));
  const drawnStartMs = crossesMidnight ? day.startMs - rng.int(1000, 3 * HOUR) : endMs - Math.floor(rng.next() * Math.min(endMs - day.startMs, 45 * MINUTE));
  const earlier = reopens(day, i);
  const startMs = earlier ? earlier.startMs : drawnStartMs;
  // A conversation that starts on a quiet day is a test or an agent-assist one (none is counted).
  const quietStart = isQuietDay(day.opts, day.botId, Math.floor(startMs / DAY) * DAY);
  const channel = rng.chance(0.75) ? 'chat' : 'ticket';
  const language = rng.weighted(LANGUAGES);
  const drawnSuggestion = rng.chance(0.05); // agent-assist conversations: the bot never speaks to the visitor
  const suggestionEngine = quietStart ? i % 2 === 1 : drawnSuggestion;
  const status = rng.weighted(STATUSES);
  const escalated = ESCALATED.has(status);
  const resolution = rng.weighted(RESOLUTIONS[escalated ? 'escalated' : status] as readonly (readonly [string | null, number])[]);
  const visitor = channel === 'chat' ? rng.int(1, 12) : rng.int(1, 4);
  const notUnderstood = rng.chance(0.6) ? 0 : rng.int(0, Math.min(visitor, 3));
  const llm = rng.chance(0.3);
  const labels = LABELS.filter(() => rng.chance(0.12));

  const data: Record<string, unknown> = {};
  if (rng.chance(0.6)) data.customer_tier = rng.pick(TIERS);
  if (rng.chance(0.4)) data.order_id = `A${rng.int(100000, 999999)}`;
  const dataAsString = rng.chance(0.1);
  if (dataAsString || rng.chance(0.1)) {
    const first = rng.pick(FIRST), last = rng.pick(LAST);
    data.email = `${first.toLowerCase()}.${last.toLowerCase()}${rng.int(1, 99)}@example.com`;
    data.name = `${first} ${last}`;
    // Nested personal data (a pii_fields path like "contact.phone"), derived without a draw.
    data.contact = { phone: `+44 7700 9${String(hashString(data.email as string) % 100_000).padStart(5, '0')}`, preferred: 'email' };
  }
  if (day.opts.shape === 'bench') data.page_url = `https://shop.example.com/help/orders/${rng.int(1000, 9999)}`;
  let quirks = (rng.chance(0.08) ? Q_UPPER_KEYS : 0) | (rng.chance(0.1) ? Q_ALT_DATA_KEY : 0) |
    (rng.chance(0.1) ? Q_COUNTS_AS_STRINGS : 0) | (rng.chance(0.08) ? Q_EPOCH_TIMES : 0) | (dataAsString ? Q_DATA_AS_STRING : 0);
  if (!day.opts.quirks) quirks = 0;

  // Intents: timestamps drawn inside the conversation and sorted, then disturbed on purpose — the
  // export's array order is not time order, and equal timestamps happen.
  const k = rng.weighted(INTENT_COUNTS[day.opts.shape]);
  const intentMs: number[] = [];
  for (let j = 0; j < k; j++) intentMs.push(startMs + Math.floor(rng.next() * (endMs - startMs + 1)));
  intentMs.sort((a, b) => a - b);
  if (k >= 2 && rng.chance(0.15)) { const j = rng.int(0, k - 2); intentMs[j + 1] = intentMs[j] as number; }
  if (k >= 2 && rng.chance(0.2)) { const j = rng.int(0, k - 2); [intentMs[j], intentMs[j + 1]] = [intentMs[j + 1] as number, intentMs[j] as number]; }
  const intentDefs: IntentDef[] = [], intents: TruthIntent[] = [], replyDefs: ReplyDef[] = [], replies: TruthReply[] = [];
  for (let j = 0; j < k; j++) {
    const def = (j === 0 && rng.chance(0.4) ? bot.intents[0] : escalated && j === k - 1 && rng.chance(0.7) ? bot.intents[1] : bot.intents[rng.int(1, 9)]) as IntentDef;
    const notMeaningful = def.name === GREETING ? rng.chance(0.9) : rng.chance(def.name === HUMAN ? 0.2 : 0.08);
    intentDefs.push(def);
    intents.push({ intent_id: def.id, intent_name: def.name, intent_timestamp: iso(intentMs[j] as number), not_meaningful: notMeaningful });
    if (replies.length < 5 && rng.chance(0.75)) {
      const r = rng.pick(def.replies);
      replyDefs.push(r);
      replies.push({ reply_id: r.id, reply_name: r.name, reply_type: r.type, reply_language: language,
        reply_timestamp: iso(Math.min(endMs, (intentMs[j] as number) + rng.int(200, 4000))), intent_id: def.id });
    }
  }
  const c: TruthConversation = {
    bot_id: day.botId, bot_name: bot.name,
    // 24 hex digits, like the real ObjectIds; a re-opened conversation keeps its id
    conversation_id: earlier ? earlier.c.conversation_id : hex(day.startMs / 1000, 8) + bot.idHex + hex(i, 7),
    platform_conversation_id: String(rng.int(10_000_000, 99_999_999)),
    conversation_start_time: iso(startMs), conversation_end_time: iso(endMs),
    language, channel, labels, conversations_data: data,
    test_mode: rng.chance(0.03) || (quietStart && !suggestionEngine), conversation_status: status, last_resolution: resolution,
    triggered_replies: replies, triggered_intent_replies: intents,
    is_llm_conversation: llm,
    llm_notUnderstood_count: llm ? rng.int(0, 2) : 0, llm_responseGenerated_count: llm ? rng.int(1, 6) : 0,
    llm_errorOccurred_count: llm && rng.chance(0.1) ? 1 : 0, llm_escalationRequired_count: llm && escalated ? 1 : 0,
    llm_fallback_count: llm ? rng.int(0, 1) : 0,
    bot_messages_count: suggestionEngine ? 0 : visitor + rng.int(0, 3),
    visitor_messages_count: visitor, not_understood_messages_count: notUnderstood,
    conversation_type: suggestionEngine ? 'suggestion' : 'bot',
    automated_resolution: status === 'botHandled' && (resolution === 'informed' || resolution === 'resolved'),
  };
  if (day.opts.edgeCases && i % NULL_STATUS_EVERY === NULL_STATUS_AT) {
    c.conversation_status = null;
    c.last_resolution = null;
    c.automated_resolution = false;
  }
  if (day.opts.edgeCases && k >= 2 && i % UNTIMED_EVERY === UNTIMED_AT) (intents[0] as TruthIntent).intent_timestamp = null;
  return { c, quirks, startMs, endMs, intentMs, intentDefs, replyDefs };
}

/** One record as it appears on the wire: hand-built JSON (several times faster than JSON.stringify of an object). */
function wireLine(day: Day, b: Built): string {
  const { c, quirks: q } = b;
  const k = q & Q_UPPER_KEYS ? UPPER_KEYS : LOWER_KEYS;
  const epoch = (q & Q_EPOCH_TIMES) !== 0, strCounts = (q & Q_COUNTS_AS_STRINGS) !== 0;
  const time = (ms: number, isoText: string): string => (epoch ? String(ms) : '"' + isoText + '"');
  const n = (v: number): string => (strCounts ? '"' + v + '"' : String(v));
  const dataJson = JSON.stringify(c.conversations_data);
  let intents = '';
  for (let j = 0; j < b.intentDefs.length; j++) {
    const t = c.triggered_intent_replies[j] as TruthIntent;
    const at = t.intent_timestamp === null ? 'null' : time(b.intentMs[j] as number, t.intent_timestamp);
    intents += (j ? ',' : '') + (b.intentDefs[j] as IntentDef).head + at + ',"not_meaningful":' + t.not_meaningful + '}';
  }
  let replies = '';
  for (let j = 0; j < b.replyDefs.length; j++) {
    const r = c.triggered_replies[j] as TruthReply;
    const def = b.replyDefs[j] as ReplyDef;
    replies += (j ? ',' : '') + def.head + r.reply_language + '","reply_timestamp":"' + r.reply_timestamp + '","intent_id":"' + r.intent_id + '"}';
  }
  return '{' + k.bot_id + day.bot.idJson + ',' + k.bot_name + day.bot.nameJson + ',' + k.conversation_id + '"' + c.conversation_id +
    '",' + k.platform_conversation_id + '"' + c.platform_conversation_id + '",' +
    k.conversation_start_time + time(b.startMs, c.conversation_start_time) + ',' + k.conversation_end_time + time(b.endMs, c.conversation_end_time) +
    ',' + k.language + '"' + c.language + '",' + k.channel + '"' + c.channel + '",' + k.labels + JSON.stringify(c.labels) + ',' +
    (q & Q_ALT_DATA_KEY ? k.conversation_data : k.conversations_data) + (q & Q_DATA_AS_STRING ? JSON.stringify(dataJson) : dataJson) +
    ',' + k.test_mode + c.test_mode + ',' + k.conversation_status + (c.conversation_status === null ? 'null' : '"' + c.conversation_status + '"') + ',' +
    k.last_resolution + (c.last_resolution === null ? 'null' : '"' + c.last_resolution + '"') + ',' +
    k.triggered_replies + '[' + replies + '],' + k.triggered_intent_replies + '[' + intents + '],' +
    k.is_llm_conversation + c.is_llm_conversation + ',' + k.llm_notUnderstood_count + n(c.llm_notUnderstood_count) + ',' +
    k.llm_responseGenerated_count + n(c.llm_responseGenerated_count) + ',' + k.llm_errorOccurred_count + n(c.llm_errorOccurred_count) + ',' +
    k.llm_escalationRequired_count + n(c.llm_escalationRequired_count) + ',' + k.llm_fallback_count + n(c.llm_fallback_count) + ',' +
    k.bot_messages_count + n(c.bot_messages_count) + ',' + k.visitor_messages_count + n(c.visitor_messages_count) + ',' +
    k.not_understood_messages_count + n(c.not_understood_messages_count) + ',' +
    k.conversation_type + '"' + c.conversation_type + '",' + k.automated_resolution + c.automated_resolution + '}';
}

const totalCount = (day: Day, state?: ExportDayState): number => day.baseCount + (state?.grown ? day.lateCount : 0);

/** Every conversation of the export (bot, date) in file order, canonical form; late ones last when grown. */
export function conversationsEndingOn(botId: string, date: string, opts: Partial<UltimateGeneratorOptions> = {}, state?: ExportDayState): TruthConversation[] {
  const day = exportDay(botId, date, opts);
  const out: TruthConversation[] = [];
  for (let i = 0, total = totalCount(day, state); i < total; i++) out.push(build(day, i).c);
  return out;
}

/**
 * The invalid line that follows record i, if any. Each record is followed by one with chance
 * 1/(N-1) (decided by hash, not by position, so days smaller than N get some too): 1 in N lines.
 */
function invalidAfter(day: Day, i: number, jsonArray: boolean): { line: string; kind: InvalidKind } | undefined {
  const every = day.opts.invalidEvery;
  const h = mix32(day.hash ^ Math.imul(i + 1, 0x2545f491));
  if (every < 2 || h % (every - 1) !== 0) return undefined;
  // A JSON array must stay parseable as a whole, so array days only carry invalid *records*.
  const kinds: InvalidKind[] = jsonArray ? ['missing_conversation_id', 'bad_timestamp', 'bad_count'] : ['not_json', 'missing_conversation_id', 'bad_timestamp', 'bad_count'];
  const kind = kinds[mix32(h) % kinds.length] as InvalidKind;
  const b = build(day, INVALID_INDEX_BASE + i);
  b.quirks = 0;
  const line = wireLine(day, b);
  if (kind === 'not_json') return { kind, line: line.slice(0, Math.floor(line.length / 2)) };
  const record = JSON.parse(line) as Record<string, unknown>;
  if (kind === 'missing_conversation_id') delete record.conversation_id;
  else if (kind === 'bad_timestamp') record.conversation_end_time = `${day.date}T25:61:00Z`;
  else record.visitor_messages_count = 'many';
  return { kind, line: JSON.stringify(record) };
}

/** The invalid lines of a day's export, in order (across its files). */
export function invalidLinesFor(botId: string, date: string, opts: Partial<UltimateGeneratorOptions> = {}, state?: ExportDayState): { line: string; kind: InvalidKind }[] {
  const day = exportDay(botId, date, opts);
  const { jsonArray } = formatFor(botId, date, opts);
  const out: { line: string; kind: InvalidKind }[] = [];
  for (let i = 0, total = totalCount(day, state); i < total; i++) {
    const bad = invalidAfter(day, i, jsonArray);
    if (bad) out.push(bad);
  }
  return out;
}

/**
 * The wire text of one export file in ~64 KiB chunks, generated as it is consumed. Records are split
 * across the day's files in order; when grown, the late conversations are appended to the last file.
 */
export function* exportFileChunks(botId: string, date: string, fileIndex: number, opts: Partial<UltimateGeneratorOptions> = {}, state?: ExportDayState): Generator<string> {
  const day = exportDay(botId, date, opts);
  const files = fileCountFor(botId, date, opts);
  if (!(Number.isInteger(fileIndex) && fileIndex >= 0 && fileIndex < files)) throw new RangeError(`file ${fileIndex} does not exist (${files} files)`);
  const { jsonArray } = formatFor(botId, date, opts);
  const from = Math.floor((fileIndex * day.baseCount) / files);
  const to = fileIndex === files - 1 ? totalCount(day, state) : Math.floor(((fileIndex + 1) * day.baseCount) / files);
  let buf = jsonArray ? '[\n' : '';
  let first = true;
  const add = (line: string): void => {
    buf += jsonArray ? (first ? line : ',\n' + line) : line + '\n';
    first = false;
  };
  for (let i = from; i < to; i++) {
    add(wireLine(day, build(day, i)));
    const bad = invalidAfter(day, i, jsonArray);
    if (bad) add(bad.line);
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (jsonArray) buf += first ? ']\n' : '\n]\n';
  if (buf) yield buf;
}
