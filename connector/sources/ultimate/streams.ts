/**
 * The Ultimate streams as Airbyte sees them. Both are incremental on the export day; their state is
 * the same per-bot cursor: `{ "bots": { "<bot id>": { "loaded_through": "YYYY-MM-DD" } } }`.
 */
import { QUARANTINE_STREAM, quarantineJsonSchema } from '../../core/quarantine.js';
import type { StreamDefinition } from '../source.js';
import { CONVERSATION_FIELDS } from './record.js';

export const CONVERSATIONS = 'ultimate_conversations';
export const EXPORT_DAYS = 'ultimate_export_days';

const JSON_TYPES = {
  string: { type: ['null', 'string'] },
  integer: { type: ['null', 'integer'] },
  boolean: { type: ['null', 'boolean'] },
  timestamp: { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_with_timezone' },
  array: { type: ['null', 'array'] },
  object: { type: ['null', 'object', 'string'] },
} as const;

const conversationProperties = Object.fromEntries(
  Object.entries(CONVERSATION_FIELDS).map(([name, kind]) => [name, JSON_TYPES[kind]]),
);

export const ultimateStreams: StreamDefinition[] = [
  {
    name: CONVERSATIONS,
    description: 'One record per conversation per export day it appeared in (upsert on bot_id + conversation_id).',
    primaryKey: [['bot_id'], ['conversation_id']],
    cursorField: ['export_date'],
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: true,
      properties: { ...conversationProperties, export_date: { type: 'string', format: 'date' } },
      required: ['bot_id', 'conversation_id', 'conversation_start_time', 'export_date'],
    },
  },
  {
    name: EXPORT_DAYS,
    description: 'One record per bot per export day loaded completely: tells day completeness apart from days without conversations.',
    primaryKey: [['bot_id'], ['export_date']],
    cursorField: ['export_date'],
    jsonSchema: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      properties: {
        bot_id: { type: 'string' },
        export_date: { type: 'string', format: 'date' },
        file_count: { type: 'integer' },
        conversation_count: { type: 'integer' },
        quarantined_count: { type: 'integer' },
      },
      required: ['bot_id', 'export_date', 'file_count', 'conversation_count', 'quarantined_count'],
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
