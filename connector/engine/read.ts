/**
 * The protocol side of a read, shared by `read` (stdout) and `sync` (a destination): runs the
 * source's declared streams (core/streams/run.ts) over the configured catalog and hands Airbyte
 * messages to a handler. It owns stream statuses, per-state record counts, selection of streams,
 * and the quarantine (a record of `_parley_quarantine` when that stream is selected, a warning
 * otherwise — never silent). Every selected stream ends a complete read with a STATE.
 */
import { ConfigError, asParleyError } from '../core/errors.js';
import { setHeapGrowth } from '../core/heap.js';
import { logger } from '../core/log.js';
import { Progress } from '../core/progress.js';
import { QUARANTINE_STREAM } from '../core/quarantine.js';
import { streamDefinitions, type StreamDefinition } from '../core/streams/catalog.js';
import { runStreams } from '../core/streams/run.js';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../protocol/messages.js';
import type { StreamStates } from '../protocol/inputs.js';
import { traceError, traceStatus } from '../protocol/writer.js';
import type { Source } from '../sources/source.js';

/** Receives every message; `raw` is the vendor's text of a RECORD when there is one. */
export type MessageHandler = (message: AirbyteMessage, raw?: string) => void | Promise<void>;

export interface ReadOptions {
  source: Source<unknown, unknown>;
  config: unknown;
  catalog: ConfiguredAirbyteCatalog;
  state: StreamStates;
  handle: MessageHandler;
  progress: Progress;
  now?: Date;
  signal?: AbortSignal;
}

const log = logger('read');

/** The streams of a source as Airbyte sees them (discover, the catalog of `sync`). */
export function sourceStreams(source: Source<unknown, unknown>): StreamDefinition[] {
  return streamDefinitions(source.streams as never);
}

/** Throws a ConfigError when the catalog names a stream the source does not have. */
export function checkCatalog(source: Source<unknown, unknown>, catalog: ConfiguredAirbyteCatalog): void {
  const known = new Set(sourceStreams(source).map((s) => s.name));
  const unknown = catalog.streams.map((s) => s.stream.name).filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(`The catalog names stream(s) ${unknown.join(', ')} that this ${source.vendor} source does not have; run discover and use: ${[...known].join(', ')}.`);
  }
}

/**
 * Resolves when every stream completed, or stopped early on the signal (streams then INCOMPLETE: the
 * emitted states cover what was read); throws (after emitting INCOMPLETE + TRACE ERROR) otherwise.
 */
export async function runRead(options: ReadOptions): Promise<void> {
  const growth = options.source.heapGrowthPercent;
  if (growth === undefined) return readStreams(options);
  const before = setHeapGrowth(growth);
  try {
    return await readStreams(options);
  } finally {
    setHeapGrowth(before);
  }
}

