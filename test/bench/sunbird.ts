/**
 * The Sunbird UCI bench (`npm run bench -- --vendor sunbird`): how fast response exhaust CSV becomes
 * rows in DuckDB. The simulator (its own process) answers every request at once (`--batch-every
 * immediate`: the vendor's batch is not what is measured) with Spark-style CSV files (quoted cells,
 * `\"` escapes, newlines in cells) of --per-day conversations per bot per day; `parley sync` (its own
 * process) loads --days for --bots bots into a fresh DuckDB file. Reported: response rows, rows per
 * CPU-second of the sync, wall time, peak RSS. Last line: one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulatorProcess, timedFloor, timedSync, versusFloor } from './processes.js';

interface Options {
  bots: number;
  days: number;
  perDay: number;
  keep: boolean;
}

export async function benchSunbird(options: Options): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-sunbird-'));
  const { url, process: child } = await startSimulatorProcess(['sunbird', '--per-day', String(options.perDay), '--seed', '1', '--batch-every', 'immediate']);
  try {
    const bots = Array.from({ length: options.bots }, (_, i) => `sb-bench-${i + 1}`);
    const today = new Date().toISOString().slice(0, 10);
    const startDate = new Date(Date.parse(today) - options.days * 86_400_000).toISOString().slice(0, 10);
    const source = {
      vendor: 'sunbird', base_url: `${url}/api`, api_key: 'sim-api-key', user_token: 'sim-user-token', channel_id: 'sim-channel', requested_by: 'bench',
      bot_ids: bots, start_date: startDate, job_wait_seconds: 3600,
    };
    const stats = await timedSync(dir, {
      source,
      destination: { type: 'duckdb', path: path.join(dir, 'bench.duckdb') },
    });
    const wall = stats.wallSeconds;
    const rows = stats.records.sunbird_responses ?? 0;
    const bytes = fs.statSync(path.join(dir, 'bench.duckdb')).size;
    process.stderr.write(`bench: sunbird ${rows} response rows, ${bots.length} bots × ${options.days} days\n`);
    const result = {
      vendor: 'sunbird',
      bots: bots.length,
      days: options.days,
      conversations_per_bot_per_day: options.perDay,
      response_rows: rows,
      windows: stats.records.sunbird_exhaust_windows ?? 0,
      rows_per_cpu_second: Math.round(rows / Math.max(0.001, stats.cpu_seconds)),
      wall_seconds: Number(wall.toFixed(1)),
      cpu_seconds: Number(stats.cpu_seconds.toFixed(2)),
      peak_rss_mib: Number(stats.peak_rss_mib.toFixed(1)),
      duckdb_mib: Number((bytes / 1048576).toFixed(1)),
      // The floor: the same exhaust requests, every CSV file parsed into cells and dropped (floor.ts).
      ...versusFloor(rows, stats.cpu_seconds, await timedFloor('sunbird', source)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    child.kill('SIGTERM');
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
