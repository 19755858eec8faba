/**
 * How a warehouse destination takes messages, shared by DuckDB and BigQuery: records are staged
 * (synchronously: no promise per record); STATE messages wait; a commit — staged rows plus the
 * pending states, one transaction in the warehouse — runs when enough is staged or enough time has
 * passed, and always at the end. A state covers the records emitted before it, so committing records
 * ahead of their state is safe: after a crash they are re-read and upserted.
 */
import { SystemError } from '../core/errors.js';
import { failpoint } from '../core/failpoint.js';
import type { AirbyteMessage } from '../protocol/messages.js';

export interface StagedTarget {
  /** Stages a record; false when its key is already staged (the handler commits, then stages it again). */
  stage(stream: string, data: Record<string, unknown>, raw: string | undefined): boolean;
  hasStream(stream: string): boolean;
  stagedBytes(): number;
  /** One transaction: everything staged, plus these states. */
  commit(states: [string, Record<string, unknown>][]): Promise<void>;
}

export interface CommitPolicy {
  /** Commit at a STATE once this much is staged… */
  commitBytes: number;
  /** …or this long after the last commit. */
  commitSeconds: number;
  /** Commit rows (without states) once this much is staged: bounds one transaction. */
  maxBatchBytes: number;
}

export class StagedHandler {
  private pendingStates = new Map<string, Record<string, unknown>>();
  private lastCommit = Date.now();

  constructor(
    private readonly target: StagedTarget,
    private readonly policy: CommitPolicy,
  ) {}

  /** Synchronous for a staged record; a promise only when a commit runs. */
  handle = (message: AirbyteMessage, raw?: string): Promise<void> | undefined => {
    if (message.type === 'RECORD') {
      const { stream, data } = message.record;
      if (!this.target.hasStream(stream)) throw new SystemError(`no table for stream ${stream}`);
      if (!this.target.stage(stream, data, raw)) {
        return this.flush().then(() => {
          this.target.stage(stream, data, raw);
        });
      }
      if (this.target.stagedBytes() >= this.policy.maxBatchBytes) return this.flush(false);
      return undefined;
    }
    if (message.type === 'STATE') {
      const { stream_descriptor, stream_state } = message.state.stream;
      this.pendingStates.set(stream_descriptor.name, stream_state ?? {});
      if (this.target.stagedBytes() >= this.policy.commitBytes || Date.now() - this.lastCommit >= this.policy.commitSeconds * 1000) return this.flush();
    }
    return undefined;
  };

  /** Commits what is staged, with the pending states unless `withStates` is false. */
  async flush(withStates = true): Promise<void> {
    const states = withStates ? [...this.pendingStates.entries()] : [];
    const staged = this.target.stagedBytes() > 0;
    if (staged) failpoint('records.staged'); // rows staged in the destination, their commit not begun
    await this.target.commit(states);
    if (withStates) this.pendingStates.clear();
    this.lastCommit = Date.now();
    if (staged || states.length > 0) failpoint('commit.done'); // rows and states committed; no record of the next window handled yet
  }
}