async function readStreams(options: ReadOptions): Promise<void> {
  const { source, config, catalog, handle, progress } = options;
  checkCatalog(source, catalog);
  const selected = catalog.streams.map((s) => s.stream.name);
  const isSelected = new Set(selected);
  const sinceState = new Map<string, number>();
  const running = new Set<string>();
  const signal = options.signal ?? new AbortController().signal;
  const now = options.now ?? new Date();
  let quarantineWarned = 0;

  const quarantineState = async (): Promise<void> => {
    const count = sinceState.get(QUARANTINE_STREAM) ?? 0;
    sinceState.set(QUARANTINE_STREAM, 0);
    await handle({
      type: 'STATE',
      state: { type: 'STREAM', stream: { stream_descriptor: { name: QUARANTINE_STREAM }, stream_state: { note: 'quarantine has no cursor' } }, sourceStats: { recordCount: count } },
    });
  };

  // A stream configured full_refresh starts over: its input state is not used.
  const fullRefresh = new Set(catalog.streams.filter((s) => s.sync_mode === 'full_refresh').map((s) => s.stream.name));
  const states = Object.fromEntries(Object.entries(options.state).filter(([stream]) => !fullRefresh.has(stream)));
  // The summary's closing lines: every selected stream but the quarantine (counted per stream instead).
  for (const stream of selected) if (stream !== QUARANTINE_STREAM) progress.stream(stream, options.state[stream]);
  for (const stream of selected) await handle(traceStatus(stream, 'STARTED'));
  try {
    const instance = source.instance(config);
    const events = runStreams(source.streams, { config, session: source.session(config), now, signal, instance, states, selected: isSelected });
    for await (const event of events) {
      switch (event.kind) {
        case 'records': {
          if (!isSelected.has(event.stream)) break;
          if (!running.has(event.stream)) {
            running.add(event.stream);
            await handle(traceStatus(event.stream, 'RUNNING'));
          }
          sinceState.set(event.stream, (sinceState.get(event.stream) ?? 0) + event.records.length);
          progress.record(event.stream, event.records.length);
          const emittedAt = Date.now();
          for (const { data, raw } of event.records) {
            // Destinations return a promise only when they commit: no await (and no microtask) per record otherwise.
            const pending = handle({ type: 'RECORD', record: { stream: event.stream, data, emitted_at: emittedAt } }, raw);
            if (pending) await pending;
          }
          break;
        }
        case 'quarantine': {
          progress.quarantined(1, event.record.source_stream);
          if (isSelected.has(QUARANTINE_STREAM)) {
            sinceState.set(QUARANTINE_STREAM, (sinceState.get(QUARANTINE_STREAM) ?? 0) + 1);
            await handle({ type: 'RECORD', record: { stream: QUARANTINE_STREAM, data: { ...event.record }, emitted_at: Date.now() } });
          } else if (quarantineWarned++ < 20) {
            log.warn(`quarantined ${event.record.locator}: ${event.record.reason} (select the ${QUARANTINE_STREAM} stream to keep such records)`);
          }
          break;
        }
        case 'state': {
          if (!isSelected.has(event.stream)) break;
          const recordCount = sinceState.get(event.stream) ?? 0;
          sinceState.set(event.stream, 0);
          progress.state(event.stream, event.state);
          await handle({
            type: 'STATE',
            state: { type: 'STREAM', stream: { stream_descriptor: { name: event.stream }, stream_state: event.state }, sourceStats: { recordCount } },
          });
          // Quarantined records ride along with the stream they came from: flush them with its state.
          if (isSelected.has(QUARANTINE_STREAM) && (sinceState.get(QUARANTINE_STREAM) ?? 0) > 0) await quarantineState();
          break;
        }
        case 'plan':
          progress.plan(event.units, event.unitName);
          break;
        case 'unit_done':
          progress.unitDone();
          log.debug(event.description);
          break;
        case 'warning':
          progress.warn(event.message);
          log.warn(event.message);
          break;
        case 'jobs_pending':
          progress.jobsPending(event.count);
          break;
        case 'tally':
          if (event.count > 0) progress.note(`${event.stream}: ${event.count.toLocaleString('en-US')} ${event.label}`);
          break;
      }
    }
  } catch (error) {
    const failure = asParleyError(error);
    for (const stream of selected) await handle(traceStatus(stream, 'INCOMPLETE'));
    await handle(traceError(failure.message, failure.failureType, failure.failureType === 'config_error' ? undefined : (failure.stack ?? failure.message)));
    throw failure;
  }
  const stopped = signal.aborted;
  if (stopped) log.info('stopped on request: the states emitted cover what was read; the next read resumes there');
  else if (isSelected.has(QUARANTINE_STREAM)) await quarantineState();
  for (const stream of selected) await handle(traceStatus(stream, stopped ? 'INCOMPLETE' : 'COMPLETE'));
}

/** The catalog `sync` uses: every stream of the source, incremental, deduplicated on its key. */
export function fullCatalog(source: Source<unknown, unknown>): ConfiguredAirbyteCatalog {
  return {
    streams: sourceStreams(source).map((stream) => ({
      stream: {
        name: stream.name,
        json_schema: stream.jsonSchema,
        supported_sync_modes: ['incremental', 'full_refresh'] as ('incremental' | 'full_refresh')[],
        // A stream without a cursor (the quarantine, a list read whole) has none to define.
        ...(stream.cursorField.length > 0 ? { source_defined_cursor: true, default_cursor_field: stream.cursorField } : { source_defined_cursor: false }),
        source_defined_primary_key: stream.primaryKey,
        // Every stream checkpoints: a read stopped midway resumes from its last state.
        is_resumable: true,
      },
      sync_mode: 'incremental' as const,
      destination_sync_mode: 'append_dedup' as const,
      primary_key: stream.primaryKey,
    })),
  };
}
