/**
 * Parley's stream state as the tests expect it (connector/core/streams/state.ts documents the
 * shape), written out here rather than built by the code under test.
 */
export const GENESYS_INSTANCE = 'mypurecloud.com/sim-client-id';

/** `{parley_state: 2, source_instance, partitions: {<p>: {cursor}}}` with every cursor an ISO instant. */
export function cursors(instance: string, partitions: Record<string, string>): Record<string, unknown> {
  return { parley_state: 2, source_instance: instance, partitions: Object.fromEntries(Object.entries(partitions).map(([p, cursor]) => [p, { cursor }])) };
}

/** An Ultimate state where each bot is loaded through `lastDay` (its cursor: the next midnight). */
export function ultimateLoadedThrough(bots: string[], lastDay: string, instance = 'sim-org'): Record<string, unknown> {
  const next = new Date(Date.parse(`${lastDay}T00:00:00.000Z`) + 86_400_000).toISOString();
  return cursors(instance, Object.fromEntries(bots.map((b) => [b, next])));
}

/** The cursor of a one-partition (Genesys) state. */
export function orgCursor(state: unknown): string | undefined {
  return (state as { partitions?: Record<string, { cursor?: string }> } | undefined)?.partitions?.['*']?.cursor;
}
