/**
 * dbt prints what it is given: a profile it cannot use is echoed whole (a BigQuery key pasted in the
 * wrong form appears in its "Credentials … invalid" error), and so is its log file. Its output goes
 * through the same redactor as every Parley log line: line by line (a secret split across two reads
 * is still one line), and its log files are redacted once it has ended.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { redact } from '../core/redact.js';

/** Copies `from` to `to` a line at a time, each redacted; resolves when `from` has ended. */
export function pipeRedacted(from: Readable, to: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = '';
    from.setEncoding('utf8');
    from.on('data', (chunk: string) => {
      pending += chunk;
      const end = pending.lastIndexOf('\n');
      if (end === -1) return;
      to.write(redact(pending.slice(0, end + 1)));
      pending = pending.slice(end + 1);
    });
    from.on('error', reject);
    from.on('end', () => {
      if (pending !== '') to.write(redact(pending));
      resolve();
    });
  });
}

/** Rewrites every file in `dir` (dbt's log folder) redacted; a missing folder is nothing to do. */
export function redactLogFiles(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file, 'utf8');
    const clean = redact(text);
    if (clean !== text) fs.writeFileSync(file, clean);
  }
}
