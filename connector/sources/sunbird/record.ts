/**
 * Sunbird UCI CSV rows → records (tables.ts), always by header name: files of every era of the
 * response exhaust header (older ones lack Session ID, and earlier X Path, Eof and Message ID) read
 * the same. A row that cannot be keyed or dated throws InvalidRecord (→ quarantine) naming the cell.
 * Personal columns of the private exhaust are kept as `pii` says before a row becomes an item, so no
 * record, record JSON or quarantine row ever holds more than the user allowed.
 */
import crypto from 'node:crypto';
import { InvalidRecord } from '../../core/quarantine.js';
import { isCanonicalIso } from '../../core/record-values.js';
import { keepPersonal, type PiiPolicy } from '../../core/pii.js';
import type { CsvRow } from '../../core/csv.js';
import { PERSONAL_USER_COLUMNS } from './tables.js';

/** A response exhaust row as the stream hands it on: where it sat, its cells, what its file had. */
export interface ResponseItem {
  file: string;
  row: number;
  fields: Record<string, string>;
  /** The file's header has an Eof column (else containment cannot be told). */
  fileHasEof: boolean;
  problem?: string;
}

export interface UserItem {
  file: string;
  row: number;
  /** Cells, the personal ones already kept per `pii` (null = dropped). */
  fields: Record<string, string | null>;
  problem?: string;
}

export const COLUMNS = {
  messageId: 'Message ID',
  conversationId: 'Conversation ID',
  conversationName: 'Conversation Name',
  deviceId: 'Device ID',
  sessionId: 'Session ID',
  questionId: 'Question Id',
  questionType: 'Question Type',
  questionTitle: 'Question Title',
  questionDescription: 'Question Description',
  questionDuration: 'Question Duration',
  questionScore: 'Question Score',
  questionMaxScore: 'Question Max Score',
  questionOptions: 'Question Options',
  questionResponse: 'Question Response',
  xPath: 'X Path',
  eof: 'Eof',
  timestamp: 'Timestamp',
  ingestedAt: '@timestamp',
} as const;

const text = (fields: Record<string, string | null>, column: string): string | null => {
  const value = fields[column];
  return value === undefined || value === null || value === '' ? null : value;
};

/**
 * An instant from a cell: epoch milliseconds (the telemetry's `ets`), ISO 8601 with a zone, or
 * `yyyy-MM-dd HH:mm:ss[.SSS]` without one (read as UTC, as Spark writes UTC).
 */
export function parseInstant(value: string): string | undefined {
  // The two shapes the exhaust writes (Timestamp: 13-digit epoch ms, @timestamp: ISO UTC), without
  // the regular expressions below: one row has two instants, and this ran for every row.
  if (value.length === 13 && allDigits(value)) return new Date(Number(value)).toISOString();
  if (isCanonicalIso(value)) return value;
  if (value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */) {
    const ms = Date.parse(value);
    if (!Number.isNaN(ms)) return new Date(ms).toISOString();
  }
  const trimmed = value.trim();
  if (/^\d{10,14}$/.test(trimmed)) {
    const ms = Number(trimmed);
    return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
  }
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  const iso = zoned ? trimmed.replace(' ', 'T') : /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed) ? `${trimmed.replace(' ', 'T')}Z` : undefined;
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function allDigits(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

function numberCell(fields: Record<string, string>, column: string): number | null {
  const value = text(fields, column);
  if (value === null) return null;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new InvalidRecord(`${column} is not a number (got ${JSON.stringify(value.slice(0, 40))})`);
  return number;
}

function booleanCell(fields: Record<string, string>, column: string): boolean | null {
  const value = text(fields, column);
  if (value === null) return null;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new InvalidRecord(`${column} is not true or false (got ${JSON.stringify(value.slice(0, 40))})`);
}

/** The JSON a cell holds, or its text as a JSON string when it is not JSON; null when empty. */
function jsonCell(fields: Record<string, string>, column: string): unknown {
  const value = text(fields, column);
  if (value === null) return null;
  const first = value.trimStart()[0];
  if (first === '[' || first === '{') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      /* text that looks like JSON but is not: kept as text */
    }
  }
  return value;
}

/** The row's identity when the file has no Message ID: a hash of its cells by header name (@timestamp left out: a file written again may stamp it anew). */
export function contentKey(fields: Record<string, string>): string {
  const pairs = Object.entries(fields)
    .filter(([name]) => name !== COLUMNS.ingestedAt)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `content:${crypto.createHash('sha256').update(JSON.stringify(pairs)).digest('hex')}`;
}

