/**
 * Value checks shared by the vendors' record normalisers: timestamps in any of the shapes vendors
 * send, and a short rendering of a bad value for quarantine reasons.
 */
import { InvalidRecord } from './quarantine.js';

const ISO_WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

/** ISO 8601 (any offset; none = UTC) or epoch milliseconds (number or digits) → `YYYY-MM-DDTHH:mm:ss.sssZ`. */
export function toIsoTimestamp(value: unknown, field: string): string {
  let millis: number;
  if (typeof value === 'number') {
    millis = value;
  } else if (typeof value === 'string') {
    const text = value.trim();
    if (/^\d{10,16}$/.test(text)) millis = Number(text);
    else if (text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */) {
      millis = Date.parse(text);
      if (!Number.isNaN(millis)) return text; // already canonical
    } else millis = Date.parse(ISO_WITH_ZONE.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  } else {
    throw new InvalidRecord(`${field}: expected a timestamp, got ${describeValue(value)}`);
  }
  // 10-digit values are epoch seconds; Ultimate sends milliseconds, but accept both.
  if (millis > 0 && millis < 1e11) millis *= 1000;
  if (!Number.isFinite(millis)) {
    throw new InvalidRecord(`${field}: ${JSON.stringify(value)} is not a timestamp (expected ISO 8601 or epoch milliseconds)`);
  }
  const date = new Date(millis);
  if (Number.isNaN(date.getTime())) throw new InvalidRecord(`${field}: ${JSON.stringify(value)} is out of range`);
  return date.toISOString();
}

/** A value, shortened, for a message that says what was wrong with it. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
