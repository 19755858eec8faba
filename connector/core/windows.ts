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

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** The instant (ISO, ms, Z) of a day's UTC midnight. */
export function dayStart(day: Day): string {
  return `${day}T00:00:00.000Z`;
}

/**
 * Windows of `stepMs` on the grid that starts at `origin` (an instant), covering [from, to): the
 * first one runs from `from` to the next grid line, so a sync that stopped mid-window (e.g. at a
 * vendor's availability time) resumes where it stopped and is back on the grid after one window;
 * the last one is cut at `to`. Empty when from >= to. UTC has no DST: a day step is always 24 h.
 */
export function gridWindowsMs(origin: string, from: string, to: string, stepMs: number): Window[] {
  if (!(stepMs > 0)) throw new ConfigError(`window step must be positive, got ${stepMs} ms`);
  const base = Date.parse(origin);
  const stop = Date.parse(to);
  const windows: Window[] = [];
  let at = Date.parse(from);
  let line = base + (Math.floor((at - base) / stepMs) + 1) * stepMs;
  while (at < stop) {
    const next = Math.min(line, stop);
    windows.push({ start: new Date(at).toISOString(), end: new Date(next).toISOString() });
    at = next;
    line += stepMs;
  }
  return windows;
}

/** The last grid line (origin + k·step, k ≥ 0) at or before `instant`; `origin` itself when before it. */
export function gridFloor(origin: string, instant: string, stepMs: number): string {
  const base = Date.parse(origin);
  const k = Math.max(0, Math.floor((Date.parse(instant) - base) / stepMs));
  return new Date(base + k * stepMs).toISOString();
}

/** `gridWindowsMs` with a grid of `stepDays` days from the UTC midnight of `origin`. */
export function gridWindows(origin: Day, from: string, to: string, stepDays: number): Window[] {
  if (!(stepDays > 0)) throw new ConfigError(`window step must be a positive number of days, got ${stepDays}`);
  return gridWindowsMs(dayStart(origin), from, to, stepDays * DAY_MS);
}
