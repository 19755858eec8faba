/**
 * The BigQuery commit script (connector/destinations/bigquery/commit-script.ts) is idempotent
 * statement by statement, on the bare emulator (no compatibility front: no 409 for a reused job id,
 * nothing answered for it). The emulator runs a script statement by statement and keeps what ran
 * (bigquery-emulator-probe.test.ts), which is the worst case the design must survive: here the
 * production statements run whole, twice, and as every prefix followed by the whole script, and
 * each time the rows and states equal the truth computed below from the inputs alone. And the
 * production job runner with a reused job id: refused by the bare emulator (the sync fails and its
 * rerun resumes), answered 409 by the front as BigQuery does (the runner waits for that job).
 */
import type { BigQuery } from '@google-cloud/bigquery';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stateTable } from '../../connector/core/streams/state.js';
import { createTableSql } from '../../connector/core/tables/ddl.js';
import { runQueryJob } from '../../connector/destinations/bigquery/client.js';
import { commitScript, commitStatements, type CommitParts } from '../../connector/destinations/bigquery/commit-script.js';
import { emulatorClient } from '../helpers/dbt-emulator.js';
import { startEmulator, type RunningEmulator } from '../setup/bigquery-emulator.js';

const PROJECT = 'parley-commit';
const DS = 'commit_ds';
const DATASET = `${PROJECT}.${DS}`;
const ME = 'org-me';

let emulator: RunningEmulator;
let bq: BigQuery;
let jobs = 0;

/** One query job with a fresh id (a rerun of a sync makes new job ids too), waited for. */
async function run(sql: string): Promise<Record<string, unknown>[]> {
  const [job] = await bq.createQueryJob({ query: sql, jobId: `commit_test_${jobs++}` });
  return (await job.getQueryResults())[0] as Record<string, unknown>[];
}

const columns = [
  { name: 'source_instance', type: 'STRING' },
  { name: 'k', type: 'STRING' },
  { name: 'd', type: 'DATE' },
  { name: 'v', type: 'INT64' },
  { name: 'j', type: 'JSON' },
];
const ddl = (table: string) => `CREATE TABLE \`${DATASET}.${table}\` (source_instance STRING, k STRING NOT NULL, d DATE NOT NULL, v INT64, j JSON)`;

// Inputs. Target rows before the commit, the staged rows, the states before and the states committed.
type Row = { k: string; d: string; v: number };
const before: Record<string, Row[]> = {
  raw_p: [{ k: 'a', d: '2026-11-01', v: 1 }, { k: 'b', d: '2026-11-02', v: 1 }, { k: 'z', d: '2026-11-05', v: 1 }],
  raw_u: [{ k: 'x', d: '2026-11-01', v: 1 }],
};
const staged: Record<string, Row[]> = {
  raw_p: [{ k: 'a', d: '2026-11-01', v: 2 }, { k: 'c', d: '2026-11-02', v: 2 }],
  raw_u: [{ k: 'x', d: '2026-11-03', v: 2 }, { k: 'y', d: '2026-11-03', v: 2 }],
};
const statesBefore = [{ instance: ME, stream: 's1', state: { n: 1 } }, { instance: 'org-other', stream: 's1', state: { n: 9 } }];
const committed: [string, Record<string, unknown>][] = [['s1', { n: 2, note: "it's" }], ['s2', { n: 2 }]];

/** The truth: upsert by key, computed here without SQL. */
function truthRows(table: string): string[] {
  const rows = new Map(before[table]!.map((r) => [r.k, r]));
  for (const r of staged[table]!) rows.set(r.k, r);
  return [...rows.values()].map((r) => `${r.k}|${r.d}|${r.v}`).sort();
}
const truthStates = [...statesBefore.filter((s) => s.instance !== ME).map((s) => `${s.instance}|${s.stream}|${JSON.stringify(s.state)}`), ...committed.map(([stream, state]) => `${ME}|${stream}|${JSON.stringify(state)}`)].sort();
const oldStates = statesBefore.map((s) => `${s.instance}|${s.stream}|${JSON.stringify(s.state)}`).sort();

const parts: CommitParts = {
  dataset: DATASET,
  syncId: 'sync-2',
  instance: ME,
  staged: [
    // raw_p is partitioned by d: the MERGE lists the staged days, so z (another day) is not scanned
    { batch: { table: 'raw_p', key: ['source_instance', 'k'], columns, partition: { column: 'd', dateOf: false }, partitions: new Set(['2026-11-01', '2026-11-02']) }, stageTable: 'stage_p' },
    { batch: { table: 'raw_u', key: ['source_instance', 'k'], columns, partition: undefined, partitions: new Set() }, stageTable: 'stage_u' },
  ],
  states: committed,
};
const statements = commitStatements(parts);

