/**
 * Airbyte protocol messages (the subset a source emits), typed with zod so tests can validate every
 * stdout line against the same definitions the connector writes with.
 */
import { z } from 'zod';

export const StreamDescriptor = z.object({ name: z.string(), namespace: z.string().optional() });
export type StreamDescriptor = z.infer<typeof StreamDescriptor>;

export const SyncMode = z.enum(['full_refresh', 'incremental']);
// Airbyte protocol 0.3.2 (test/contract/airbyte-protocol/airbyte_protocol.yaml).
export const DestinationSyncMode = z.enum(['append', 'overwrite', 'append_dedup', 'update', 'soft_delete']);

export const AirbyteStream = z.object({
  name: z.string(),
  namespace: z.string().optional(),
  json_schema: z.record(z.string(), z.unknown()),
  supported_sync_modes: z.array(SyncMode).min(1),
  source_defined_cursor: z.boolean().optional(),
  default_cursor_field: z.array(z.string()).optional(),
  source_defined_primary_key: z.array(z.array(z.string())).optional(),
  is_resumable: z.boolean().optional(),
});
export type AirbyteStream = z.infer<typeof AirbyteStream>;

export const ConfiguredAirbyteStream = z.object({
  stream: AirbyteStream,
  sync_mode: SyncMode,
  destination_sync_mode: DestinationSyncMode.optional(),
  cursor_field: z.array(z.string()).optional(),
  primary_key: z.array(z.array(z.string())).optional(),
});
export const ConfiguredAirbyteCatalog = z.object({ streams: z.array(ConfiguredAirbyteStream) });
export type ConfiguredAirbyteCatalog = z.infer<typeof ConfiguredAirbyteCatalog>;

export const AirbyteStreamState = z.object({
  stream_descriptor: StreamDescriptor,
  stream_state: z.record(z.string(), z.unknown()).optional(),
});

export const AirbyteStateMessage = z.object({
  type: z.literal('STREAM'),
  stream: AirbyteStreamState,
  sourceStats: z.object({ recordCount: z.number() }).optional(),
});
export type AirbyteStateMessage = z.infer<typeof AirbyteStateMessage>;

export const FailureType = z.enum(['system_error', 'config_error', 'transient_error']);
export const StreamStatus = z.enum(['STARTED', 'RUNNING', 'COMPLETE', 'INCOMPLETE']);
export type StreamStatus = z.infer<typeof StreamStatus>;

export const AirbyteTraceMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('ERROR'),
    emitted_at: z.number(),
    error: z.object({
      message: z.string(),
      internal_message: z.string().optional(),
      stack_trace: z.string().optional(),
      failure_type: FailureType,
      stream_descriptor: StreamDescriptor.optional(),
    }),
  }),
  z.object({
    type: z.literal('STREAM_STATUS'),
    emitted_at: z.number(),
    stream_status: z.object({ stream_descriptor: StreamDescriptor, status: StreamStatus }),
  }),
]);

export const AirbyteMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('RECORD'),
    record: z.object({ stream: z.string(), namespace: z.string().optional(), data: z.record(z.string(), z.unknown()), emitted_at: z.number() }),
  }),
  z.object({ type: z.literal('STATE'), state: AirbyteStateMessage }),
  z.object({ type: z.literal('LOG'), log: z.object({ level: z.enum(['FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE']), message: z.string() }) }),
  z.object({
    type: z.literal('SPEC'),
    spec: z.object({
      documentationUrl: z.string().optional(),
      connectionSpecification: z.record(z.string(), z.unknown()),
      supportsIncremental: z.boolean().optional(),
      supported_destination_sync_modes: z.array(DestinationSyncMode).optional(),
    }),
  }),
  z.object({
    type: z.literal('CONNECTION_STATUS'),
    connectionStatus: z.object({ status: z.enum(['SUCCEEDED', 'FAILED']), message: z.string().optional() }),
  }),
  z.object({ type: z.literal('CATALOG'), catalog: z.object({ streams: z.array(AirbyteStream) }) }),
  z.object({ type: z.literal('TRACE'), trace: AirbyteTraceMessage }),
]);
export type AirbyteMessage = z.infer<typeof AirbyteMessage>;
