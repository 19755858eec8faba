/**
 * The statements of one BigQuery commit, in the order they run:
 *
 *   1. one MERGE per staged table (stage → raw table, on the table's key and a literal partition list);
 *   2. one UPDATE that moves every pending state whose row exists (a CASE per stream);
 *   3. one INSERT of the states that have no row yet (WHERE ... NOT IN the existing streams).
 *
 * Production sends them as one script inside BEGIN/COMMIT TRANSACTION, and on BigQuery that is one
 * atomic transaction. The design does not rely on it: every statement is idempotent on its own, and
 * rows come before states. So running the script twice, or only its first k statements (the local
 * emulator runs a script statement by statement and keeps what ran: bigquery-emulator-probe), and
 * then the whole commit again, leaves the same rows and the same state:
 *   - a MERGE with the same stage table sets matched rows to the same values and inserts nothing
 *     the first run inserted (those rows now match);
 *   - the UPDATE sets states to fixed values; the INSERT adds only streams that still have no row;
 *   - a state is never moved before the rows it covers are merged: a prefix that stops among the
 *     MERGEs leaves the old state, and the next sync re-reads those rows and merges them again.
 * (The DELETE + INSERT pair used before was not: a stop between the two lost the state rows.)
 */
import { SOURCE_INSTANCE } from '../../core/tables/declare.js';
import { STATE_TABLE } from '../destination.js';
import type { NdjsonBatch } from './ndjson-batch.js';
import { stringLiteral, tablePath } from './sql-text.js';

type Batch = Pick<NdjsonBatch, 'table' | 'key' | 'columns' | 'partition' | 'partitions'>;

export interface CommitParts {
  /** `project.dataset` */
  dataset: string;
  syncId: string;
  instance: string;
  /** Each staged batch with the stage table its rows were loaded into. */
  staged: { batch: Batch; stageTable: string }[];
  states: [string, Record<string, unknown>][];
}

export function commitStatements(parts: CommitParts): string[] {
  const statements = parts.staged.map(({ batch, stageTable }) => mergeStatement(parts.dataset, batch, stageTable));
  if (parts.states.length > 0) statements.push(...stateStatements(parts));
  return statements;
}

/** The one script production sends (one job, one transaction on BigQuery). */
export function commitScript(statements: string[]): string {
  return ['BEGIN TRANSACTION;', ...statements.map((s) => `${s};`), 'COMMIT TRANSACTION;'].join('\n');
}

export function mergeStatement(dataset: string, batch: Batch, stageTable: string): string {
  const target = tablePath(dataset, batch.table);
  const source = tablePath(dataset, stageTable);
  const on = batch.key.map((k) => `T.${k} = S.${k}`);
  const partition = batch.partition;
  if (partition && batch.partitions.size > 0) {
    const literals = [...batch.partitions].sort().map((d) => `DATE ${stringLiteral(d)}`).join(', ');
    on.push(`${partition.dateOf ? `DATE(T.${partition.column})` : `T.${partition.column}`} IN (${literals})`);
  }
  const names = batch.columns.map((c) => c.name);
  return [
    `MERGE ${target} T USING ${source} S ON ${on.join(' AND ')}`,
    `WHEN MATCHED THEN UPDATE SET ${names.filter((n) => !batch.key.includes(n)).map((n) => `${n} = S.${n}`).join(', ')}`,
    `WHEN NOT MATCHED THEN INSERT (${names.join(', ')}) VALUES (${names.map((n) => `S.${n}`).join(', ')})`,
  ].join('\n');
}

/**
 * UPDATE of the existing state rows, then INSERT of the missing ones: each idempotent. (One MERGE
 * would do both, but the emulator takes only a table as a MERGE source, and the states are literals.)
 */
export function stateStatements(parts: Pick<CommitParts, 'dataset' | 'syncId' | 'instance' | 'states'>): string[] {
  const table = tablePath(parts.dataset, STATE_TABLE);
  const sync = stringLiteral(parts.syncId);
  const instance = stringLiteral(parts.instance);
  const json = (state: Record<string, unknown>) => `PARSE_JSON(${stringLiteral(JSON.stringify(state))})`;
  const streams = parts.states.map(([stream]) => stringLiteral(stream)).join(', ');
  const cases = parts.states.map(([stream, state]) => `WHEN ${stringLiteral(stream)} THEN ${json(state)}`).join(' ');
  const rows = parts.states.map(([stream, state]) => `SELECT ${stringLiteral(stream)} AS stream, ${json(state)} AS state`).join(' UNION ALL ');
  return [
    `UPDATE ${table} SET state = CASE stream ${cases} END, updated_at = CURRENT_TIMESTAMP(), _sync_id = ${sync} WHERE ${SOURCE_INSTANCE} = ${instance} AND stream IN (${streams})`,
    `INSERT INTO ${table} (${SOURCE_INSTANCE}, stream, state, updated_at, _sync_id) SELECT ${instance}, N.stream, N.state, CURRENT_TIMESTAMP(), ${sync} FROM (${rows}) AS N ` +
      `WHERE N.stream NOT IN (SELECT stream FROM ${table} WHERE ${SOURCE_INSTANCE} = ${instance})`,
  ];
}
