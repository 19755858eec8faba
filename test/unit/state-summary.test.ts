import { describe, expect, it } from 'vitest';
import { describeState } from '../../connector/core/streams/state-summary.js';

const state = (partitions: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ parley_state: 2, source_instance: 'x', partitions, ...extra });
const job = { start: '2026-11-20T00:00:00.000Z', end: '2026-11-21T00:00:00.000Z', job: 'j', submitted_at: '2026-11-21T01:00:00.000Z', attempts: 1 };

describe('the cursor line of a sync summary', () => {
  it('one partition: its cursor, without zero milliseconds', () => {
    expect(describeState(state({ '*': { cursor: '2026-11-20T06:00:00.000Z' } }))).toBe('cursor 2026-11-20T06:00:00Z');
    expect(describeState(state({ '*': { cursor: '2026-11-20T06:00:00.250Z' } }))).toBe('cursor 2026-11-20T06:00:00.250Z');
  });

  it('several partitions: the latest, and the earliest when one lags', () => {
    expect(describeState(state({ b1: { cursor: '2026-11-20T00:00:00.000Z' }, b2: { cursor: '2026-11-18T00:00:00.000Z' }, b3: { cursor: '2026-11-20T00:00:00.000Z' } }))).toBe(
      'cursor 2026-11-20T00:00:00Z (latest of 3 partitions; earliest 2026-11-18T00:00:00Z)',
    );
    expect(describeState(state({ b1: { cursor: '2026-11-20T00:00:00.000Z' }, b2: { cursor: '2026-11-20T00:00:00.000Z' } }))).toBe('cursor 2026-11-20T00:00:00Z (latest of 2 partitions)');
    expect(describeState(state({ b1: { cursor: '2026-11-20T00:00:00.000Z' }, b2: {} }))).toBe('cursor 2026-11-20T00:00:00Z (latest of 2 partitions; 1 without a cursor yet)');
  });

  it('jobs pending, a list stream, nothing yet', () => {
    expect(describeState(state({ '*': { pending_jobs: [job, job] } }))).toBe('no cursor yet, 2 jobs pending');
    expect(describeState(state({ '*': { cursor: '2026-11-20T00:00:00.000Z', pending_jobs: [job] } }))).toBe('cursor 2026-11-20T00:00:00Z, 1 job pending');
    expect(describeState(state({}, { listed_at: '2026-11-21T08:00:00.000Z' }))).toBe('listed at 2026-11-21T08:00:00Z');
    expect(describeState(undefined)).toBe('no cursor yet');
    expect(describeState({ note: 'quarantine has no cursor' })).toBe('no cursor yet');
  });
});
