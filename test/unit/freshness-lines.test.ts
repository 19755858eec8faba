import { describe, expect, it } from 'vitest';
import { freshnessLines, type FreshnessResult } from '../../connector/transform/freshness.js';

const result = (table: string, status: string, hoursAgo: number | undefined): FreshnessResult => ({ table, status, hoursAgo, warnAfterHours: 24, errorAfterHours: 48 });

describe('the source freshness lines of parley run', () => {
  it('fresh, stale (warning), too stale (error: fails the run), each naming table, age and threshold', () => {
    const { lines, errors } = freshnessLines([result('genesys.a', 'pass', 0.25), result('genesys.b', 'warn', 30.4), result('genesys.c', 'error', 50.2)]);
    expect(lines).toEqual([
      `  ${'genesys.a'.padEnd(40)} fresh: newest row loaded 0.3 h ago`,
      '  warning: source genesys.b is stale: newest row loaded 30 h ago (warn after 24 h)',
      '  error: source genesys.c is stale: newest row loaded 50 h ago (error after 48 h)',
    ]);
    expect(errors).toEqual(['source genesys.c is stale: newest row loaded 50 h ago (error after 48 h)']);
  });

  it('a table with no rows yet (dbt dates it to year 1) is a warning, never an error; a table dbt could not read is', () => {
    const { lines, errors } = freshnessLines([result('sunbird.r', 'error', 17_770_000), result('sunbird.x', 'runtime error', undefined)]);
    expect(lines).toEqual(['  warning: source sunbird.r: no rows loaded yet', '  error: source sunbird.x could not be checked (runtime error)']);
    expect(errors).toEqual(['source sunbird.x could not be checked (runtime error)']);
  });
});
