/**
 * The stream state, one versioned shape for every vendor, parsed here once:
 *
 *   { "parley_state": 2,
 *     "source_instance": "sim-org",
 *     "partitions": { "<bot id, or * for one>": {
 *         "cursor": "<ISO instant: everything before it is loaded>",
 *         "pending_jobs": [{ "start", "end", "job": <the vendor's job handle>, "submitted_at", "attempts" }] } },
 *     "listed_at": "<ISO instant>"   (list streams: when the list was last read) }
 *
 * The state belongs to one source instance (a vendor account): a state of another instance, or
 * one that is neither this shape nor an earlier Parley version's (the stream's `legacyState`), is
 * refused with one clear error saying how to reset it. In the warehouse, `_parley_state` holds one
 * row per (source_instance, stream).
 */
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { ownTable, SOURCE_INSTANCE } from '../tables/declare.js';

export const STATE_VERSION = 2;

const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());

const LedgerEntry = z.object({
  start: instant,
  end: instant,
  job: z.unknown(),
  submitted_at: instant,
  attempts: z.number().int().min(1),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

const PartitionState = z.object({
  cursor: instant.optional(),
  pending_jobs: z.array(LedgerEntry).optional(),
});
export type PartitionState = z.infer<typeof PartitionState>;

const StreamStateSchema = z.object({
  parley_state: z.literal(STATE_VERSION),
  source_instance: z.string().min(1),
  partitions: z.record(z.string(), PartitionState),
  listed_at: instant.optional(),
});
export type StreamState = z.infer<typeof StreamStateSchema>;

export function emptyState(instance: string): StreamState {
  return { parley_state: STATE_VERSION, source_instance: instance, partitions: {} };
}

const RESET =
  'To start that stream over: `parley sync`: delete its row from _parley_state (the raw rows stay and are upserted); `parley read`: pass no --state for it.';

/**
 * The state of `stream` for `instance`: the given one when it is Parley's, an earlier version's
 * converted by `legacy`, or a fresh one when there is none.
 */
export function parseStreamState(
  stream: string,
  raw: Record<string, unknown> | undefined,
  instance: string,
  legacy?: (state: Record<string, unknown>) => Record<string, { cursor: string }> | undefined,
): StreamState {
  if (raw === undefined || Object.keys(raw).length === 0) return emptyState(instance);
  if ('parley_state' in raw) {
    const parsed = StreamStateSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = parsed.error.issues[0]!;
      throw new ConfigError(`The state of stream ${stream} is corrupt (${[...problem.path].join('.') || 'top level'}: ${problem.message}). ${RESET}`);
    }
    if (parsed.data.source_instance !== instance) {
      throw new ConfigError(
        `The state of stream ${stream} belongs to source instance "${parsed.data.source_instance}", but this config is for "${instance}": ` +
          `a state is never shared between vendor accounts. Pass this account's own state. ${RESET}`,
      );
    }
    return parsed.data;
  }
  const converted = legacy?.(raw);
  if (converted) {
    const partitions: Record<string, PartitionState> = {};
    for (const [partition, { cursor }] of Object.entries(converted)) partitions[partition] = { cursor: new Date(cursor).toISOString() };
    return { ...emptyState(instance), partitions };
  }
  throw new ConfigError(`The state of stream ${stream} is not a Parley state (expected {"parley_state": ${STATE_VERSION}, …}; got keys ${Object.keys(raw).join(', ')}). ${RESET}`);
}

/** `_parley_state`: a row per (source_instance, stream), committed in the transaction of the records it covers. */
export const stateTable = ownTable({
  name: '_parley_state',
  description:
    'Per-stream connector state, committed in the same transaction as the records it covers. One row per (source_instance, stream); ' +
    'source_instance NULL = a state of Parley 0.1, adopted by the first sync of its vendor.',
  columns: [
    { name: SOURCE_INSTANCE, type: 'string', nullable: true, description: 'the vendor account the state belongs to' },
    { name: 'stream', type: 'string', nullable: false, description: 'the stream' },
    { name: 'state', type: 'json', nullable: false, description: 'the stream state (connector/core/streams/state.ts)' },
    { name: 'updated_at', type: 'timestamp', nullable: false, description: 'when it was committed (UTC)' },
    { name: '_sync_id', type: 'string', nullable: false, description: 'the sync that committed it' },
  ],
  key: [SOURCE_INSTANCE, 'stream'],
  bookkeeping: false,
});
