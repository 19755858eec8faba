/**
 * `npm run bench [-- --conversations N] [--vendor genesys [--job-seconds 2] [--jobs-in-flight 2]] [--destination bigquery] [--dbt]`: the simulator (its own
 * process, bench-shaped exports of ~1–1.5 KB per conversation) → `parley sync` (its own process) →
 * a fresh DuckDB file or BigQuery dataset (the local emulator). CPU and peak RSS are the sync
 * process's own, from its resource usage. The last line printed is one JSON object.
 *
 * --vendor kore measures what bounds a Kore.ai sync: requests. A backfill of --days (default 30) for
 * --bots bots (default 3) at --per-day sessions per bot per day (default 200) runs at the default
 * budget (50 requests a minute, 1,500 an hour per bot, bots side by side) against the simulator
 * (server pages capped at 100); it reports requests per synced session and the wall time. With
 * --kore-budget N the sync's per-minute budget is N instead (≤ 60, Kore's own limit).
 *
 * --vendor sunbird measures CSV → DuckDB: response rows per CPU-second of the sync, from --bots (default
 * 5) × --days (default 20) of --per-day (default 1,000) conversations per bot per day, every request
 * answered at once (test/bench/sunbird.ts).
 *
 * --dbt adds the transform side: a full dbt build, then the daily shape — a second sync (it
 * re-reads the lookback days) and an incremental build — and compares what they process: the bytes
 * dbt-bigquery reports per model (BigQuery's job statistics, in target/run_results.json), and the
 * bytes BigQuery reports for reading the raw columns the models use over all days vs over the days
 * the incremental build rebuilt (dry-run SELECTs, free on BigQuery).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { timedFloor, versusFloor } from './processes.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'bin', 'parley.js');

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '1000000' },
    // Defaults: Ultimate 5 bots × 20 days, Kore 3 bots × 30 days
    bots: { type: 'string' },
    days: { type: 'string' },
    vendor: { type: 'string', default: 'ultimate' },
    destination: { type: 'string', default: 'duckdb' },
    keep: { type: 'boolean', default: false },
    dbt: { type: 'boolean', default: false },
    // Genesys: seconds each detail job takes on the simulator, and jobs held at once by the sync
    'job-seconds': { type: 'string', default: '2' },
    'jobs-in-flight': { type: 'string', default: '2' },
    // Kore: sessions per bot per day, and the per-minute budget of the sync
    'per-day': { type: 'string' },
    'kore-budget': { type: 'string', default: '50' },
  },
});
if (!['ultimate', 'genesys', 'kore', 'sunbird'].includes(values.vendor)) throw new Error(`--vendor ${values.vendor}: use ultimate, genesys, kore or sunbird`);
const genesys = values.vendor === 'genesys';
const kore = values.vendor === 'kore';
if (kore) {
  const { benchKore } = await import('./kore.js');
  await benchKore({ bots: Number(values.bots ?? 3), days: Number(values.days ?? 30), perDay: Number(values['per-day'] ?? 200), budget: Number(values['kore-budget']), keep: values.keep });
  process.exit(0);
}
if (values.vendor === 'sunbird') {
  const { benchSunbird } = await import('./sunbird.js');
  await benchSunbird({ bots: Number(values.bots ?? 5), days: Number(values.days ?? 20), perDay: Number(values['per-day'] ?? 1000), keep: values.keep });
  process.exit(0);
}
if (values.destination !== 'duckdb' && values.destination !== 'bigquery') throw new Error(`--destination ${values.destination}: use duckdb or bigquery`);
const conversations = Number(values.conversations);
const bots = Number(values.bots ?? 5);
const days = Number(values.days ?? 20);
// Genesys jobs cover the whole org (its bots are flows inside the data), so --bots is Ultimate's only.
const perDay = Math.round(conversations / ((genesys ? 1 : bots) * days));
// Genesys: the simulator's clock is today 00:00 UTC with no availability lag, so the sync loads
// whole days [today - days, today).

function utcDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

async function startSimulator(): Promise<{ url: string; stop: () => void }> {
  const args = genesys
    ? ['simulate', 'genesys', '--per-day', String(perDay), '--seed', '1', '--now', `${utcDay(0)}T00:00:00.000Z`, '--faults', `availabilityLagHours=0,jobSeconds=${values['job-seconds']}`]
    : ['simulate', 'ultimate', '--shape', 'bench', '--per-day', String(perDay), '--seed', '1'];
  const child = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** BigQuery runs against the local emulator (built into .tools/bin by the test setup). */
