/**
 * What a vendor source provides: its config schema and secrets, the vendor account a config reads
 * (`instance`), the clients of one read (`session`), its stream declarations
 * (core/streams/declare.ts) and a connection check. It knows nothing about stdout, catalogs or
 * destinations, and has no read loop: core/streams/run.ts runs the declarations, so `read` and
 * `sync` share every line of vendor code.
 */
import type { z } from 'zod';
import type { ReadContext, StreamDeclaration } from '../core/streams/declare.js';

export type { StreamDefinition } from '../core/streams/catalog.js';

export interface Source<Config, Session = unknown> {
  vendor: string;
  configSchema: z.ZodType<Config>;
  /** Every secret value in the config, so logs and errors can hide them. */
  secrets(config: Config): string[];
  /**
   * The vendor account this config reads, e.g. the Ultimate organization id: stable across syncs,
   * not a secret. State rows and every raw key carry it, so two accounts syncing into one
   * warehouse never share a cursor or overwrite each other's rows.
   */
  instance(config: Config): string;
  /** The clients of one check or read (HTTP, tokens), shared by its streams. */
  session(config: Config): Session;
  /** The same for every config: a sync creates every vendor's tables from these. */
  streams: readonly StreamDeclaration<Config, Session>[];
  /**
   * Resolves when the credentials and ids work — with warnings about what works but is wrong (e.g.
   * a data lake that stopped moving), which check reports beside SUCCEEDED; throws a ParleyError
   * saying what to fix otherwise.
   */
  check(context: ReadContext<Config, Session>): Promise<void | { warnings: string[] }>;
  /**
   * V8's old-generation growth while a read of this source runs (core/heap.ts), when its records
   * want other than the default; 0 = V8's own factor.
   */
  heapGrowthPercent?: number;
}
