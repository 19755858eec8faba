/**
 * What a destination does for `sync`: give back the committed state of this sync's source instance,
 * take Airbyte messages, and commit records together with the state that covers them. Table
 * declarations come with the streams (core/tables/declare.ts); both warehouses create and migrate
 * their tables from them.
 */
import type { MessageHandler } from '../engine/read.js';
import type { StreamStates } from '../protocol/inputs.js';

export interface Destination {
  /** State committed by earlier syncs of this source instance, per stream. */
  readState(): Promise<StreamStates>;
  handle: MessageHandler;
  /** Commits what is staged (also after a failure: records without a state are safe to re-read) and releases the warehouse. */
  close(): Promise<void>;
}

/** Who is syncing: the sync, the vendor account (source instance), and that vendor's stream names. */
export interface SyncIdentity {
  syncId: string;
  instance: string;
  sourceStreams: string[];
}

export const STATE_TABLE = '_parley_state';

/**
 * Rows written by Parley 0.1 carry no source instance (NULL). The first sync of their vendor adopts
 * them — its state rows and raw rows get its instance, in one transaction, before anything else —
 * so its upserts replace them instead of duplicating them. Not when another instance already syncs
 * these streams: the rows cannot be told apart then, and are left alone.
 */
export function adoptionPlan(legacyStates: number, otherInstances: number, legacyRows: number): 'none' | 'adopt' | 'refuse' {
  if (legacyStates === 0 && legacyRows === 0) return 'none';
  return otherInstances > 0 ? 'refuse' : 'adopt';
}