async function startBigQuery(): Promise<{ destination: Record<string, unknown>; stop: () => Promise<void> }> {
  process.env.PARLEY_BIGQUERY_EMULATOR ??= path.join(root, '.tools', 'bin', 'bigquery-emulator');
  const { startEmulator } = await import('../setup/bigquery-emulator.js');
  const emulator = await startEmulator({ project: 'parley-bench' });
  return {
    destination: { type: 'bigquery', project_id: 'parley-bench', dataset: 'bench', location: 'US', api_endpoint: emulator.url },
    stop: () => emulator.stop(),
  };
}

function runParley(args: string[], capture?: { stderr: string }): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', capture ? 'pipe' : 'inherit'] });
    child.stderr?.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      if (capture) capture.stderr += chunk.toString();
    });
    child.on('close', resolve);
  });
}

interface RunResults {
  results: Array<{ unique_id: string; execution_time: number; adapter_response?: { bytes_processed?: number } }>;
}

/** Seconds and reported bytes of one `parley transform`, from dbt's run_results.json. */
async function transform(config: string, runResults: string, extra: string[]): Promise<{ seconds: number; model_bytes_reported: number; test_bytes_reported: number; stderr: string }> {
  const capture = { stderr: '' };
  const started = process.hrtime.bigint();
  const code = await runParley(['transform', '--config', config, ...(extra.length ? ['--', ...extra] : [])], capture);
  if (code !== 0) throw new Error(`transform exited with ${code}`);
  const results = (JSON.parse(fs.readFileSync(runResults, 'utf8')) as RunResults).results;
  const bytes = (prefix: string) => results.filter((r) => r.unique_id.startsWith(prefix)).reduce((sum, r) => sum + (r.adapter_response?.bytes_processed ?? 0), 0);
  return {
    seconds: Number((Number(process.hrtime.bigint() - started) / 1e9).toFixed(1)),
    model_bytes_reported: bytes('model.'),
    test_bytes_reported: bytes('test.'),
    stderr: capture.stderr,
  };
}

/** Full build, lookback sync, incremental build; on BigQuery also the raw bytes read (see the header). */
async function benchDbt(config: string, destination: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
  const runResults = destination
    ? path.join(os.tmpdir(), `parley-dbt-${String(destination.project_id)}-${String(destination.dataset)}`, 'target', 'run_results.json')
    : path.join(dir, 'bench.duckdb.dbt', 'target', 'run_results.json');
  const full = await transform(config, runResults, []);
  const again = await runParley(['sync', '--config', config]);
  if (again !== 0) throw new Error(`second sync exited with ${again}`);
  // The two syncs are minutes apart: without overlap 0 the default 60-minute overlap rebuilds all.
  const incremental = await transform(config, runResults, ['--vars', '{incremental_overlap_minutes: 0}']);
  const rebuilt = /fct_conversations: rebuilding \d+ day\(s\) loaded since [^:]+:\d\d:\d\d UTC: ([\d, -]+)/.exec(incremental.stderr)?.[1]?.split(', ') ?? [];
  const out: Record<string, unknown> = {
    full_refresh: { seconds: full.seconds, model_bytes_reported: full.model_bytes_reported, test_bytes_reported: full.test_bytes_reported },
    incremental: { seconds: incremental.seconds, model_bytes_reported: incremental.model_bytes_reported, test_bytes_reported: incremental.test_bytes_reported, days_rebuilt: rebuilt.length },
  };
  if (destination) out.raw_bytes_read = await rawBytesRead(destination, rebuilt);
  return out;
}

/** Per vendor: the raw conversation table, its partition (start-time) column, the columns the models read. */
const RAW_CONVERSATIONS = {
  ultimate: {
    table: 'raw_ultimate_conversations',
    start: 'conversation_start_time',
    columns: 'bot_id, conversation_id, platform_conversation_id, export_date, bot_name, channel, language, conversation_start_time, conversation_end_time, test_mode, is_llm_conversation, conversation_status, last_resolution, bot_messages_count, visitor_messages_count, not_understood_messages_count, triggered_intent_replies, _extracted_at, _sync_id',
  },
  genesys: {
    table: 'raw_genesys_conversations',
    start: 'conversation_start',
    columns: 'conversation_id, conversation_start, conversation_end, originating_direction, self_served, media_type, first_flow_id, first_flow_name, bot_flow_id, bot_flow_name, bot_flow_started_at, bot_flow_exit_reason, acd_started_at, agent_started_at, customer_disconnect_type, flow_outcomes, _extracted_at, _sync_id',
  },
};

/**
 * Bytes BigQuery reports (dry run) for reading the raw conversation columns the models use: every
 * day (what a full build reads) vs the rebuilt days (what the incremental build reads, given
 * partition pruning on the literal day filter).
 */
