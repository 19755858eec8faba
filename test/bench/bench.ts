/**
 * `npm run bench [-- --conversations N]`: the simulator (its own process, bench-shaped exports of
 * ~1–1.5 KB per conversation) → `parley sync` (its own process) → a fresh DuckDB file. CPU and peak
 * RSS are the sync process's own, from its resource usage. The last line printed is one JSON object.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'bin', 'parley.js');

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '1000000' },
    bots: { type: 'string', default: '5' },
    days: { type: 'string', default: '20' },
    vendor: { type: 'string', default: 'ultimate' },
    destination: { type: 'string', default: 'duckdb' },
    keep: { type: 'boolean', default: false },
  },
});
if (values.vendor !== 'ultimate') throw new Error(`--vendor ${values.vendor}: only ultimate is benchmarked so far`);
if (values.destination !== 'duckdb' && values.destination !== 'bigquery') throw new Error(`--destination ${values.destination}: use duckdb or bigquery`);
const conversations = Number(values.conversations);
const bots = Number(values.bots);
const days = Number(values.days);
const perDay = Math.round(conversations / (bots * days));

function utcDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

async function startSimulator(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [cli, 'simulate', 'ultimate', '--shape', 'bench', '--per-day', String(perDay), '--seed', '1'], {
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

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
const simulator = await startSimulator();
const bigquery = values.destination === 'bigquery' ? await startBigQuery() : undefined;
try {
  const config = path.join(dir, 'sync.json');
  fs.writeFileSync(
    config,
    JSON.stringify({
      source: {
        vendor: 'ultimate', base_url: simulator.url, api_key: 'sim-api-key', organization_id: 'sim-org',
        bot_ids: Array.from({ length: bots }, (_, i) => `bench-bot-${i + 1}`), start_date: utcDay(-days), max_requests_per_second: 50,
      },
      destination: bigquery?.destination ?? { type: 'duckdb', path: path.join(dir, 'bench.duckdb') },
    }),
  );
  const statsFile = path.join(dir, 'stats.json');
  const started = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve) => {
    const sync = spawn(process.execPath, [cli, 'sync', '--config', config, '--stats-json', statsFile], { stdio: ['ignore', 'inherit', 'inherit'] });
    sync.on('close', resolve);
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`sync exited with ${code}`);
  const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as { records: Record<string, number>; cpu_seconds: number; peak_rss_mib: number; input_bytes: number; quarantined: number };
  const loaded = stats.records.ultimate_conversations ?? 0;
  const database = bigquery ? 'BigQuery emulator' : `DuckDB ${(fs.statSync(path.join(dir, 'bench.duckdb')).size / 1048576).toFixed(0)} MiB`;
  process.stderr.write(`bench: ${loaded} conversations, ${bots} bots × ${days} days, ${database}, quarantined ${stats.quarantined}\n`);
  const result = {
    conversations: loaded,
    input_mib: Number((stats.input_bytes / 1048576).toFixed(1)),
    wall_seconds: Number(wall.toFixed(2)),
    cpu_seconds: Number(stats.cpu_seconds.toFixed(2)),
    conversations_per_cpu_second: Math.round(loaded / stats.cpu_seconds),
    peak_rss_mib: Number(stats.peak_rss_mib.toFixed(1)),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  simulator.stop();
  await bigquery?.stop();
  if (!values.keep) fs.rmSync(dir, { recursive: true, force: true });
}
