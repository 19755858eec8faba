/** Protocol rules every source's `read` output must keep, checked the same way for each vendor. */
import { expect } from 'vitest';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../connector/protocol/messages.js';
import { compileJsonSchema } from './airbyte-schema.js';

type SyncMode = 'incremental' | 'full_refresh';

/** A configured catalog of `streams`, each incremental unless `modes` says otherwise. */
export function catalog(streams: string[], modes: Record<string, SyncMode> = {}) {
  return {
    streams: streams.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ['incremental'] },
      sync_mode: modes[name] ?? 'incremental',
      destination_sync_mode: 'append_dedup',
    })),
  };
}

/**
 * STARTED first and COMPLETE last for every stream; each STATE's recordCount = that stream's records
 * since its previous STATE; nothing but statuses after the final STATE (it covers every record); and
 * the end-of-read rules of `expectStatesAtEnd`. `streams` is the configured catalog or its stream
 * names (then all incremental, as `catalog(streams)`).
 */
export function expectProtocolInvariants(messages: AirbyteMessage[], streams: string[] | ConfiguredAirbyteCatalog): void {
  const configured = Array.isArray(streams) ? (catalog(streams) as ConfiguredAirbyteCatalog) : streams;
  const names = configured.streams.map((s) => s.stream.name);
  const statuses = messages
    .filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS')
    .map((m) => (m as { trace: { stream_status: { stream_descriptor: { name: string }; status: string } } }).trace.stream_status);
  for (const stream of names) {
    const sequence = statuses.filter((s) => s.stream_descriptor.name === stream).map((s) => s.status);
    expect(sequence[0], stream).toBe('STARTED');
    expect(sequence.at(-1), stream).toBe('COMPLETE');
  }
  const since = new Map<string, number>();
  for (const m of messages) {
    if (m.type === 'RECORD') since.set(m.record.stream, (since.get(m.record.stream) ?? 0) + 1);
    if (m.type === 'STATE') {
      const name = m.state.stream.stream_descriptor.name;
      expect(m.state.type).toBe('STREAM');
      expect(m.state.sourceStats?.recordCount, name).toBe(since.get(name) ?? 0);
      since.set(name, 0);
    }
  }
  const lastState = messages.map((m) => m.type).lastIndexOf('STATE');
  expect(messages.slice(lastState + 1).every((m) => m.type === 'TRACE')).toBe(true);
  expectStatesAtEnd(messages, configured);
}

/**
 * For a complete read: no RECORD or STATE of a stream that is not configured; every configured
 * stream's last STATE comes after its last RECORD (no record is left uncovered); and every configured
 * incremental stream has at least one STATE, whether or not it had records, so the platform always
 * gets a checkpoint to resume from.
 */
export function expectStatesAtEnd(messages: AirbyteMessage[], configured: ConfiguredAirbyteCatalog): void {
  const names = new Set(configured.streams.map((s) => s.stream.name));
  const streamOf = (m: AirbyteMessage): string | undefined =>
    m.type === 'RECORD' ? m.record.stream : m.type === 'STATE' ? m.state.stream.stream_descriptor.name : undefined;
  const unconfigured = messages.map(streamOf).filter((name) => name !== undefined && !names.has(name));
  expect([...new Set(unconfigured)], 'records or states of streams not in the catalog').toEqual([]);
  for (const { stream, sync_mode } of configured.streams) {
    const lastRecord = messages.findLastIndex((m) => m.type === 'RECORD' && m.record.stream === stream.name);
    const lastState = messages.findLastIndex((m) => m.type === 'STATE' && m.state.stream.stream_descriptor.name === stream.name);
    if (lastRecord >= 0) expect(lastState, `${stream.name}: its last STATE (message ${lastState}) must come after its last RECORD (message ${lastRecord})`).toBeGreaterThan(lastRecord);
    if (sync_mode === 'incremental') expect(lastState, `${stream.name} is incremental: a complete read must end it with a STATE`).toBeGreaterThanOrEqual(0);
  }
}

/** Every RECORD's data is valid against the `json_schema` its stream publishes in `discovered` (discover's output). */
export function expectRecordsMatchDiscover(messages: AirbyteMessage[], discovered: AirbyteMessage[]): void {
  const found = discovered.find((m) => m.type === 'CATALOG');
  if (found?.type !== 'CATALOG') throw new Error('discover printed no CATALOG');
  const validators = new Map(found.catalog.streams.map((s) => [s.name, compileJsonSchema(s.json_schema, `${s.name}.json_schema`)]));
  const problems = new Set<string>();
  for (const m of messages) {
    if (m.type !== 'RECORD') continue;
    const validate = validators.get(m.record.stream);
    if (!validate) problems.add(`${m.record.stream}: not in the discovered catalog`);
    else if (!validate(m.record.data)) for (const e of validate.errors ?? []) problems.add(`${m.record.stream}${e.instancePath} ${e.message}`);
  }
  expect([...problems].slice(0, 20), 'records that do not match their stream\'s json_schema').toEqual([]);
}