async function rawBytesRead(destination: Record<string, unknown>, days: string[]): Promise<Record<string, number>> {
  const { bigQueryClient } = await import('../../connector/destinations/bigquery/client.js');
  const client = bigQueryClient(destination as never);
  const raw = RAW_CONVERSATIONS[genesys ? 'genesys' : 'ultimate'];
  const table = `\`${String(destination.project_id)}.${String(destination.dataset)}.${raw.table}\``;
  const bytes = async (where: string): Promise<number> => {
    const [job] = await client.createQueryJob({ query: `SELECT ${raw.columns} FROM ${table} WHERE ${where}`, dryRun: true });
    return Number(job.metadata?.statistics?.totalBytesProcessed ?? 0);
  };
  const all = await bytes('TRUE');
  const rebuilt = days.length ? await bytes(`DATE(${raw.start}) IN (${days.map((d) => `DATE '${d}'`).join(', ')})`) : 0;
  return { all_days: all, rebuilt_days: rebuilt, fraction: all ? Number((rebuilt / all).toFixed(4)) : 0 };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
const simulator = await startSimulator();
const bigquery = values.destination === 'bigquery' ? await startBigQuery() : undefined;
try {
  const config = path.join(dir, 'sync.json');
  const source = genesys
        ? {
            vendor: 'genesys', base_url: simulator.url, login_url: simulator.url, client_id: 'sim-client-id', client_secret: 'sim-client-secret',
            start_date: utcDay(-days), page_size: 1000, max_jobs_in_flight: Number(values['jobs-in-flight']), job_poll_seconds: 0.2, max_requests_per_minute: 6000,
          }
        : {
            vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org',
            bot_ids: Array.from({ length: bots }, (_, i) => `bench-bot-${i + 1}`), start_date: utcDay(-days), max_requests_per_second: 50,
          };
  fs.writeFileSync(
    config,
    JSON.stringify({
      source,
      destination: bigquery?.destination ?? { type: 'duckdb', path: path.join(dir, 'bench.duckdb') },
    }),
  );
  const statsFile = path.join(dir, 'stats.json');
  const started = process.hrtime.bigint();
  const syncLog = { stderr: '' };
  const code = await runParley(['sync', '--config', config, '--stats-json', statsFile], syncLog);
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`sync exited with ${code}`);
  const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as { records: Record<string, number>; cpu_seconds: number; peak_rss_mib: number; input_bytes: number; quarantined: number };
  const loaded = stats.records[genesys ? 'genesys_conversations' : 'ultimate_conversations'] ?? 0;
  const database = bigquery ? 'BigQuery emulator' : `DuckDB ${(fs.statSync(path.join(dir, 'bench.duckdb')).size / 1048576).toFixed(0)} MiB`;
  process.stderr.write(`bench: ${loaded} ${genesys ? 'conversation records (interval overlaps included)' : 'conversations'}, ${genesys ? 'one org' : `${bots} bots`} × ${days} days, ${database}, quarantined ${stats.quarantined}\n`);
  const result: Record<string, unknown> = {
    conversations: loaded,
    // Export files downloaded (Ultimate); Genesys pages are API answers, not counted here.
    ...(genesys ? {} : { input_mib: Number((stats.input_bytes / 1048576).toFixed(1)) }),
    wall_seconds: Number(wall.toFixed(2)),
    cpu_seconds: Number(stats.cpu_seconds.toFixed(2)),
    conversations_per_cpu_second: Math.round(loaded / stats.cpu_seconds),
    peak_rss_mib: Number(stats.peak_rss_mib.toFixed(1)),
  };
  process.stderr.write(`bench: sync ${JSON.stringify(result)}\n`); // kept even if the floor client fails
  // The floor: the same requests against the same simulator, responses parsed and dropped (floor.ts).
  const floor = await timedFloor(genesys ? 'genesys' : 'ultimate', genesys ? { ...source, end_date: utcDay(0) } : source);
  Object.assign(result, versusFloor(loaded, stats.cpu_seconds, floor));
  process.stderr.write(`bench: floor ${floor.cpu_seconds.toFixed(2)} CPU-s for ${floor.items} items; parley ${stats.cpu_seconds.toFixed(2)} CPU-s = ${String(result.multiple_of_floor)}x the floor, peak RSS ${stats.peak_rss_mib.toFixed(0)} MiB\n`);
  // Genesys: how much of the read the reader spent waiting for jobs that were not fulfilled yet
  // (jobs in flight are submitted and polled while the current interval's pages download).
  const jobs = /export jobs: (\d+) submitted .*?; waited ([\d.]+) s of ([\d.]+) s/.exec(syncLog.stderr);
  if (jobs) result.jobs = { submitted: Number(jobs[1]), reader_idle_seconds: Number(jobs[2]), read_seconds: Number(jobs[3]), reader_idle_fraction: Number((Number(jobs[2]) / Number(jobs[3])).toFixed(3)) };
  if (values.dbt) result.dbt = await benchDbt(config, bigquery?.destination);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  simulator.stop();
  await bigquery?.stop();
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
}
