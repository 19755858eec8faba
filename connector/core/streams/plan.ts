/**
 * Where a partition's sync starts and which windows it reads — one function for every vendor
 * (Meltano SDK's "one place decides the start"):
 *
 *   position = the partition's cursor (never before the cursor's start), or the start on a first sync
 *   re-reads  = grid windows over [max(start, position − lookback, horizon), position)
 *   ledger    = windows of jobs submitted by an earlier sync that begin at the position, in order
 *               (their job is polled, not submitted again)
 *   new       = grid windows from the end of the ledger to the upper bound (`partial`: cut the last
 *               one there, leave it for a later sync, or read it without checkpointing it)
 *   missing   = windows after the position that the vendor no longer serves (before the horizon)
 */
import { ConfigError } from '../errors.js';
import { gridFloor, gridWindowsMs, type Window } from '../windows.js';
import type { CursorDeclaration } from './declare.js';
import type { LedgerEntry, PartitionState } from './state.js';

export interface PlannedWindow extends Window {
  /** Already loaded once: re-read for changes, never moves the cursor back. */
  reread: boolean;
  /** A job an earlier sync submitted for exactly this window. */
  job?: LedgerEntry;
  /** The window still filling (partial `open`): read, never checkpointed. */
  open?: boolean;
}

export interface PartitionPlan {
  partition: string;
  /** The cursor before this sync (the cursor's start on a first sync). */
  position: string;
  windows: PlannedWindow[];
  /** Unloaded windows the vendor serves no longer: recorded as missing. */
  outOfHistory: Window[];
  /** Ledger jobs that fit no planned window (e.g. the config changed): to be released. */
  stale: LedgerEntry[];
}

const max = (...instants: string[]) => instants.reduce((a, b) => (a > b ? a : b));

/**
 * `firstSync`: no partition of the stream has a cursor yet. Then a start before the served history
 * is a configuration error; later (a partition added to a stream already syncing, e.g. a bot added
 * to bot_ids months after start_date) the days out of reach are recorded missing instead, so adding
 * a bot never stops the others.
 */
export function planPartition(partition: string, cursor: CursorDeclaration, state: PartitionState | undefined, until: string, firstSync = true): PartitionPlan {
  const start = new Date(cursor.start).toISOString();
  // A cursor before the start (start_date moved later since) begins at the start: earlier days are not wanted.
  const position = state?.cursor !== undefined && state.cursor > start ? state.cursor : start;
  const horizon = cursor.horizon ? new Date(cursor.horizon.earliest).toISOString() : undefined;
  if (firstSync && state?.cursor === undefined && horizon !== undefined && start < horizon && start < until) {
    throw new ConfigError(cursor.horizon!.firstSyncError(horizon));
  }
  const end = cursor.partial === 'cut' ? until : gridFloor(start, until, cursor.stepMs);
  const windows: PlannedWindow[] = [];
  const outOfHistory: Window[] = [];

  const rereadFrom = max(start, new Date(Date.parse(position) - (cursor.lookbackMs ?? 0)).toISOString(), horizon ?? start);
  for (const w of gridWindowsMs(start, rereadFrom, position < end ? position : end, cursor.stepMs)) windows.push({ ...w, reread: true });

  let at = position;
  if (horizon !== undefined && at < horizon) {
    const lost = cursor.partial === 'cut' ? horizon : gridFloor(start, horizon, cursor.stepMs);
    outOfHistory.push(...gridWindowsMs(start, at, lost < end ? lost : end, cursor.stepMs));
    if (lost > at) at = lost;
  }

  const ledger = [...(state?.pending_jobs ?? [])].sort((a, b) => (a.start < b.start ? -1 : 1));
  const stale: LedgerEntry[] = [];
  for (const job of ledger) {
    if (job.start === at && job.end <= until && job.end > job.start) {
      windows.push({ start: job.start, end: job.end, reread: false, job });
      at = job.end;
    } else stale.push(job);
  }
  for (const w of gridWindowsMs(start, at, end, cursor.stepMs)) windows.push({ ...w, reread: false });
  const last = windows.at(-1)?.end ?? at;
  if (cursor.partial === 'open' && last < until && last >= at) windows.push({ start: last, end: until, reread: false, open: true });
  return { partition, position, windows, outOfHistory, stale };
}
