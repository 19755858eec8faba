/**
 * Is the data lake's nightly batch running? Genesys moves `dataAvailabilityDate` forward when its
 * batch has processed more data (typically hours behind now). A date far behind now means the
 * batch stopped: detail jobs still succeed, but nothing after the date is served, so syncs load
 * nothing new without any error.
 *
 * The rule compares the date to now, stateless, the same in `check` and in every sync: the date can
 * only have moved at or after the instant it names, so "not moved for over 36 hours" implies "more
 * than 36 hours behind now". The converse (a lake 36 hours behind that did move recently) is rare
 * and worth the same warning: the data is that stale either way. Remembering in the state when the
 * date last moved would add a field to every state, could not work in `check` (no state) nor on a
 * first sync, and would depend on how often syncs run.
 */
export const STALE_AVAILABILITY_HOURS = 36;

/** The warning for an availability date more than STALE_AVAILABILITY_HOURS behind `now`, else undefined. */
export function staleAvailabilityWarning(availability: string, now: Date): string | undefined {
  const behindHours = (now.getTime() - Date.parse(availability)) / 3_600_000;
  if (!(behindHours > STALE_AVAILABILITY_HOURS)) return undefined;
  return (
    `the data lake's availability date ${availability} is ${Math.floor(behindHours)} hours behind now (over ${STALE_AVAILABILITY_HOURS}): ` +
    "Genesys's nightly analytics batch has likely failed, so nothing after that date can be loaded yet. " +
    'The sync carries on from there once the date moves; if it stays, ask Genesys Cloud support (or check status.mypurecloud.com).'
  );
}
