/**
 * The record quarantine: a record that fails validation is never dropped. It becomes a record of the
 * `_parley_quarantine` stream (source stream, where it came from, why, and the text as received) and
 * is counted in the sync summary.
 *
 * Sizes are bounded, so one huge bad record cannot bloat the warehouse or a commit: the text keeps
 * its first 64 KiB of UTF-8 (cut on a whole character) followed by `…[truncated: N bytes in all]`;
 * the reason (which may quote the bad value) keeps its first 1,000 characters the same way.
 */
import { ownTable, SOURCE_INSTANCE } from './tables/declare.js';

export const QUARANTINE_STREAM = '_parley_quarantine';
export const MAX_RAW_BYTES = 64 * 1024;
export const MAX_REASON_CHARS = 1000;

export interface QuarantinedRecord {
  /** The vendor account (set by the engine). */
  source_instance?: string;
  source_stream: string;
  /** Where it came from, stable across re-reads: e.g. "bot=b1 day=2026-11-01 file=conversation_b1_…_000000000000.json record=17". */
  locator: string;
  /** What is wrong, naming the field. */
  reason: string;
  raw_text: string;
}

export function quarantined(sourceStream: string, locator: string, reason: string, rawText: string): QuarantinedRecord {
  return {
    source_stream: sourceStream,
    locator,
    reason: reason.length > MAX_REASON_CHARS ? `${wholeCharacters(reason.slice(0, MAX_REASON_CHARS))}…[truncated]` : reason,
    raw_text: truncatedText(rawText),
  };
}

/** `text` whole when it fits in MAX_RAW_BYTES of UTF-8, else its first MAX_RAW_BYTES bytes (whole characters) and a marker with the full size. */
function truncatedText(text: string): string {
  if (text.length <= MAX_RAW_BYTES / 3) return text; // at most 3 UTF-8 bytes per UTF-16 unit: fits without measuring
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= MAX_RAW_BYTES) return text;
  let end = MAX_RAW_BYTES;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back to the first byte of a character
  return `${bytes.subarray(0, end).toString('utf8')}…[truncated: ${bytes.length} bytes in all]`;
}

/** Drops a lone high surrogate left at the end by a cut in UTF-16 units. */
function wholeCharacters(text: string): string {
  const last = text.charCodeAt(text.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? text.slice(0, -1) : text;
}

/** The quarantine table: one row per (source instance, stream, locator), so re-reading a file replaces its rows. */
export const quarantineTable = ownTable({
  name: QUARANTINE_STREAM,
  description: 'Records that failed validation, kept with the reason instead of being dropped. Re-reading the same export replaces a row, never duplicates it.',
  columns: [
    { name: SOURCE_INSTANCE, type: 'string', nullable: false, description: 'the vendor account the record came from' },
    { name: 'source_stream', type: 'string', nullable: false, description: 'the stream the record belonged to' },
    { name: 'locator', type: 'string', nullable: false, description: 'where it came from, e.g. bot/day/file/line' },
    { name: 'reason', type: 'string', nullable: false, description: 'what was wrong and with which field' },
    { name: 'raw_text', type: 'string', nullable: false, description: 'the record as received (truncated to 64 KiB)' },
  ],
  key: [SOURCE_INSTANCE, 'source_stream', 'locator'],
  bookkeeping: true,
  bigquery: { clusterBy: ['source_stream'] },
});

export const quarantineJsonSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  additionalProperties: false,
  properties: {
    source_instance: { type: 'string' },
    source_stream: { type: 'string' },
    locator: { type: 'string' },
    reason: { type: 'string' },
    raw_text: { type: 'string' },
  },
  required: ['source_instance', 'source_stream', 'locator', 'reason', 'raw_text'],
} as const;

/** Thrown by record normalisers; the message is the quarantine reason. */
export class InvalidRecord extends Error {}
