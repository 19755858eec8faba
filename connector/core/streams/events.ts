/**
 * What the engine (run.ts) hands the protocol layer (engine/read.ts): records in batches, quarantined
 * records, states after the records they cover, and progress / summary facts. Nothing here knows
 * stdout or a warehouse.
 */
import type { QuarantinedRecord } from '../quarantine.js';
import type { SourceRecord } from './declare.js';

export type SourceEvent =
  /** Records of one stream, in order. Batched because a step of an async generator costs more than a record. */
  | { kind: 'records'; stream: string; records: SourceRecord[] }
  | { kind: 'quarantine'; record: QuarantinedRecord }
  /** The stream's whole state after every record emitted so far for it. */
  | { kind: 'state'; stream: string; state: Record<string, unknown> }
  /** Windows this read plans for a stream (added up across streams): the progress bar's total. */
  | { kind: 'plan'; units: number; unitName: string }
  /** One window is done — for progress and the summary. */
  | { kind: 'unit_done'; description: string }
  /** Something the summary must say (a window recorded missing, a partition that failed, a permission missing). */
  | { kind: 'warning'; message: string }
  /** Jobs left on the vendor's side at the end of this sync, in the state's ledger. */
  | { kind: 'jobs_pending'; stream: string; count: number }
  /** A count to report at the end, e.g. conversations still active. */
  | { kind: 'tally'; stream: string; label: string; count: number };
