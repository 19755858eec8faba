/**
 * `sync`: the read engine piped into a destination in the same process. State comes from the
 * warehouse, and goes back into it with the records it covers.
 */
import crypto from 'node:crypto';
import { logger } from '../core/log.js';
import { Progress } from '../core/progress.js';
import { openDuckDb } from '../destinations/duckdb/destination.js';
import type { Destination, SyncIdentity } from '../destinations/destination.js';
import { QUARANTINE_STREAM } from '../core/quarantine.js';
import { allStreams, loadSource } from '../sources/registry.js';
import type { StreamDefinition } from '../sources/source.js';
import { fullCatalog, runRead, sourceStreams } from './read.js';
import type { DestinationConfig, SyncConfig } from './sync-config.js';

const log = logger('sync');

export interface SyncSummary {
  syncId: string;
  instance: string;
  records: Record<string, number>;
  quarantined: number;
  units: number;
  jobsPending: number;
  warnings: readonly string[];
  /** Per stream: records, quarantined, and the cursor now (the summary's closing lines). */
  streams: Array<{ stream: string; records: number; quarantined: number; cursor: string }>;
  seconds: number;
}

export async function openDestination(config: DestinationConfig, streams: StreamDefinition[], identity: SyncIdentity): Promise<Destination> {
  switch (config.type) {
    case 'duckdb':
      return openDuckDb(config, streams, identity);
    case 'bigquery': {
      // Loaded only when used: the BigQuery client library is ~16 MiB of a DuckDB sync's memory otherwise.
      const { openBigQuery } = await import('../destinations/bigquery/destination.js');
      return openBigQuery(config, streams, identity);
    }
  }
}

export async function runSync(config: SyncConfig, options: { now?: Date; signal?: AbortSignal } = {}): Promise<SyncSummary> {
  const { source, config: sourceConfig } = loadSource(config.source, 'source');
  const streams = sourceStreams(source);
  const syncId = `${new Date().toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${crypto.randomBytes(3).toString('hex')}`;
  const instance = source.instance(sourceConfig);
  const identity: SyncIdentity = { syncId, instance, sourceStreams: streams.map((s) => s.name).filter((name) => name !== QUARANTINE_STREAM) };
  // Every vendor's raw tables exist after any sync (empty until loaded), so one dbt project builds.
  const destination = await openDestination(config.destination, allStreams(), identity);
  const progress = new Progress(`sync ${source.vendor}`);
  log.info(`sync ${syncId}: ${source.vendor} ${instance} → ${config.destination.type} (${config.destination.type === 'duckdb' ? config.destination.path : `${config.destination.project_id}.${config.destination.dataset}`})`);
  let failed = true;
  try {
    const state = await destination.readState();
    await runRead({
      source,
      config: sourceConfig,
      catalog: fullCatalog(source),
      state,
      handle: destination.handle,
      progress,
      ...(options.now ? { now: options.now } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    failed = false;
  } finally {
    // Commit what was read even after a failure: records without a newer state are re-read and upserted next time.
    await destination.close();
    const outcome = failed ? 'FAILED' : options.signal?.aborted ? 'stopped (the next sync resumes from here)' : 'finished';
    for (const line of [`sync ${syncId} ${outcome}:`, ...progress.summary()]) process.stderr.write(`${line}\n`);
  }
  const records: Record<string, number> = {};
  for (const stream of streams) records[stream.name] = progress.recordsOf(stream.name);
  return {
    syncId,
    instance,
    records,
    quarantined: progress.quarantinedTotal,
    units: progress.units,
    jobsPending: progress.jobsPendingTotal,
    warnings: progress.warningMessages,
    streams: progress.streamLines(),
    seconds: progress.elapsedSeconds,
  };
}
