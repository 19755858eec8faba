/**
 * Files generated from declarations (spec.json, sql/, the dbt sources files) are what the code
 * declares today: a change to a config schema or a table declaration without `npm run generate`
 * fails here, naming the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatedFiles, orphanedSqlFiles } from '../../connector/codegen.js';
import { ROOT } from '../helpers/cli.js';

describe('generated files', () => {
  const files = generatedFiles();

  it.each([...files.keys()])('%s is up to date (npm run generate)', (relative) => {
    const file = path.join(ROOT, relative);
    expect(fs.existsSync(file), `${relative} is missing: run npm run generate`).toBe(true);
    expect(fs.readFileSync(file, 'utf8'), `${relative} drifted from its declaration: run npm run generate`).toBe(files.get(relative));
  });

  it('every raw table has DDL for both warehouses and no stale .sql file is left', () => {
    expect(orphanedSqlFiles(ROOT, files)).toEqual([]);
    const duck = [...files.keys()].filter((f) => f.startsWith('sql/duckdb/')).map((f) => path.basename(f));
    const big = [...files.keys()].filter((f) => f.startsWith('sql/bigquery/')).map((f) => path.basename(f));
    expect(big).toEqual(duck);
    expect(duck).toEqual(expect.arrayContaining(['_parley_state.sql', '_parley_quarantine.sql', 'raw_ultimate_conversations.sql', 'raw_genesys_conversations.sql']));
  });
});
