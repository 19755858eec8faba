/**
 * Ctrl-C / SIGTERM during a sync or a read (the Airbyte platform stops a connector with SIGTERM):
 * stop reading at the next safe point — a source releases what it holds on the vendor's side, e.g.
 * Genesys jobs are deleted — then commit and close. A second signal exits at once, and so does a
 * stop still under way after the grace (PARLEY_STOP_GRACE_SECONDS, default 25: a request being
 * retried, a long download): the committed state still protects the data, as after a crash.
 *
 * `sync` and `run` then fail with `StoppedBySignal` (exit code 128 + the signal's number, 143 for
 * SIGTERM, and `run` builds no marts); `read` ends normally, its last STATE messages covering what
 * it emitted (the Airbyte convention). Also writes the resource figures the benchmark reads.
 */
import fs from 'node:fs';
import os from 'node:os';
import { downloadedBytes } from '../core/download.js';
import type { SyncSummary } from '../engine/sync.js';

/** A sync stopped by a signal: what it committed stays, the next sync resumes there. */
export class StoppedBySignal extends Error {
  readonly exitCode: number;
  constructor(readonly signalName: NodeJS.Signals) {
    super(`stopped by ${signalName}: every window committed before it stays (records and state together); the next sync resumes from there`);
    this.exitCode = exitCodeOf(signalName);
  }
}

function exitCodeOf(name: NodeJS.Signals): number {
  return 128 + (os.constants.signals[name] ?? 15);
}

function graceMs(): number {
  const seconds = Number(process.env.PARLEY_STOP_GRACE_SECONDS ?? 25);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 25_000;
}

export interface ShutdownOptions {
  /** Where to write the summary and resource figures (the benchmark). */
  statsFile?: string | boolean | undefined;
  /** Throw StoppedBySignal when a signal stopped the work (sync, run); read ends normally. */
  failWhenStopped?: boolean;
}

export async function withShutdownSignal<T extends SyncSummary | void>(work: (signal: AbortSignal) => Promise<T>, options: ShutdownOptions = {}): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let grace: NodeJS.Timeout | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    if (received) {
      process.stderr.write(`\n${name} again: exiting now (the committed state protects the data)\n`);
      process.exit(exitCodeOf(name));
    }
    received = name;
    process.stderr.write(`\n${name}: finishing the current unit of work, then stopping (again to quit now)\n`);
    grace = setTimeout(() => {
      process.stderr.write(`${name}: still stopping after ${graceMs() / 1000} s (a request or download under way); exiting now — the committed state protects the data, the next sync resumes from it\n`);
      process.exit(exitCodeOf(name));
    }, graceMs());
    grace.unref();
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const summary = await work(controller.signal);
    if (typeof options.statsFile === 'string') {
      const usage = process.resourceUsage();
      fs.writeFileSync(
        options.statsFile,
        JSON.stringify({ ...summary, input_bytes: downloadedBytes(), cpu_seconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peak_rss_mib: usage.maxRSS / 1024 }),
      );
    }
    if (received && options.failWhenStopped) throw new StoppedBySignal(received);
    return summary;
  } finally {
    clearTimeout(grace);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
