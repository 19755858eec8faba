/**
 * Kore.ai rows → Parley's records. Before anything else sees a row (records, the `record` column,
 * the quarantine), `scrubRow` takes the personal data out: a userId that is an e-mail address or a
 * phone number is kept as `pii` says (core/pii.ts: dropped → null by default, `hmac:<hex>` with
 * "hash" — stable, so a user's sessions still join —, or as is with "raw"; other user ids stay as
 * they are), and intent utterances (what the user typed) are always dropped. Then the normalisers type the fields the models
 * need; a row that cannot be keyed or dated throws InvalidRecord (→ quarantine) naming the field.
 *
 * The containment type is the one the request asked for: the reply's own `containmentType` varies
 * in casing (selfService, Selfservice, selfservice) and is often absent (sources.md §3); it is kept
 * as `reported_containment_type`.
 */
import { keepPersonal, type PiiPolicy } from '../../core/pii.js';
import { InvalidRecord } from '../../core/quarantine.js';
import { describeValue, toIsoTimestamp } from '../../core/record-values.js';

export const CONTAINMENT_TYPES = ['dropOff', 'selfService', 'agent'] as const;
export type ContainmentType = (typeof CONTAINMENT_TYPES)[number];
export const INTENT_KINDS = { success: 'successintent', fail: 'failintent' } as const;
export type IntentKind = keyof typeof INTENT_KINDS;

type Json = Record<string, unknown>;

/** A session as listed under one containment type. */
export interface SessionItem {
  containmentType: ContainmentType;
  session: unknown;
}

/** An intent event of one kind, with its event id (messageId, else kind:timestamp:n). */
export interface IntentItem {
  kind: IntentKind;
  eventId: string;
  row: unknown;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[\d\s().-]{7,20}$/;

/** An e-mail address or a phone number (what makes a userId personal). */
export function isPersonalUserId(value: string): boolean {
  const text = value.trim();
  return EMAIL.test(text) || (PHONE.test(text) && text.replace(/\D/g, '').length >= 7);
}

/**
 * A user id as Parley stores it: an e-mail address or phone number as `pii` says (hashed lower-cased
 * and trimmed, so Jane.Doe@… and jane.doe@… are one user), any other id as is.
 */
export function storedUserId(value: unknown, pii: PiiPolicy): unknown {
  if (typeof value !== 'string' || !isPersonalUserId(value)) return value;
  return pii.mode === 'raw' ? value : keepPersonal(value.trim().toLowerCase(), pii);
}

/** The row with personal data taken out (a copy; non-objects pass through for the normaliser to refuse). */
export function scrubRow(row: unknown, pii: PiiPolicy): unknown {
  if (row === null || typeof row !== 'object' || Array.isArray(row)) return row;
  const { utterance: _dropped, ...rest } = row as Json;
  if ('userId' in rest) rest.userId = storedUserId(rest.userId, pii);
  return rest;
}

function object(value: unknown): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InvalidRecord(`not a JSON object (got ${describeValue(value)})`);
  return value as Json;
}

function requiredString(row: Json, field: string): string {
  const value = row[field];
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidRecord(`${field}: missing or empty (got ${describeValue(value)})`);
  return value;
}

const optionalString = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const optionalInteger = (value: unknown): number | null => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
};
const optionalBoolean = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : value === 'true' ? true : value === 'false' ? false : null);

export function normaliseSession(item: SessionItem, botId: string): Json {
  const session = object(item.session);
  const sessionId = requiredString(session, 'sessionId');
  const startedAt = toIsoTimestamp(session.start_time, 'start_time');
  const status = optionalString(session.sessionStatus)?.toLowerCase() ?? null;
  const endRaw = session.end_time;
  const endedAt = status === 'active' || endRaw === undefined || endRaw === null || endRaw === '' ? null : toIsoTimestamp(endRaw, 'end_time');
  const languages = Array.isArray(session.session_lang) ? session.session_lang.filter((l): l is string => typeof l === 'string') : typeof session.session_lang === 'string' ? [session.session_lang] : null;
  return {
    bot_id: botId,
    session_id: sessionId,
    containment_type: item.containmentType,
    reported_containment_type: optionalString(session.containmentType),
    session_status: status,
    started_at: startedAt,
    ended_at: endedAt,
    channel: optionalString(session.channel),
    user_id: optionalString(session.userId),
    languages,
    session_type: optionalString(session.sessionType),
    is_developer: optionalBoolean(session.isDeveloper),
    messages_exchanged: optionalInteger(session.noOfMessagesExchanged),
    tasks_executed: optionalInteger(session.noOfTasksExecuted),
    tags: session.tags ?? null,
  };
}

export function normaliseIntent(item: IntentItem, botId: string): Json {
  const row = object(item.row);
  return {
    bot_id: botId,
    session_id: requiredString(row, 'sessionId'),
    event_id: item.eventId,
    kind: item.kind,
    intent: item.kind === 'success' ? optionalString(row.intent) : null,
    occurred_at: toIsoTimestamp(row.timestamp, 'timestamp'),
    message_id: optionalString(row.messageId),
    channel: optionalString(row.channel),
    language: optionalString(row.language),
    user_id: optionalString(row.userId),
  };
}