export function normaliseResponse(item: ResponseItem, botId: string, windowStart: string): Record<string, unknown> {
  if (item.problem) throw new InvalidRecord(item.problem);
  const { fields } = item;
  const deviceId = text(fields, COLUMNS.deviceId);
  if (deviceId === null) throw new InvalidRecord(`${COLUMNS.deviceId} is empty`);
  const conversationId = text(fields, COLUMNS.conversationId);
  if (conversationId !== null && conversationId !== botId) {
    throw new InvalidRecord(`${COLUMNS.conversationId} is ${JSON.stringify(conversationId)}, not the bot requested (${botId})`);
  }
  const stamp = text(fields, COLUMNS.timestamp);
  if (stamp === null) throw new InvalidRecord(`${COLUMNS.timestamp} is empty`);
  const answeredAt = parseInstant(stamp);
  if (answeredAt === undefined) throw new InvalidRecord(`${COLUMNS.timestamp} is not a time (got ${JSON.stringify(stamp.slice(0, 40))})`);
  const ingested = text(fields, COLUMNS.ingestedAt);
  const ingestedAt = ingested === null ? null : (parseInstant(ingested) ?? null);
  const messageId = text(fields, COLUMNS.messageId);
  const response = fields[COLUMNS.questionResponse];
  return {
    bot_id: botId,
    response_id: messageId ?? contentKey(fields),
    message_id: messageId,
    conversation_name: text(fields, COLUMNS.conversationName),
    device_id: deviceId,
    session_id: text(fields, COLUMNS.sessionId),
    question_id: text(fields, COLUMNS.questionId),
    question_type: text(fields, COLUMNS.questionType),
    question_title: text(fields, COLUMNS.questionTitle),
    question_description: text(fields, COLUMNS.questionDescription),
    question_duration: numberCell(fields, COLUMNS.questionDuration),
    question_score: numberCell(fields, COLUMNS.questionScore),
    question_max_score: numberCell(fields, COLUMNS.questionMaxScore),
    question_options: jsonCell(fields, COLUMNS.questionOptions),
    question_response: jsonCell(fields, COLUMNS.questionResponse),
    consent_withheld: response !== undefined && response === '',
    x_path: text(fields, COLUMNS.xPath),
    eof: item.fileHasEof ? booleanCell(fields, COLUMNS.eof) : null,
    file_has_eof: item.fileHasEof,
    answered_at: answeredAt,
    ingested_at: ingestedAt,
    window_start: windowStart.slice(0, 10),
  };
}

/** A response CSV row as an item. */
export function responseItem(file: string, header: readonly string[], row: CsvRow): ResponseItem {
  return { file, row: row.row, fields: row.fields, fileHasEof: header.includes(COLUMNS.eof), ...(row.problem ? { problem: row.problem } : {}) };
}

export const USER_COLUMNS = {
  conversationId: 'Conversation ID',
  conversationName: 'Conversation Name',
  phone: 'Decrypted Device ID',
  encryptedDeviceId: 'Encrypted Device ID',
  deviceUuid: 'Device UUID',
} as const;

/** A private exhaust CSV row as an item, its personal cells kept per `pii` before anything else sees them. */
export function userItem(file: string, row: CsvRow, pii: PiiPolicy): UserItem {
  const fields: Record<string, string | null> = { ...row.fields };
  for (const column of PERSONAL_USER_COLUMNS) if (column in fields) fields[column] = keepPersonal(fields[column], pii);
  return { file, row: row.row, fields, ...(row.problem ? { problem: row.problem } : {}) };
}

export function normaliseUser(item: UserItem, botId: string, snapshotDay: string): Record<string, unknown> {
  if (item.problem) throw new InvalidRecord(item.problem);
  const { fields } = item;
  const deviceUuid = text(fields, USER_COLUMNS.deviceUuid);
  if (deviceUuid === null) throw new InvalidRecord(`${USER_COLUMNS.deviceUuid} is empty`);
  const conversationId = text(fields, USER_COLUMNS.conversationId);
  if (conversationId !== null && conversationId !== botId) {
    throw new InvalidRecord(`${USER_COLUMNS.conversationId} is ${JSON.stringify(conversationId)}, not the bot requested (${botId})`);
  }
  return {
    bot_id: botId,
    device_uuid: deviceUuid,
    conversation_name: text(fields, USER_COLUMNS.conversationName),
    phone: text(fields, USER_COLUMNS.phone),
    encrypted_device_id: text(fields, USER_COLUMNS.encryptedDeviceId),
    snapshot_date: snapshotDay,
  };
}
