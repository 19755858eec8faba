/**
 * A stream state (state.ts) in a few words, for the last lines of a sync summary: where the stream
 * stands now. One partition: its cursor; several: the latest cursor, and the earliest when they
 * differ (a bot behind the others shows); jobs pending in the ledger; a list stream: when it was
 * listed. Anything else (a state of an earlier version, a note) is "no cursor".
 */
interface Shape {
  partitions?: Record<string, { cursor?: unknown; pending_jobs?: unknown }>;
  listed_at?: unknown;
}

const short = (instant: string) => instant.replace(/\.000Z$/, 'Z');

export function describeState(state: Record<string, unknown> | undefined): string {
  const { partitions = {}, listed_at: listedAt } = (state ?? {}) as Shape;
  const parts = Object.values(partitions);
  const cursors = parts.map((p) => p.cursor).filter((c): c is string => typeof c === 'string').sort();
  const pending = parts.reduce((n, p) => n + (Array.isArray(p.pending_jobs) ? p.pending_jobs.length : 0), 0);
  let text: string;
  if (cursors.length === 0) text = typeof listedAt === 'string' ? `listed at ${short(listedAt)}` : 'no cursor yet';
  else if (parts.length === 1) text = `cursor ${short(cursors[0]!)}`;
  else {
    const latest = short(cursors.at(-1)!);
    const earliest = short(cursors[0]!);
    const without = parts.length - cursors.length;
    text = `cursor ${latest} (latest of ${parts.length} partitions${earliest !== latest ? `; earliest ${earliest}` : ''}${without > 0 ? `; ${without} without a cursor yet` : ''})`;
  }
  return pending > 0 ? `${text}, ${pending} job${pending === 1 ? '' : 's'} pending` : text;
}
