import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, gridWindows, parseDay, todayUtc } from '../../connector/core/windows.js';

describe('day windows (UTC)', () => {
  it('lists days inclusively and is empty when reversed', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(daysBetween('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('keeps every day 24 h across European and US DST changes', () => {
    for (const [start, end] of [
      ['2026-10-24T00:00:00.000Z', '2026-10-27T00:00:00.000Z'],
      ['2026-03-07T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ] as const) {
      const windows = gridWindows(start.slice(0, 10), start, end, 1);
      expect(windows).toHaveLength(3);
      for (const w of windows) expect(Date.parse(w.end) - Date.parse(w.start)).toBe(86_400_000);
      expect(windows.at(-1)!.end).toBe(end); // end exclusive, never past it
    }
  });

  it('cuts the last window at the exclusive end', () => {
    const windows = gridWindows('2026-11-01', '2026-11-01T00:00:00.000Z', '2026-11-03T12:00:00.000Z', 2);
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      ['2026-11-01T00:00:00.000Z', '2026-11-03T00:00:00.000Z'],
      ['2026-11-03T00:00:00.000Z', '2026-11-03T12:00:00.000Z'],
    ]);
  });

  it('resumes mid-window at the watermark and is back on the start_date grid after one window', () => {
    const windows = gridWindows('2026-11-01', '2026-11-03T12:00:00.000Z', '2026-11-08T06:00:00.000Z', 2);
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      ['2026-11-03T12:00:00.000Z', '2026-11-05T00:00:00.000Z'],
      ['2026-11-05T00:00:00.000Z', '2026-11-07T00:00:00.000Z'],
      ['2026-11-07T00:00:00.000Z', '2026-11-08T06:00:00.000Z'],
    ]);
    expect(gridWindows('2026-11-01', '2026-11-05T00:00:00.000Z', '2026-11-05T00:00:00.000Z', 1)).toEqual([]);
    expect(gridWindows('2026-11-01', '2026-11-06T00:00:00.000Z', '2026-11-05T00:00:00.000Z', 1)).toEqual([]);
  });

  it('takes the UTC date, not the local one, near midnight', () => {
    expect(todayUtc(new Date('2026-11-21T23:30:00-05:00'))).toBe('2026-11-22');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('rejects malformed dates naming the field', () => {
    expect(() => parseDay('2026-13-01', 'start_date')).toThrow(/start_date: "2026-13-01" is not a date; use YYYY-MM-DD/);
    expect(() => parseDay('01/11/2026', 'start_date')).toThrow(/start_date/);
  });
});
