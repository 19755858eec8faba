/**
 * Named crash points, for tests that must kill a sync at an exact moment rather than after some
 * milliseconds. With `PARLEY_FAILPOINT=<name>` (or `<name>@<n>` for the n-th arrival, default the
 * first) the process, on reaching `failpoint(name)`, writes `parley failpoint reached: <name>` to
 * stderr and then blocks its only thread for good: no timer, request or commit runs after it, so the
 * SIGKILL that the test sends on seeing the line lands exactly there. Without the variable a
 * failpoint is one string comparison.
 *
 * Names in use (each one documented where it is called):
 *   download.mid-file       a download's first bytes are parsed, the rest not yet read
 *   records.staged          records are staged in the destination, not committed
 *   commit.done             a commit (rows + states) has returned, the next window not started
 *   job.submitted           an async job was submitted, its handle not yet checkpointed
 *   bigquery.loaded         BigQuery load jobs are done, the commit script not yet run
 *   bigquery.commit-partial the commit script's first statements ran, the rest not (see destination)
 */
import fs from 'node:fs';

interface Armed {
  name: string;
  hit: number;
}

let armed: Armed | null | undefined;
const arrivals = new Map<string, number>();

function parse(): Armed | null {
  const value = process.env.PARLEY_FAILPOINT?.trim();
  if (!value) return null;
  const [name, count] = value.split('@');
  const hit = count === undefined ? 1 : Number(count);
  if (!name || !Number.isInteger(hit) || hit < 1) throw new Error(`PARLEY_FAILPOINT=${value}: expected <name> or <name>@<n> (n ≥ 1)`);
  return { name, hit };
}

/** True when this arrival at `name` is the armed one (counts arrivals only for the armed name). */
export function failpointArmed(name: string): boolean {
  if (armed === undefined) armed = parse();
  if (armed === null || armed.name !== name) return false;
  const n = (arrivals.get(name) ?? 0) + 1;
  arrivals.set(name, n);
  return n === armed.hit;
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
