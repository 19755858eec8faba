/**
 * Ultimate conversation records: the normaliser that turns one exported line into the canonical record
 * (fields declared in tables.ts, from the seed's File Schema), or says why it cannot (→ quarantine).
 * Quirks handled: UPPER_CASE keys, `conversation_data` for `conversations_data`, counts as strings,
 * timestamps as epoch milliseconds, `conversations_data` as a JSON string. Unknown fields pass
 * through untouched so v3 additions survive. This is the hot path of a sync: no zod, no copies when
 * a record needs none.
 */
import { InvalidRecord } from '../../core/quarantine.js';
import { describeValue as describe, toIsoTimestamp } from '../../core/record-values.js';
import { CONVERSATION_FIELDS as FIELDS } from './tables.js';

type Kind = 'string' | 'integer' | 'boolean' | 'timestamp' | 'array' | 'object';

/** Field → kind, from the declaration (tables.ts); export_date is the export's, set below. */
export const CONVERSATION_FIELDS: Readonly<Record<string, Kind>> = Object.fromEntries(
  FIELDS.filter((f) => f.name !== 'export_date').map((f) => [f.name, f.type as Kind]),
);

const CANONICAL = new Map<string, string>(Object.keys(CONVERSATION_FIELDS).map((name) => [name.toLowerCase(), name]));
CANONICAL.set('conversation_data', 'conversations_data');

export type ConversationRecord = Record<string, unknown> & {
  bot_id: string;
  conversation_id: string;
  conversation_start_time: string;
  export_date: string;
};

