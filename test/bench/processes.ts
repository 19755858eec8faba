/** The two processes a vendor bench runs: a simulator (`parley simulate`) and a timed `parley sync` with its own resource figures. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = path.join(root, 'bin', 'parley.js');

/** Starts `parley simulate <args>` and resolves with the URL it prints. */
export async function startSimulatorProcess(args: string[]): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [cli, 'simulate', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim().split(/\s+/)[0]!));
    child.once('exit', (code) => reject(new Error(`simulator exited with ${code}`)));
  });
  return { url, process: child };
}

export interface SyncFigures {
  wallSeconds: number;
  records: Record<string, number>;
  cpu_seconds: number;
  peak_rss_mib: number;
}

/** Writes the sync config into `dir`, runs `parley sync` on it and returns its wall time and its own `--stats-json` figures. */
export async function timedSync(dir: string, syncConfig: Record<string, unknown>): Promise<SyncFigures> {
  const config = path.join(dir, 'sync.json');
  fs.writeFileSync(config, JSON.stringify(syncConfig));
  const statsFile = path.join(dir, 'stats.json');
  const started = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve) => {
    spawn(process.execPath, [cli, 'sync', '--config', config, '--stats-json', statsFile], { stdio: ['ignore', 'inherit', 'inherit'] }).on('close', resolve);
  });
  const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`sync exited with ${code}`);
  const stats = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as Omit<SyncFigures, 'wallSeconds'>;
  return { wallSeconds, ...stats };
}

export interface FloorFigures {
  items: number;
  cpu_seconds: number;
  peak_rss_mib: number;
}

/** Runs the floor client (floor.ts, its own process) for `vendor` with the sync's source options. */
export async function timedFloor(vendor: 'ultimate' | 'genesys' | 'sunbird', options: Record<string, unknown>): Promise<FloorFigures> {
  let out = '';
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [path.join(root, 'dist', 'test', 'bench', 'floor.js'), vendor, JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`floor client exited with ${code}`);
  return JSON.parse(out.trim().split('\n').pop()!) as FloorFigures;
}

/** The bench line's comparison: Parley's CPU as a multiple of the floor's. */
export function versusFloor(items: number, syncCpu: number, floor: FloorFigures): Record<string, number> {
  return {
    floor_cpu_seconds: Number(floor.cpu_seconds.toFixed(2)),
    floor_items_per_cpu_second: Math.round(floor.items / Math.max(0.001, floor.cpu_seconds)),
    floor_peak_rss_mib: Number(floor.peak_rss_mib.toFixed(1)),
    multiple_of_floor: Number((syncCpu / Math.max(0.001, floor.cpu_seconds)).toFixed(2)),
    ...(floor.items !== items ? { floor_items: floor.items } : {}),
  };
}
