/**
 * The engine's two pure parts: parsing a stream's state (one versioned shape, earlier versions read
 * once, foreign or corrupt states refused clearly) and planning a partition's windows (lookback,
 * job ledger, served history, partial windows). Expected windows are written out by hand.
 */
import { describe, expect, it } from 'vitest';
import { planPartition } from '../../connector/core/streams/plan.js';
import { parseStreamState } from '../../connector/core/streams/state.js';
import type { CursorDeclaration } from '../../connector/core/streams/declare.js';

const DAY = 86_400_000;
const days: CursorDeclaration = { start: '2026-11-01T00:00:00.000Z', stepMs: DAY, lookbackMs: 2 * DAY, partial: 'skip' };
const span = (w: { start: string; end: string }) => `${w.start.slice(5, 13)}/${w.end.slice(5, 13)}`;

describe('stream state', () => {
  const legacy = (state: Record<string, unknown>) => (typeof state.loaded_through === 'string' ? { '*': { cursor: state.loaded_through } } : undefined);

  it('is fresh when there is none, and round-trips its own shape (instants normalised to UTC)', () => {
    expect(parseStreamState('s', undefined, 'org-1')).toEqual({ parley_state: 2, source_instance: 'org-1', partitions: {} });
    const state = { parley_state: 2, source_instance: 'org-1', partitions: { b1: { cursor: '2026-11-05T01:00:00+01:00', pending_jobs: [{ start: '2026-11-05T00:00:00Z', end: '2026-11-06T00:00:00Z', job: { id: 'j1' }, submitted_at: '2026-11-06T02:00:00Z', attempts: 1 }] } } };
    expect(parseStreamState('s', state, 'org-1').partitions.b1).toEqual({
      cursor: '2026-11-05T00:00:00.000Z',
      pending_jobs: [{ start: '2026-11-05T00:00:00.000Z', end: '2026-11-06T00:00:00.000Z', job: { id: 'j1' }, submitted_at: '2026-11-06T02:00:00.000Z', attempts: 1 }],
    });
  });

  it('reads an earlier version once through the stream\'s converter', () => {
    expect(parseStreamState('s', { loaded_through: '2026-11-05T06:00:00.000Z' }, 'org-1', legacy)).toEqual({ parley_state: 2, source_instance: 'org-1', partitions: { '*': { cursor: '2026-11-05T06:00:00.000Z' } } });
  });

  it("refuses another instance's state, a corrupt one and a foreign one, saying how to reset", () => {
    expect(() => parseStreamState('s', { parley_state: 2, source_instance: 'org-2', partitions: {} }, 'org-1')).toThrow(/belongs to source instance "org-2", but this config is for "org-1".*_parley_state/);
    expect(() => parseStreamState('s', { parley_state: 2, source_instance: 'org-1', partitions: { b: { cursor: 'yesterday' } } }, 'org-1')).toThrow(/state of stream s is corrupt \(partitions\.b\.cursor: .*\)\. To start that stream over/);
    expect(() => parseStreamState('s', { cursor: 5 }, 'org-1', legacy)).toThrow(/state of stream s is not a Parley state .*got keys cursor/);
  });
});

describe('planPartition', () => {
  it('first sync: every whole window from the start to the bound (skip: the partial last one waits)', () => {
    const plan = planPartition('b', days, undefined, '2026-11-04T10:00:00.000Z');
    expect(plan.windows.map(span)).toEqual(['11-01T00/11-02T00', '11-02T00/11-03T00', '11-03T00/11-04T00']);
    expect(plan.windows.every((w) => !w.reread)).toBe(true);
  });

  it('later sync: the lookback windows again (marked re-read), then the new ones; never before the start', () => {
    const plan = planPartition('b', days, { cursor: '2026-11-04T00:00:00.000Z' }, '2026-11-06T00:00:00.000Z');
    expect(plan.windows.map((w) => [span(w), w.reread])).toEqual([
      ['11-02T00/11-03T00', true],
      ['11-03T00/11-04T00', true],
      ['11-04T00/11-05T00', false],
      ['11-05T00/11-06T00', false],
    ]);
    expect(planPartition('b', days, { cursor: '2026-11-02T00:00:00.000Z' }, '2026-11-02T00:00:00.000Z').windows.map(span)).toEqual(['11-01T00/11-02T00']);
    // start_date moved later than the cursor: the sync begins at the start, nothing before it.
    expect(planPartition('b', days, { cursor: '2026-10-20T00:00:00.000Z' }, '2026-11-03T00:00:00.000Z').windows.map((w) => [span(w), w.reread])).toEqual([
      ['11-01T00/11-02T00', false],
      ['11-02T00/11-03T00', false],
    ]);
  });

  it('cut: the last window ends at the bound, and the next sync resumes there and is back on the grid after one window', () => {
    const cut: CursorDeclaration = { start: '2026-11-01T00:00:00.000Z', stepMs: DAY, partial: 'cut' };
    expect(planPartition('*', cut, undefined, '2026-11-02T06:00:00.000Z').windows.map(span)).toEqual(['11-01T00/11-02T00', '11-02T00/11-02T06']);
    expect(planPartition('*', cut, { cursor: '2026-11-02T06:00:00.000Z' }, '2026-11-03T12:00:00.000Z').windows.map(span)).toEqual(['11-02T06/11-03T00', '11-03T00/11-03T12']);
  });

  it('jobs in the ledger take their windows first (polled, not resubmitted); a job that fits no window is stale', () => {
    const cut: CursorDeclaration = { start: '2026-11-01T00:00:00.000Z', stepMs: DAY, partial: 'cut' };
    const job = (start: string, end: string, id: string) => ({ start, end, job: id, submitted_at: '2026-11-03T00:00:00.000Z', attempts: 1 });
    const plan = planPartition('*', cut, { cursor: '2026-11-02T00:00:00.000Z', pending_jobs: [job('2026-11-02T06:00:00.000Z', '2026-11-02T12:00:00.000Z', 'late'), job('2026-11-02T00:00:00.000Z', '2026-11-02T06:00:00.000Z', 'first')] }, '2026-11-04T00:00:00.000Z');
    expect(plan.windows.map((w) => [span(w), w.job?.job ?? null])).toEqual([
      ['11-02T00/11-02T06', 'first'],
      ['11-02T06/11-02T12', 'late'],
      ['11-02T12/11-03T00', null],
      ['11-03T00/11-04T00', null],
    ]);
    const stale = planPartition('*', cut, { cursor: '2026-11-02T00:00:00.000Z', pending_jobs: [job('2026-11-01T00:00:00.000Z', '2026-11-02T00:00:00.000Z', 'old')] }, '2026-11-03T00:00:00.000Z');
    expect(stale.stale.map((s) => s.job)).toEqual(['old']);
    expect(stale.windows.map(span)).toEqual(['11-02T00/11-03T00']);
  });

  it('served history: a first sync starting before it is a config error; later, unfetchable windows are out of history', () => {
    const served: CursorDeclaration = { ...days, horizon: { earliest: '2026-11-03T00:00:00.000Z', firstSyncError: (earliest) => `start before ${earliest}` } };
    expect(() => planPartition('b', served, undefined, '2026-11-05T00:00:00.000Z')).toThrow(/start before 2026-11-03T00:00:00.000Z/);
    const late = planPartition('b', served, { cursor: '2026-11-02T00:00:00.000Z' }, '2026-11-05T00:00:00.000Z');
    expect(late.outOfHistory.map(span)).toEqual(['11-02T00/11-03T00']);
    expect(late.windows.map(span)).toEqual(['11-03T00/11-04T00', '11-04T00/11-05T00']);
  });
});
