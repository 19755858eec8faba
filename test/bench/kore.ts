/**
 * The Kore.ai bench (`npm run bench -- --vendor kore`): a Kore sync is bound by requests, not CPU —
 * 60 a minute and 1,800 an hour per bot at Kore, 50 and 1,500 by default in Parley. The simulator
 * (its own process, real time, pages capped at 100 like the default page_size) serves --per-day
 * sessions per bot per day; `parley sync` (its own process) backfills --days for --bots bots into a
 * fresh DuckDB file at the default budget. Reported: requests per synced session (from the
 * simulator's counts), wall time, CPU and peak RSS of the sync, and the wall time the hourly budget
 * alone implies for the same requests (the bound on longer backfills). Last line: one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulatorProcess, timedSync } from './processes.js';

interface Options {
  bots: number;
  days: number;
  perDay: number;
  budget: number;
  keep: boolean;
}

interface BotStats {
  requests: number;
  rateLimited: number;
  peakSentPerMinute: number;
  getSessions: Record<string, number>;
  getAnalytics: Record<string, number>;
}

export async function benchKore(options: Options): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-kore-'));
  const { url, process: child } = await startSimulatorProcess(['kore', '--per-day', String(options.perDay), '--seed', '1']);
  try {
    const bots = Array.from({ length: options.bots }, (_, i) => `st-bench-${i + 1}`);
    const startDate = new Date(Date.now() - options.days * 86_400_000).toISOString().slice(0, 10);
    const stats = await timedSync(dir, {
      source: { vendor: 'kore', base_url: url, client_id: 'sim-client-id', client_secret: 'sim-client-secret', bot_ids: bots, start_date: startDate, max_requests_per_minute: options.budget },
      destination: { type: 'duckdb', path: path.join(dir, 'bench.duckdb') },
    });
    const wall = stats.wallSeconds;
    const sim = (await (await fetch(`${url}/__sim/stats`)).json()) as { bots: Record<string, BotStats> };
    const perBot = bots.map((b) => sim.bots[b]!);
    const requests = perBot.reduce((n, b) => n + b.requests, 0);
    const sessions = stats.records.kore_sessions ?? 0;
    const maxBotRequests = Math.max(...perBot.map((b) => b.requests));
    process.stderr.write(`bench: kore ${sessions} sessions, ${stats.records.kore_intents ?? 0} intent events, ${bots.length} bots × ${options.days} days, ${requests} requests\n`);
    const result = {
      vendor: 'kore',
      bots: bots.length,
      days: options.days,
      sessions_per_bot_per_day: options.perDay,
      budget_per_minute: options.budget,
      sessions,
      intent_events: stats.records.kore_intents ?? 0,
      requests,
      requests_per_session: Number((requests / Math.max(1, sessions)).toFixed(3)),
      requests_per_bot: perBot.map((b) => b.requests),
      rate_limited: perBot.reduce((n, b) => n + b.rateLimited, 0),
      peak_requests_per_minute_per_bot: Math.max(...perBot.map((b) => b.peakSentPerMinute)),
      wall_seconds: Number(wall.toFixed(1)),
      // What the budgets alone imply for the busiest bot (a burst, then the pace): per minute, per hour.
      budget_floor_seconds: Math.max((Math.ceil(maxBotRequests / options.budget) - 1) * 61, (Math.ceil(maxBotRequests / 1500) - 1) * 3601, 0),
      cpu_seconds: Number(stats.cpu_seconds.toFixed(2)),
      peak_rss_mib: Number(stats.peak_rss_mib.toFixed(1)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    child.kill('SIGTERM');
    if (!options.keep) fs.rmSync(dir, { recursive: true, force: true });
  }
}
