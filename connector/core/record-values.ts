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
      if (plainlyCanonical(text)) return text;
      // The shape, but a day past the month's end or 24:00: Date.parse rolls it over; so does the result.
      millis = Date.parse(text);
      if (!Number.isNaN(millis)) return new Date(millis).toISOString();
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

/**
 * Whether `text` is already `YYYY-MM-DDTHH:mm:ss.sssZ` with every part in range, the day within its
 * month: exactly what `new Date(Date.parse(text)).toISOString()` would give back, without either.
 */
export function isCanonicalIso(text: string): boolean {
  return text.length === 24 && text.charCodeAt(23) === 90 /* Z */ && text.charCodeAt(10) === 84 /* T */ && plainlyCanonical(text);
}

/** Digits at the positions of `YYYY-MM-DDTHH:mm:ss.sssZ` with every part in range, the day within its month. */
function plainlyCanonical(text: string): boolean {
  for (let i = 0; i < 23; i++) {
    const code = text.charCodeAt(i);
    if (i === 4 || i === 7) {
      if (code !== 45 /* - */) return false;
    } else if (i === 13 || i === 16) {
      if (code !== 58 /* : */) return false;
    } else if (i === 19) {
      if (code !== 46 /* . */) return false;
    } else if (i !== 10 && (code < 48 || code > 57)) return false;
  }
  const two = (at: number) => (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;
  const month = two(5);
  const day = two(8);
  if (!(month >= 1 && month <= 12 && day >= 1 && two(11) <= 23 && two(14) <= 59 && two(17) <= 59)) return false;
  if (day <= 28) return true;
  // Days 29-31: within the month's length (a day past it is left to Date.parse, which rolls it over).
  if (month !== 2) return day <= (month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31);
  const year = two(0) * 100 + two(2);
  return day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** A value, shortened, for a message that says what was wrong with it. */
export function describeValue(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? typeof value : text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
