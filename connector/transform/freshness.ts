/**
 * `dbt source freshness` for the vendor a run synced (`parley run`, after the build): each raw
 * table's newest `_extracted_at` against the thresholds in transformations/dbt_project.yml vars
 * (source_freshness_warn_after_hours / _error_after_hours), read back from dbt's sources.json.
 *
 * Only the synced vendor's source is checked: a warehouse that loads one vendor has the others'
 * tables empty, which would otherwise be "infinitely" stale. A warning is reported in the summary;
 * an error (older than error_after) fails the run (exit 1) once the marts are built, so a scheduler
 * notices a pipeline that runs but loads nothing. A table with no rows yet is only a warning.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SystemError } from '../core/errors.js';
import type { DestinationConfig } from '../engine/sync-config.js';
import { dbtInvocation, spawnDbt } from './dbt.js';

export interface FreshnessResult {
  /** `<source>.<table>` */
  table: string;
  /** dbt's status: pass, warn, error, runtime error. */
  status: string;
  /** Hours since the newest _extracted_at (undefined when dbt could not tell). */
  hoursAgo: number | undefined;
  warnAfterHours: number | undefined;
  errorAfterHours: number | undefined;
}

interface SourcesJson {
  results?: Array<{
    unique_id?: string;
    status?: string;
    max_loaded_at_time_ago_in_s?: number;
    criteria?: { warn_after?: { count?: number | null; period?: string | null }; error_after?: { count?: number | null; period?: string | null } };
  }>;
}

const hours = (t?: { count?: number | null; period?: string | null }) =>
  t?.count == null ? undefined : t.count * ({ minute: 1 / 60, hour: 1, day: 24 } as Record<string, number>)[t.period ?? 'hour']!;

/** Runs dbt source freshness for `vendor` and returns one result per checked table. */
export async function sourceFreshness(destination: DestinationConfig, vendor: string): Promise<FreshnessResult[]> {
  const invocation = dbtInvocation(destination);
  const file = path.join(invocation.workDir, 'target', 'sources.json');
  fs.rmSync(file, { force: true });
  const code = await spawnDbt(invocation, ['source', 'freshness'], ['--select', `source:${vendor}`]);
  if (!fs.existsSync(file)) throw new SystemError(`dbt source freshness failed (exit ${code}) without writing sources.json; its output above says why.`);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as SourcesJson;
  return (parsed.results ?? []).map((r) => ({
    table: (r.unique_id ?? '').replace(/^source\.[^.]+\./, ''),
    status: r.status ?? 'unknown',
    hoursAgo: typeof r.max_loaded_at_time_ago_in_s === 'number' ? r.max_loaded_at_time_ago_in_s / 3600 : undefined,
    warnAfterHours: hours(r.criteria?.warn_after),
    errorAfterHours: hours(r.criteria?.error_after),
  }));
}

/** Summary lines; the warnings and errors each name the table, its age and the threshold. */
export function freshnessLines(results: readonly FreshnessResult[]): { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  for (const r of results) {
    // An empty table has no newest row: dbt dates it to year 1.
    const empty = r.hoursAgo === undefined || r.hoursAgo > 24 * 365 * 100;
    const age = empty ? 'no rows loaded yet' : `newest row loaded ${r.hoursAgo! < 10 ? r.hoursAgo!.toFixed(1) : Math.round(r.hoursAgo!)} h ago`;
    if (r.status === 'pass') lines.push(`  ${r.table.padEnd(40)} fresh: ${age}`);
    // Nothing loaded yet (a first Sunbird run only submits requests; a quiet new account) is not an
    // outage: a warning, never an error.
    else if (empty && (r.status === 'warn' || r.status === 'error')) lines.push(`  warning: source ${r.table}: ${age}`);
    else if (r.status === 'warn') lines.push(`  warning: source ${r.table} is stale: ${age} (warn after ${r.warnAfterHours ?? '?'} h)`);
    else {
      const message = `source ${r.table} ${r.status === 'error' ? `is stale: ${age} (error after ${r.errorAfterHours ?? '?'} h)` : `could not be checked (${r.status})`}`;
      lines.push(`  error: ${message}`);
      errors.push(message);
    }
  }
  return { lines, errors };
}
