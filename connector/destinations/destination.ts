/**
 * What a destination does for `sync`: give back the committed state, take Airbyte messages, and commit
 * records together with the state that covers them. Table names are derived from stream names here,
 * once, for every warehouse.
 */
import type { MessageHandler } from '../engine/read.js';
import type { StreamStates } from '../protocol/inputs.js';

export interface Destination {
  /** State committed by earlier syncs, per stream. */
  readState(): Promise<StreamStates>;
  handle: MessageHandler;
  /** Commits what is staged (also after a failure: records without a state are safe to re-read) and releases the warehouse. */
  close(): Promise<void>;
}

/** `ultimate_conversations` → `raw_ultimate_conversations`; Parley's own streams (`_parley_*`) keep their name. */
export function tableFor(stream: string): string {
  return stream.startsWith('_parley_') ? stream : `raw_${stream}`;
}

export const STATE_TABLE = '_parley_state';
