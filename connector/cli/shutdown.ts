/**
 * Ctrl-C / SIGTERM during a sync: stop reading at the next safe point, commit, close the warehouse.
 * A second signal exits at once (the committed state still protects the data). Also writes the
 * resource figures the benchmark reads.
 */
import fs from 'node:fs';
import { downloadedBytes } from '../core/download.js';
import type { SyncSummary } from '../engine/sync.js';

export async function withShutdownSignal(work: (signal: AbortSignal) => Promise<SyncSummary>, statsFile?: string | boolean): Promise<SyncSummary> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${name}: finishing the current export day, then stopping (again to quit now)\n`);
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
