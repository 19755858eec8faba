/**
 * Ctrl-C / SIGTERM during a sync or a read (the Airbyte platform stops a connector with SIGTERM):
 * stop reading at the next safe point — a source releases what it holds on the vendor's side, e.g.
 * Genesys jobs are deleted — then commit and close. A second signal exits at once (the committed
 * state still protects the data). Also writes the resource figures the benchmark reads.
 */
import fs from 'node:fs';
import { downloadedBytes } from '../core/download.js';
import type { SyncSummary } from '../engine/sync.js';

export async function withShutdownSignal<T extends SyncSummary | void>(work: (signal: AbortSignal) => Promise<T>, statsFile?: string | boolean): Promise<T> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${name}: finishing the current unit of work, then stopping (again to quit now)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await work(controller.signal);
    if (typeof statsFile === 'string') {
      const usage = process.resourceUsage();
      fs.writeFileSync(
        statsFile,
        JSON.stringify({ ...summary, input_bytes: downloadedBytes(), cpu_seconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peak_rss_mib: usage.maxRSS / 1024 }),
      );
    }
    return summary;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
