/**
 * The Genesys Cloud streams as Airbyte sees them. Conversations and loaded days share one state,
 * the data-availability watermark reached: `{ "loaded_through": "<ISO instant>" }`. Flow outcomes are
 * a small list read whole every sync.
 */
import { QUARANTINE_STREAM, quarantineJsonSchema } from '../../core/quarantine.js';
import type { StreamDefinition } from '../source.js';

export const CONVERSATIONS = 'genesys_conversations';
export const LOADED_DAYS = 'genesys_loaded_days';
export const FLOW_OUTCOMES = 'genesys_flow_outcomes';

const text = { type: ['null', 'string'] };
const timestamp = { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' };

export const genesysStreams: StreamDefinition[] = [
  {
    name: CONVERSATIONS,
    description:
      'One record per conversation (upsert on conversation_id): the detail record with top-level fields in snake_case, participants nested as delivered, and typed facts read off the participant tree.',
    primaryKey: [['conversation_id']],
    cursorField: ['conversation_start'],
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties: {
        conversation_id: { type: 'string' },
        conversation_start: { ...timestamp, type: 'string' },
        conversation_end: timestamp,
        originating_direction: text,
        self_served: { type: ['null', 'boolean'] },
        division_ids: { type: ['null', 'array'], items: { type: 'string' } },
        participants: { type: ['null', 'array'], items: { type: 'object' } },
        media_type: text,
        first_flow_id: text,
        first_flow_name: text,
        first_flow_type: text,
        bot_flow_id: text,
        bot_flow_name: text,
        bot_flow_type: text,
        bot_flow_started_at: timestamp,
        bot_flow_exit_reason: text,
        bot_flow_transfer_type: text,
        acd_started_at: timestamp,
        agent_started_at: timestamp,
        customer_disconnect_type: text,
        flow_outcomes: { type: 'array', items: { type: 'object' } },
      },
      required: ['conversation_id', 'conversation_start', 'flow_outcomes'],
    },
  },
  {
    name: LOADED_DAYS,
    description:
      'One record per UTC day whose conversations have all been requested (the availability watermark passed its end): day completeness, which conversation rows alone cannot tell.',
    primaryKey: [['day']],
    cursorField: ['day'],
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: { day: { type: 'string', format: 'date' }, loaded_through: { type: 'string', format: 'date-time' } },
      required: ['day', 'loaded_through'],
    },
  },
  {
    name: FLOW_OUTCOMES,
    description: 'Every flow outcome defined in Architect (id → name): names the outcomes in conversations. Read whole each sync.',
    primaryKey: [['outcome_id']],
    cursorField: [],
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: { outcome_id: { type: 'string' }, name: text, description: text },
      required: ['outcome_id'],
    },
  },
  {
    name: QUARANTINE_STREAM,
    description: 'Records that failed validation, with the reason and the text as received.',
    primaryKey: [['source_stream'], ['locator']],
    cursorField: [],
    jsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', ...quarantineJsonSchema },
  },
];
