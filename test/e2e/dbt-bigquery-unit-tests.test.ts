/**
 * Every dbt unit test (test_type:unit) on BigQuery SQL, against its own fresh emulator: the rules of
 * each vendor's models and the marts, with their edge cases, compiled and run by dbt-bigquery. On
 * DuckDB they run in every e2e `dbt build`. Split from bigquery-emulator-probe.test.ts's build
 * (models and data tests) so the two emulator builds run side by side, each with a smaller catalog:
 * the emulator answers one request at a time and slows down as its catalog grows.
 *
 * dbt needs the unit tests' parent relations to exist (it reads their columns), so the models are
 * first built empty (`dbt run --empty`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../setup/bigquery-emulator.js';
import { dbtOnEmulator, emulatorClient, prepareDatasets } from '../helpers/dbt-emulator.js';

const PROJECT = 'parley-units';
const LOCATION = 'EU';

let emulator: RunningEmulator;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bq-units-'));
  emulator = await startEmulator({ project: PROJECT });
});

afterAll(async () => {
  await emulator?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('dbt unit tests on BigQuery', () => {
  it('pass, every one of them, on models built empty from sql/bigquery raw tables', async () => {
    await prepareDatasets(emulatorClient(emulator.url, PROJECT, LOCATION), PROJECT, LOCATION, 'unit_raw', 'unit_marts');
    const dbt = dbtOnEmulator({ url: emulator.url, project: PROJECT, location: LOCATION, raw: 'unit_raw', marts: 'unit_marts', workDir: tmp, timeoutMs: 2_400_000 });
    const built = await dbt('run', '--empty');
    expect(built.status, `dbt run --empty:\n${built.stdout.slice(-6_000)}\n${built.stderr}`).toBe(0);
    const tested = await dbt('test', '--select', 'test_type:unit');
    expect(tested.status, `dbt test (unit):\n${tested.stdout.slice(-6_000)}\n${tested.stderr}`).toBe(0);
    const summary = /PASS=(\d+) WARN=0 ERROR=0 SKIP=0/.exec(tested.stdout);
    expect(summary, tested.stdout.slice(-2_000)).not.toBeNull();
    // every unit test the project declares for BigQuery ran (the DuckDB-only JSON-fixture ones are disabled there)
    const listed = await dbt('ls', '--resource-type', 'unit_test', '--output', 'name', '--quiet');
    const declared = listed.stdout.split('\n').filter((line) => line.trim() !== '').length;
    expect(declared).toBeGreaterThan(20);
    expect(Number(summary![1])).toBe(declared);
  }, 2_700_000);
});
