/** Protocol rules every source's `read` output must keep, checked the same way for each vendor. */
import { expect } from 'vitest';
import type { AirbyteMessage } from '../../connector/protocol/messages.js';

export function catalog(streams: string[]) {
  return {
    streams: streams.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ['incremental'] },
      sync_mode: 'incremental',
      destination_sync_mode: 'append_dedup',
    })),
  };
}

/**
 * STARTED first and COMPLETE last for every stream; each STATE's recordCount = that stream's records
 * since its previous STATE; nothing but statuses after the final STATE (it covers every record).
 */
export function expectProtocolInvariants(messages: AirbyteMessage[], streams: string[]): void {
  const statuses = messages
    .filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS')
    .map((m) => (m as { trace: { stream_status: { stream_descriptor: { name: string }; status: string } } }).trace.stream_status);
  for (const stream of streams) {
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
}