/** Parses and normalises one exported record. Throws InvalidRecord with a reason naming the field. */
export function normaliseConversation(text: string, exportBotId: string, exportDate: string): ConversationRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InvalidRecord(`not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidRecord('not a JSON object');
  }
  const record = canonicalKeys(parsed as Record<string, unknown>);
  try {
    coerceDeclared(record);
  } catch (error) {
    if (!(error instanceof InvalidRecord)) throw error;
    // The reason names the first bad field in the record's own key order, as it always has.
    coerceInKeyOrder(record);
    throw error;
  }

  const conversationId = record.conversation_id;
  if (typeof conversationId !== 'string' || conversationId === '') throw new InvalidRecord('conversation_id: missing or empty');
  if (typeof record.conversation_start_time !== 'string') throw new InvalidRecord('conversation_start_time: missing');
  if (record.bot_id === undefined || record.bot_id === null || record.bot_id === '') record.bot_id = exportBotId;
  const intents = record.triggered_intent_replies;
  if (Array.isArray(intents)) for (let i = 0; i < intents.length; i++) intents[i] = normaliseIntent(intents[i], i);
  record.export_date = exportDate;
  return record as ConversationRecord;
}

/** The declared fields coerced in the record's key order: the first bad one is the reason. */
function coerceInKeyOrder(record: Record<string, unknown>): void {
  for (const name in record) {
    const kind = CONVERSATION_FIELDS[name];
    if (kind === undefined) continue;
    const value = record[name];
    if (value === null || value === undefined) continue;
    record[name] = coerce(kind, name, value);
  }
}

/** One declared field's value as its kind wants it; throws InvalidRecord naming the field. */
function coerce(kind: Kind, name: string, value: unknown): unknown {
  switch (kind) {
    case 'timestamp':
      return toIsoTimestamp(value, name);
    case 'integer':
      return toInteger(value, name);
    case 'boolean':
      return toBoolean(value, name);
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      throw new InvalidRecord(`${name}: expected text, got ${describe(value)}`);
    case 'object':
      return typeof value === 'string' ? parseEmbeddedJson(value) : value;
    case 'array':
      if (!Array.isArray(value)) throw new InvalidRecord(`${name}: expected a list, got ${describe(value)}`);
      return value;
  }
}

/**
 * The same coercion as coerceInKeyOrder, generated from the declaration: one read per declared field
 * by its name (an inline cache each) instead of a lookup per key of every record. Values already of
 * their kind (the common case) are left alone; the rest go through `coerce`. Valid records come out
 * the same either way (each field's coercion is independent); an invalid one is coerced again in key
 * order for its reason.
 */
const coerceDeclared = ((): ((record: Record<string, unknown>) => void) => {
  const settled: Record<Kind, (v: string) => string> = {
    timestamp: () => 'false', // always normalised (epoch ms, offsets → ISO UTC)
    integer: (v) => `typeof ${v} === 'number' && Number.isInteger(${v})`,
    boolean: (v) => `typeof ${v} === 'boolean'`,
    string: (v) => `typeof ${v} === 'string'`,
    object: (v) => `typeof ${v} !== 'string'`,
    array: (v) => `Array.isArray(${v})`,
  };
  const body = Object.entries(CONVERSATION_FIELDS).map(([name, kind]) => {
    const key = JSON.stringify(name);
    return `v = r[${key}]; if (v !== null && v !== undefined && !(${settled[kind]('v')})) r[${key}] = h.coerce(${JSON.stringify(kind)}, ${key}, v);`;
  });
  const make = new Function('h', `'use strict'; return function coerceDeclared(r) {\nlet v;\n${body.join('\n')}\n};`) as (h: { coerce: typeof coerce }) => (record: Record<string, unknown>) => void;
  return make({ coerce });
})();

/** Canonical key spelling; returns the same object when every key is already canonical (the common case). */
function canonicalKeys(input: Record<string, unknown>): Record<string, unknown> {
  let clean = true;
  for (const key in input) {
    if (CONVERSATION_FIELDS[key] === undefined && key !== key.toLowerCase()) {
      clean = false;
      break;
    }
    if (key === 'conversation_data') {
      clean = false;
      break;
    }
  }
  if (clean) return input;
  const out: Record<string, unknown> = {};
  for (const key in input) {
    const lower = key.toLowerCase();
    const known = CONVERSATION_FIELDS[key] !== undefined ? key : CANONICAL.get(lower);
    // Unknown keys are lower-cased only when shouted (ALL CAPS); camelCase extras keep their spelling.
    const name = known ?? (key === key.toUpperCase() ? lower : key);
    if (!(name in out) || out[name] === null || out[name] === undefined) out[name] = input[key];
  }
  return out;
}

function normaliseIntent(intent: unknown, index: number): unknown {
  if (intent === null || typeof intent !== 'object' || Array.isArray(intent)) {
    throw new InvalidRecord(`triggered_intent_replies[${index}]: expected an object, got ${describe(intent)}`);
  }
  let out = intent as Record<string, unknown>;
  if (!('intent_name' in out) || !('intent_timestamp' in out)) {
    // Keys in another case: copy with shouted keys lower-cased. Canonical intents are fixed in place.
    const source = out;
    out = {};
    for (const key in source) out[key === key.toUpperCase() ? key.toLowerCase() : key] = source[key];
  }
  if (out.intent_timestamp !== null && out.intent_timestamp !== undefined) {
    out.intent_timestamp = toIsoTimestamp(out.intent_timestamp, `triggered_intent_replies[${index}].intent_timestamp`);
  }
  if (out.not_meaningful !== null && out.not_meaningful !== undefined) {
    out.not_meaningful = toBoolean(out.not_meaningful, `triggered_intent_replies[${index}].not_meaningful`);
  }
  return out;
}

function toInteger(value: unknown, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) return Number(value);
  throw new InvalidRecord(`${field}: ${JSON.stringify(value)} is not a whole number`);
}

function toBoolean(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'TRUE' || value === 'True' || value === 1 || value === '1') return true;
  if (value === 'false' || value === 'FALSE' || value === 'False' || value === 0 || value === '0') return false;
  throw new InvalidRecord(`${field}: ${JSON.stringify(value)} is not true/false`);
}

/** `conversations_data` arrives as a JSON string holding an object; keep the text when it is not JSON. */
function parseEmbeddedJson(value: string): unknown {
  const text = value.trim();
  if (!text.startsWith('{') && !text.startsWith('[')) return value;
  try {
    return JSON.parse(text);
  } catch {
    return value;
  }
}
