/**
 * The record quarantine: a record that fails validation is never dropped. It becomes a record of the
 * `_parley_quarantine` stream (source stream, where it came from, why, and the text as received) and
 * is counted in the sync summary.
 */
export const QUARANTINE_STREAM = '_parley_quarantine';
const MAX_RAW_CHARS = 64 * 1024;

export interface QuarantinedRecord {
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

export const quarantineJsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    source_stream: { type: 'string' },
    locator: { type: 'string' },
    reason: { type: 'string' },
    raw_text: { type: 'string' },
  },
  required: ['source_stream', 'locator', 'reason', 'raw_text'],
} as const;

/** Thrown by record normalisers; the message is the quarantine reason. */
export class InvalidRecord extends Error {}
