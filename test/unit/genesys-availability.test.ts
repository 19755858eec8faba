import { describe, expect, it } from 'vitest';
import { STALE_AVAILABILITY_HOURS, staleAvailabilityWarning } from '../../connector/sources/genesys/availability.js';

const now = new Date('2026-11-21T12:00:00.000Z');
const hoursBefore = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();

describe('a stale Genesys availability date', () => {
  it('warns only past 36 hours behind now, naming the date and the age', () => {
    expect(STALE_AVAILABILITY_HOURS).toBe(36);
    expect(staleAvailabilityWarning(hoursBefore(6), now)).toBeUndefined();
    expect(staleAvailabilityWarning(hoursBefore(36), now)).toBeUndefined();
    expect(staleAvailabilityWarning(hoursBefore(36.5), now)).toMatch(/availability date 2026-11-19T23:30:00.000Z is 36 hours behind now \(over 36\)/);
    expect(staleAvailabilityWarning(hoursBefore(50), now)).toMatch(/50 hours behind now.*nightly analytics batch has likely failed/);
  });

  it('a date ahead of now (clock skew) is not stale', () => {
    expect(staleAvailabilityWarning('2026-11-21T13:00:00.000Z', now)).toBeUndefined();
  });
});
