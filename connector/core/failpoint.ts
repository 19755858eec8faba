/**
 * Named crash points, for tests that must kill a sync at an exact moment rather than after some
 * milliseconds. With `PARLEY_FAILPOINT=<name>` (or `<name>@<n>` for the n-th arrival, default the
 * first) the process, on reaching `failpoint(name)`, writes `parley failpoint reached: <name>` to
 * stderr and then blocks its only thread for good: no timer, request or commit runs after it, so the
 * SIGKILL that the test sends on seeing the line lands exactly there. Without the variable a
 * failpoint is one string comparison.
 *
 * Names in use (each one documented where it is called; FAILPOINTS lists them, and an unknown name
 * or count is refused when the command starts, so a typo cannot silently never fire):
 *   download.mid-file       a file's first batch was handed on, the rest of its body not yet read (core/download.ts)
 *   records.staged          rows are staged in the destination, their commit not yet begun (destinations/staged-handler.ts)
 *   commit.done             a commit (rows + states) has returned, the next window not started (destinations/staged-handler.ts)
 *   job.submitted           an async job was submitted, its handle not yet checkpointed (core/streams/jobs.ts)
 *   bigquery.loaded         BigQuery load jobs are done, the commit script not yet run
 *   bigquery.commit-partial the commit script's first statements ran, the rest not (see destination)
 */
import fs from 'node:fs';
import { ConfigError } from './errors.js';

export const FAILPOINTS = ['download.mid-file', 'records.staged', 'commit.done', 'job.submitted', 'bigquery.loaded', 'bigquery.commit-partial'] as const;

export interface Armed {
  name: string;
  hit: number;
}

let armed: Armed | null | undefined;
const arrivals = new Map<string, number>();

/** The armed point of a PARLEY_FAILPOINT value (null when unset); a value that names no point throws a ConfigError. */
export function parseFailpoint(raw: string | undefined): Armed | null {
  const value = raw?.trim();
  if (!value) return null;
  const [name, count, ...extra] = value.split('@');
  const hit = count === undefined ? 1 : /^\d+$/.test(count) ? Number(count) : NaN;
  if (!name || extra.length > 0 || !Number.isInteger(hit) || hit < 1) throw new ConfigError(`PARLEY_FAILPOINT=${value}: expected <name> or <name>@<n> (n ≥ 1), e.g. commit.done@2`);
  if (!(FAILPOINTS as readonly string[]).includes(name)) throw new ConfigError(`PARLEY_FAILPOINT=${value}: no failpoint "${name}"; the names are ${FAILPOINTS.join(', ')}`);
  return { name, hit };
}

/** Reads PARLEY_FAILPOINT once; the CLI calls it first, so a bad value stops the command before any work. */
export function checkFailpoint(): Armed | null {
  if (armed === undefined) armed = parseFailpoint(process.env.PARLEY_FAILPOINT);
  return armed;
}

/** True when this arrival at `name` is the armed one (counts arrivals only for the armed name). */
export function failpointArmed(name: string): boolean {
  const point = checkFailpoint();
  if (point === null || point.name !== name) return false;
  const n = (arrivals.get(name) ?? 0) + 1;
  arrivals.set(name, n);
  return n === point.hit;
}

/** Stops the process here for good when `name` is the armed failpoint (see the file comment). */
export function failpoint(name: string, detail = ''): void {
  if (!failpointArmed(name)) return;
  halt(name, detail);
}

/** Announces the failpoint and blocks the thread until the process is killed. */
export function halt(name: string, detail = ''): never {
  fs.writeSync(2, `parley failpoint reached: ${name}${detail ? ` (${detail})` : ''}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}
