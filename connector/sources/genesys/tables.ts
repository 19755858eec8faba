/**
 * The Genesys Cloud records and raw tables, declared once (core/tables/declare.ts). Conversation
 * columns are the detail record's top-level fields and facts read mechanically off its participant
 * tree (record.ts); `record` is the whole conversation as delivered, its personal fields kept as
 * `pii` says (personal.ts).
 */
import { recordTable } from '../../core/tables/declare.js';

export const conversationRecords = recordTable({
  name: 'raw_genesys_conversations',
  description:
    'Raw Genesys Cloud conversations, one row per conversation_id: the newest version seen (a job returns every conversation overlapping ' +
    'its interval, so one appears in several; an active one is replaced once it has ended). Typed columns are the detail record\'s ' +
    'top-level fields and facts read mechanically off its participant tree (connector/sources/genesys/record.ts); `record` is the whole ' +
    'conversation as delivered: participants, sessions, segments, metrics, flow outcomes (personal fields — people\'s names, ' +
    'externalContactId, attributes, ani, dnis — as `pii` says: NULL by default). BigQuery: partitioned by the day the ' +
    'conversation STARTED, clustered by the key.',
  fields: [
    { name: 'conversation_id', type: 'string', nullable: false, description: 'the conversation' },
    { name: 'conversation_start', type: 'timestamp', nullable: false, description: 'UTC' },
    { name: 'conversation_end', type: 'timestamp', description: 'UTC; NULL while the conversation is active' },
    { name: 'originating_direction', type: 'string', description: 'inbound or outbound' },
    { name: 'self_served', type: 'boolean', description: "the vendor's flag; often absent" },
    { name: 'division_ids', type: 'array', description: 'divisions the conversation belongs to', jsonSchema: { type: ['null', 'array'], items: { type: 'string' } } },
    { name: 'participants', type: 'array', column: false, description: 'participants → sessions → segments, as delivered (personal fields as `pii` says)', jsonSchema: { type: ['null', 'array'], items: { type: 'object' } } },
    { name: 'media_type', type: 'string', description: "the customer's first session: voice, message, chat, email, ..." },
    { name: 'first_flow_id', type: 'string', description: 'the first flow entered (bot, IVR or chat entry flow)' },
    { name: 'first_flow_name', type: 'string', description: 'its name' },
    { name: 'first_flow_type', type: 'string', description: 'its type: BOT, DIGITALBOT, INBOUNDCALL, INBOUNDCHAT, ...' },
    { name: 'bot_flow_id', type: 'string', description: 'the first BOT / DIGITALBOT flow, if any' },
    { name: 'bot_flow_name', type: 'string', description: 'its name' },
    { name: 'bot_flow_type', type: 'string', description: 'BOT or DIGITALBOT' },
    { name: 'bot_flow_started_at', type: 'timestamp', description: 'when the conversation entered it (UTC)' },
    { name: 'bot_flow_exit_reason', type: 'string', description: 'e.g. TRANSFER, DISCONNECT, FLOW_DISCONNECT' },
    { name: 'bot_flow_transfer_type', type: 'string', description: 'e.g. ACD' },
    { name: 'acd_started_at', type: 'timestamp', description: 'first queue (acd participant) segment (UTC)' },
    { name: 'agent_started_at', type: 'timestamp', description: 'first agent segment (UTC)' },
    { name: 'customer_disconnect_type', type: 'string', description: "the customer's last disconnectType, e.g. client" },
    {
      name: 'flow_outcomes',
      type: 'array',
      nullable: false,
      description: '[{flow_id, flow_type, outcome_id, outcome_value, started_at, ended_at}] by started_at',
      jsonSchema: { type: 'array', items: { type: 'object' } },
    },
  ],
  key: ['conversation_id'],
  open: true,
  bigquery: { partitionBy: 'conversation_start', clusterBy: ['conversation_id'] },
});

export const loadedDayRecords = recordTable({
  name: 'raw_genesys_loaded_days',
  description:
    "One row per UTC day whose Genesys conversations have all been requested: the data-availability watermark passed the day's end. " +
    "dbt's `is_complete` reads it (a day may have no conversations).",
  fields: [
    { name: 'day', type: 'date', nullable: false, description: 'the UTC day' },
    { name: 'loaded_through', type: 'timestamp', nullable: false, description: 'the watermark when the day was passed' },
  ],
  key: ['day'],
  bigquery: { partitionBy: 'day' },
});

export const flowOutcomeRecords = recordTable({
  name: 'raw_genesys_flow_outcomes',
  description: 'Genesys Architect flow outcomes (id → name), read whole every sync: names the outcome ids in raw_genesys_conversations.flow_outcomes.',
  fields: [
    { name: 'outcome_id', type: 'string', nullable: false, description: 'the flow outcome' },
    { name: 'name', type: 'string', description: 'its name in Architect' },
    { name: 'description', type: 'string', description: 'its description' },
  ],
  key: ['outcome_id'],
  freshness: false, // empty for good without architect:flowOutcome:view
});
