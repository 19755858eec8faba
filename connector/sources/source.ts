/**
 * What a vendor source provides. A source knows its config schema, its streams, how to check a
 * connection and how to read; it knows nothing about stdout, catalogs or destinations (the engine
 * does that), so `read` and `sync` share every line of vendor code.
 */
import type { z } from 'zod';
import type { QuarantinedRecord } from '../core/quarantine.js';
import type { StreamStates } from '../protocol/inputs.js';

export interface StreamDefinition {
  name: string;
  description: string;
  jsonSchema: Record<string, unknown>;
  /** Natural key, Airbyte style: list of field paths. */
  primaryKey: string[][];
  cursorField: string[];
}

export interface SourceRecord {
  data: Record<string, unknown>;
  /** The record's text exactly as the vendor sent it, when there is one. */
  raw?: string;
}

export type SourceEvent =
  /** Records of one stream, in order. Batched because a step of an async generator costs more than a record. */
  | { kind: 'records'; stream: string; records: SourceRecord[] }
  | { kind: 'quarantine'; record: QuarantinedRecord }
  /** The stream's whole state after every record emitted so far for it. */
  | { kind: 'state'; stream: string; state: Record<string, unknown> }
  /** How many units of work (export days, job intervals) this read plans: the progress bar's total. */
  | { kind: 'plan'; units: number; unitName: string }
  /** One unit of work (an export day, a job interval) is done — for progress and the summary. */
  | { kind: 'unit_done'; description: string };

export interface ReadContext {
  state: StreamStates;
  /** The clock the read runs on (UTC). */
  now: Date;
  signal: AbortSignal;
}

export interface Source<Config> {
  vendor: string;
  configSchema: z.ZodType<Config>;
  /** Every secret value in the config, so logs and errors can hide them. */
  secrets(config: Config): string[];
  /** The same for every config: a sync creates every vendor's tables from these. */
  streams: readonly StreamDefinition[];
  /** Resolves when the credentials and ids work; throws a ParleyError saying what to fix otherwise. */
  check(config: Config, now: Date): Promise<void>;
  read(config: Config, context: ReadContext): AsyncIterable<SourceEvent>;
}
