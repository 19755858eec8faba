/**
 * Day windows in UTC (luxon). A day is a calendar date `YYYY-MM-DD`; a window is [start, end) with
 * the end EXCLUSIVE, always. Export days (Ultimate) and job intervals (Genesys) are built from these.
 */
import { DateTime } from 'luxon';
import { ConfigError } from './errors.js';

export type Day = string; // YYYY-MM-DD

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseDay(value: string, field: string): Day {
  const parsed = DAY.test(value) ? DateTime.fromISO(value, { zone: 'utc' }) : null;
  if (!parsed?.isValid) throw new ConfigError(`${field}: "${value}" is not a date; use YYYY-MM-DD, e.g. "2026-11-01".`);
  return value;
}

export function addDays(day: Day, n: number): Day {
  return DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;
}

export function todayUtc(now: Date = new Date()): Day {
  return DateTime.fromJSDate(now, { zone: 'utc' }).toISODate()!;
}

/** Days from `first` to `last`, both INCLUSIVE; empty when first > last. */
export function daysBetween(first: Day, last: Day): Day[] {
  const out: Day[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) out.push(day);
  return out;
}

export function maxDay(a: Day, b: Day): Day {
  return a > b ? a : b;
}

export function minDay(a: Day, b: Day): Day {
  return a < b ? a : b;
}

export interface Window {
  /** Inclusive start, ISO UTC instant. */
  start: string;
  /** Exclusive end, ISO UTC instant. */
  end: string;
}

/**
 * Windows of `stepDays` days on the grid that starts at `origin` (UTC midnight of a day), covering
 * [from, to): the first one runs from `from` to the next grid line, so a sync that stopped mid-window
 * (e.g. at a vendor's availability time) resumes where it stopped and is back on the grid after one
 * window. Empty when from >= to.
 */
export function gridWindows(origin: Day, from: string, to: string, stepDays: number): Window[] {
  // Days are UTC days: no DST shifts, every day is 24 hours.
  if (!(stepDays > 0)) throw new ConfigError(`window step must be a positive number of days, got ${stepDays}`);
  const start = DateTime.fromISO(from, { zone: 'utc' });
  const stop = DateTime.fromISO(to, { zone: 'utc' });
  const base = DateTime.fromISO(origin, { zone: 'utc' });
  const stepsBefore = Math.floor(start.diff(base, 'days').days / stepDays);
  let line = base.plus({ days: Math.max(0, stepsBefore) * stepDays });
  while (line <= start) line = line.plus({ days: stepDays });
  const windows: Window[] = [];
  for (let at = start; at < stop; ) {
    const next = DateTime.min(line, stop);
    windows.push({ start: at.toUTC().toISO()!, end: next.toUTC().toISO()! });
    at = next;
    line = line.plus({ days: stepDays });
  }
  return windows;
}
