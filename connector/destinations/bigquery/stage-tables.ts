/**
 * Stage tables: `_parley_stage_<instance key>_<sync id>_<raw table>`, one per raw table and sync,
 * loaded with WRITE_TRUNCATE at every commit and dropped when the sync closes. A sync that is killed
 * never closes, so the next sync drops the leftovers — but only those it can know to be dead:
 *
 *   - stage tables of the same source instance and another sync id. Two syncs of one instance are
 *     not meant to overlap (they would read the same windows); if they do, dropping the other's
 *     stage table can only make that sync's next MERGE fail with "not found" before its state moves
 *     (commit-script.ts: rows before states, each statement idempotent), so it fails and its rerun
 *     resumes. Nothing is lost or duplicated.
 * *   - tables named as earlier builds named them (`_parley_stage_<sync id>_<table>`, no instance)
 *     whose sync started more than LEGACY_MAX_AGE_MS ago (the sync id begins with its start time):
 *     their instance is unknown, and a live sync of that age is not plausible.
 *
 * Stage tables of other instances sharing the dataset are never touched: their own next sync drops them.
 */
import crypto from 'node:crypto';

export const STAGE_PREFIX = '_parley_stage_';
const LEGACY_MAX_AGE_MS = 24 * 3600_000;

/** 10 hex digits of the instance's SHA-256: table names need [A-Za-z0-9_], and instances are free text. */
export function instanceKey(instance: string): string {
  return crypto.createHash('sha256').update(instance).digest('hex').slice(0, 10);
}

function syncPart(syncId: string): string {
  return syncId.replace(/\W/g, '_');
}

export function stageTableName(instance: string, syncId: string, table: string): string {
  return `${STAGE_PREFIX}${instanceKey(instance)}_${syncPart(syncId)}_${table}`;
}

// sync ids are `<yyyymmddThhmmss>-<6 hex>` (engine/sync.ts), `-` written as `_`
const LEGACY = new RegExp(`^${STAGE_PREFIX}(\\d{8})T(\\d{6})_[0-9a-f]{6}_`);

/** The stage tables among `tables` that a sync of `instance` with `syncId` drops (see the file comment). */
export function leftoverStageTables(tables: string[], instance: string, syncId: string, now = new Date()): string[] {
  const mine = `${STAGE_PREFIX}${instanceKey(instance)}_`;
  const current = `${mine}${syncPart(syncId)}_`;
  return tables.filter((name) => {
    if (name.startsWith(mine)) return !name.startsWith(current);
    const legacy = LEGACY.exec(name);
    if (!legacy) return false;
    const [, day, time] = legacy as unknown as [string, string, string];
    const started = Date.parse(`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6, 8)}T${time.slice(0, 2)}:${time.slice(2, 4)}:${time.slice(4, 6)}Z`);
    return Number.isFinite(started) && now.getTime() - started > LEGACY_MAX_AGE_MS;
  });
}
