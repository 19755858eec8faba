/**
 * The record quarantine: a record that fails validation is never dropped. It becomes a record of the
 * `_parley_quarantine` stream (source stream, where it came from, why, and the text as received) and
 * is counted in the sync summary.
 */
import { ownTable, SOURCE_INSTANCE } from './tables/declare.js';

export const QUARANTINE_STREAM = '_parley_quarantine';
const MAX_RAW_CHARS = 64 * 1024;

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
    reason,
    raw_text: rawText.length > MAX_RAW_CHARS ? `${rawText.slice(0, MAX_RAW_CHARS)}…[truncated]` : rawText,
  };
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
