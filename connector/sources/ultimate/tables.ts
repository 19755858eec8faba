/**
 * The Ultimate records and raw tables, declared once (core/tables/declare.ts): the conversation
 * fields of the seed's File Schema (names keep the vendor's spelling, llm_notUnderstood_count), which
 * of them are typed columns, and the export-day completeness rows.
 */
import { recordTable, type Field } from '../../core/tables/declare.js';

export const CONVERSATION_FIELDS: readonly Field[] = [
  { name: 'bot_id', type: 'string', nullable: false, description: "the bot (the export's bot when the record has none)" },
  { name: 'conversation_id', type: 'string', nullable: false, description: 'the conversation' },
  { name: 'export_date', type: 'date', nullable: false, description: 'the export day whose file held this version (the day it ended, UTC)' },
  { name: 'bot_name', type: 'string', description: 'the bot\'s display name' },
  { name: 'platform_conversation_id', type: 'string', description: 'the id on the chat platform (Zendesk, Salesforce, ...)' },
  { name: 'conversation_start_time', type: 'timestamp', nullable: false, description: 'UTC' },
  { name: 'conversation_end_time', type: 'timestamp', description: 'UTC' },
  { name: 'language', type: 'string', description: 'conversation language' },
  { name: 'channel', type: 'string', description: 'chat or ticket' },
  { name: 'labels', type: 'array', column: false, description: 'labels set on the conversation' },
  {
    name: 'conversations_data',
    type: 'object',
    column: false,
    description: 'custom data collected in the conversation (may hold personal data: the paths listed in pii_fields follow pii); sent as a JSON string, parsed when it is one',
    jsonSchema: { type: ['null', 'object', 'string'] },
  },
  { name: 'test_mode', type: 'boolean', description: 'a test conversation' },
  { name: 'conversation_status', type: 'string', description: 'botHandled, agent, email, customEscalation, failedEscalation, notHandled, ...' },
  { name: 'last_resolution', type: 'string', description: 'informed, resolved, escalated, ...' },
  { name: 'triggered_replies', type: 'array', column: false, description: 'replies the bot sent: reply_id, reply_name, reply_type, reply_language, reply_timestamp, intent_id' },
  {
    name: 'triggered_intent_replies',
    type: 'array',
    description: 'normalised: [{intent_id, intent_name, intent_timestamp (ISO UTC), not_meaningful}] in source order',
  },
  { name: 'is_llm_conversation', type: 'boolean', description: 'an LLM answered in the conversation' },
  { name: 'llm_notUnderstood_count', type: 'integer', column: false, description: 'LLM: messages not understood' },
  { name: 'llm_responseGenerated_count', type: 'integer', column: false, description: 'LLM: responses generated' },
  { name: 'llm_errorOccurred_count', type: 'integer', column: false, description: 'LLM: errors' },
  { name: 'llm_escalationRequired_count', type: 'integer', column: false, description: 'LLM: escalations required' },
  { name: 'llm_fallback_count', type: 'integer', column: false, description: 'LLM: fallbacks' },
  { name: 'bot_messages_count', type: 'integer', description: 'messages the bot sent (0: an agent-assist conversation)' },
  { name: 'visitor_messages_count', type: 'integer', description: 'messages the visitor sent' },
  { name: 'not_understood_messages_count', type: 'integer', description: 'visitor messages the bot did not understand' },
  { name: 'session_ended_timestamp', type: 'timestamp', column: false, description: 'v3: when the session ended (UTC)' },
];

export const conversationRecords = recordTable({
  name: 'raw_ultimate_conversations',
  description:
    'Raw Ultimate (Zendesk AI agents) conversations, one row per (bot_id, conversation_id): the newest version seen in any export file. ' +
    'Typed columns hold what the dbt models need, normalised (lower-case keys, numeric counts, UTC timestamps); `record` holds the whole ' +
    'source record exactly as the export delivered it, so fields Parley does not type (labels, conversations_data, v3 extras) survive; only the pii_fields of conversations_data are ' +
    'kept as `pii` says (NULL by default). ' +
    'BigQuery: partitioned by the day the conversation STARTED (stable for a conversation, unlike the export day), clustered by the key.',
  fields: CONVERSATION_FIELDS,
  key: ['bot_id', 'conversation_id'],
  open: true,
  bigquery: { partitionBy: 'conversation_start_time', clusterBy: ['bot_id', 'conversation_id'] },
});

export const exportDayRecords = recordTable({
  name: 'raw_ultimate_export_days',
  description:
    'One row per (bot_id, export_date) Parley has settled: the daily export loaded completely (status loaded), or recorded as missing ' +
    'after it was still not served not_ready_grace_days after the day (status missing). dbt uses the loaded ones for `is_complete` ' +
    '(day x is complete once the exports of x and x+1 are both loaded), which conversation rows alone cannot tell.',
  fields: [
    { name: 'bot_id', type: 'string', nullable: false, description: 'the bot' },
    { name: 'export_date', type: 'date', nullable: false, description: 'the export day (UTC)' },
    { name: 'status', type: 'string', description: 'loaded, or missing (never served: see reason); NULL in rows of Parley 0.1 = loaded' },
    { name: 'file_count', type: 'integer', nullable: false, description: 'files the export had' },
    { name: 'conversation_count', type: 'integer', nullable: false, description: 'valid conversations loaded from them' },
    { name: 'quarantined_count', type: 'integer', nullable: false, description: 'records quarantined from them' },
    { name: 'reason', type: 'string', description: 'why a missing day is missing' },
  ],
  key: ['bot_id', 'export_date'],
  bigquery: { partitionBy: 'export_date', clusterBy: ['bot_id'] },
});
