/**
 * One batch of vendor items (a file's records, a results page) → `records` events, with every item
 * that fails validation quarantined where it stood: the records before it are emitted first, so the
 * order of the source is kept. Every record is stamped with its source instance (part of its key).
 */
import { InvalidRecord, type QuarantinedRecord } from '../quarantine.js';
import { SOURCE_INSTANCE } from '../tables/declare.js';
import type { SourceRecord } from './declare.js';
import type { SourceEvent } from './events.js';

export interface BatchCounts {
  records: number;
  invalid: number;
}

export function* normaliseBatch<T>(
  stream: string,
  items: readonly T[],
  /** Throws InvalidRecord (its message is the reason) for an item that cannot be a record. */
  normalise: (item: T) => SourceRecord,
  /** The quarantine entry of an invalid item: where it came from (`index` within the batch) and its text. */
  quarantine: (item: T, index: number, reason: string) => QuarantinedRecord,
  counts: BatchCounts,
  instance: string,
): Generator<SourceEvent> {
  let records: SourceRecord[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index] as T;
    try {
      const record = normalise(item);
      record.data[SOURCE_INSTANCE] = instance;
      records.push(record);
    } catch (error) {
      if (!(error instanceof InvalidRecord)) throw error;
      counts.invalid++;
      if (records.length > 0) {
        counts.records += records.length;
        yield { kind: 'records', stream, records };
        records = [];
      }
      yield { kind: 'quarantine', record: quarantine(item, index, error.message) };
    }
  }
  if (records.length > 0) {
    counts.records += records.length;
    yield { kind: 'records', stream, records };
  }
}