async function rows(table: string): Promise<string[]> {
  return (await run(`SELECT k, CAST(d AS STRING) AS d, v FROM \`${DATASET}.${table}\``)).map((r) => `${r.k}|${r.d}|${r.v}`).sort();
}
async function states(): Promise<string[]> {
  return (await run(`SELECT source_instance AS i, stream, TO_JSON_STRING(state) AS s FROM \`${DATASET}._parley_state\``))
    .map((r) => `${r.i}|${r.stream}|${JSON.stringify(JSON.parse(String(r.s)))}`)
    .sort();
}

const values = (list: Row[]) => list.map((r) => `('${ME}', '${r.k}', DATE '${r.d}', ${r.v}, JSON '{"k": "${r.k}"}')`).join(', ');

beforeAll(async () => {
  emulator = await startEmulator({ project: PROJECT });
  bq = emulatorClient(emulator.emulatorUrl, PROJECT, 'US'); // the bare emulator
  await bq.createDataset(DS, { location: 'US' });
  await run(createTableSql('bigquery', stateTable, DATASET));
  for (const table of ['raw_p', 'raw_u', 'stage_p', 'stage_u']) await run(ddl(table));
  for (const [table, list] of Object.entries(staged)) await run(`INSERT INTO \`${DATASET}.${table.replace('raw_', 'stage_')}\` (source_instance, k, d, v, j) VALUES ${values(list)}`);
});
afterAll(async () => {
  await emulator?.stop();
});

beforeEach(async () => {
  for (const [table, list] of Object.entries(before)) {
    await run(`DELETE FROM \`${DATASET}.${table}\` WHERE TRUE`);
    await run(`INSERT INTO \`${DATASET}.${table}\` (source_instance, k, d, v, j) VALUES ${values(list)}`);
  }
  await run(`DELETE FROM \`${DATASET}._parley_state\` WHERE TRUE`);
  for (const s of statesBefore) {
    await run(`INSERT INTO \`${DATASET}._parley_state\` (source_instance, stream, state, updated_at, _sync_id) VALUES ('${s.instance}', '${s.stream}', JSON '${JSON.stringify(s.state)}', CURRENT_TIMESTAMP(), 'sync-1')`);
  }
});

async function expectTruth(): Promise<void> {
  expect(await rows('raw_p')).toEqual(truthRows('raw_p'));
  expect(await rows('raw_u')).toEqual(truthRows('raw_u'));
  expect(await states()).toEqual(truthStates);
}

describe('BigQuery commit script on the bare emulator', () => {
  it('is two MERGEs, then the state UPDATE and INSERT', () => {
    expect(statements.map((s) => s.split(' ')[0])).toEqual(['MERGE', 'MERGE', 'UPDATE', 'INSERT']);
  });

  it('once: exactly the truth; twice: the same rows and states', async () => {
    await run(commitScript(statements));
    await expectTruth();
    await run(commitScript(statements));
    await expectTruth();
  });

  it('the commit job re-submitted with its job id: the bare emulator refuses it, the front answers 409 as BigQuery does; the truth either way', async () => {
    await runQueryJob(bq, commitScript(statements), 'parley_commit_reused', 'US');
    await expect(runQueryJob(bq, commitScript(statements), 'parley_commit_reused', 'US')).rejects.toThrow(/already created/);
    await expectTruth();
    const front = emulatorClient(emulator.url, PROJECT, 'US');
    await runQueryJob(front, commitScript(statements), 'parley_commit_reused_front', 'US');
    await expect(runQueryJob(front, commitScript(statements), 'parley_commit_reused_front', 'US')).resolves.toBeDefined();
    await expectTruth();
  });

  for (let k = 0; k < statements.length; k++) {
    it(`stopped after ${k} of ${statements.length} statements: no state lost or ahead of its rows; then run whole: the truth`, async () => {
      for (const statement of statements.slice(0, k)) await run(statement);
      const now = await states();
      if (k <= parts.staged.length) expect(now).toEqual(oldStates); // rows may be merged, states not yet
      // never lost: every state row there before is there, as it was or as committed (a resume reads it)
      for (const old of statesBefore) {
        const key = `${old.instance}|${old.stream}|`;
        const allowed = [JSON.stringify(old.state), ...(old.instance === ME ? committed.filter(([s]) => s === old.stream).map(([, v]) => JSON.stringify(v)) : [])];
        expect(now.filter((line) => line.startsWith(key)).map((line) => line.slice(key.length))).toSatisfy((found: string[]) => found.length === 1 && allowed.includes(found[0]!));
      }
      await run(commitScript(statements));
      await expectTruth();
    });
  }
});
