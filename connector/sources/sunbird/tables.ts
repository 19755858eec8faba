/**
 * The Sunbird UCI records and raw tables, declared once (core/tables/declare.ts). A response row is
 * one answered question of the response exhaust CSV, read by header name (every era of the header);
 * `record` is the CSV row as delivered (header → cell). A user row is one line of the private
 * exhaust; its personal columns (the phone number and its encrypted form) follow the `pii` option
 * everywhere they could appear: columns, `record`, quarantine.
 */
import { recordTable, type Field } from '../../core/tables/declare.js';

export const responseRecords = recordTable({
  name: 'raw_sunbird_responses',
  description:
    'Raw Sunbird UCI response exhaust rows, one per (bot_id, response_id): an answer to one question. Rows are filed by the day the ' +
    "vendor ingested them, so a conversation near midnight can span two windows' files. Typed columns are parsed by header name; " +
    '`record` is the CSV row as delivered (header → cell). BigQuery: partitioned by the day of the answer, clustered by the key.',
  fields: [
    { name: 'bot_id', type: 'string', nullable: false, description: 'the bot: the conversationId the exhaust was requested for' },
    {
      name: 'response_id',
      type: 'string',
      nullable: false,
      description: 'Message ID when the file has one, else `content:<sha256 of the row\'s cells by header name, @timestamp left out>`',
    },
    { name: 'message_id', type: 'string', description: 'Message ID (NULL in files older than the column)' },
    { name: 'conversation_name', type: 'string', description: 'Conversation Name: the bot\'s name' },
    { name: 'device_id', type: 'string', nullable: false, description: 'Device ID: the user (joins to raw_sunbird_users.device_uuid)' },
    { name: 'session_id', type: 'string', description: 'Session ID; NULL when the file has no such column or the cell is empty' },
    { name: 'question_id', type: 'string', description: 'Question Id' },
    { name: 'question_type', type: 'string', description: 'Question Type' },
    { name: 'question_title', type: 'string', description: 'Question Title: the question asked (the intent of the step)' },
    { name: 'question_description', type: 'string', description: 'Question Description' },
    { name: 'question_duration', type: 'number', description: 'Question Duration, as a number' },
    { name: 'question_score', type: 'number', description: 'Question Score (0 = the answer was not understood)' },
    { name: 'question_max_score', type: 'number', description: 'Question Max Score' },
    { name: 'question_options', type: 'json', description: 'Question Options: the JSON the cell holds (e.g. [{"1":{"text":"1 Yes"}}]); NULL when empty' },
    {
      name: 'question_response',
      type: 'json',
      description: 'Question Response: the JSON the cell holds, or its text as a JSON string when it is not JSON; NULL when the cell is empty (consent withheld)',
    },
    { name: 'consent_withheld', type: 'boolean', nullable: false, description: 'the Question Response cell was "" (the user withheld consent)' },
    { name: 'x_path', type: 'string', description: 'X Path (NULL in files older than the column)' },
    { name: 'eof', type: 'boolean', description: 'Eof: the conversation reached its end at this answer; NULL when the file has no Eof column' },
    { name: 'file_has_eof', type: 'boolean', nullable: false, description: 'the file had an Eof column (else containment cannot be told)' },
    { name: 'answered_at', type: 'timestamp', nullable: false, description: 'Timestamp: when the user answered (UTC)' },
    { name: 'ingested_at', type: 'timestamp', description: '@timestamp: when the vendor ingested the row (UTC); NULL when absent' },
    { name: 'window_start', type: 'date', nullable: false, description: 'the first day of the exhaust window whose file held the row' },
  ],
  key: ['bot_id', 'response_id'],
  open: true,
  bigquery: { partitionBy: 'answered_at', clusterBy: ['bot_id', 'device_id'] },
});

export const exhaustWindowRecords = recordTable({
  name: 'raw_sunbird_exhaust_windows',
  description:
    'One row per (bot_id, window_start) of response exhaust windows loaded whole: a SUCCESS job whose files were all read, or a FAILED ' +
    '"No data found" job (an empty window). dbt\'s `is_complete` for a Sunbird day: the windows of the day and the next day are loaded.',
  fields: [
    { name: 'bot_id', type: 'string', nullable: false, description: 'the bot (conversationId)' },
    { name: 'window_start', type: 'date', nullable: false, description: 'the first day of the window (the request\'s startDate)' },
    { name: 'window_end', type: 'date', nullable: false, description: 'the day after its last day (the request\'s endDate is the day before: inclusive)' },
    { name: 'status', type: 'string', nullable: false, description: 'loaded (its files were read) or empty (the vendor found no data)' },
    { name: 'request_id', type: 'string', nullable: false, description: "the vendor's requestId of the job loaded" },
    { name: 'tag', type: 'string', nullable: false, description: 'the tag Parley submitted it under (unique per window and attempt)' },
    { name: 'attempts', type: 'integer', nullable: false, description: 'submissions it took (new tags), 1 when the first job succeeded' },
    { name: 'file_count', type: 'integer', nullable: false, description: 'CSV files read' },
    { name: 'record_count', type: 'integer', nullable: false, description: 'response rows read' },
    { name: 'quarantined_count', type: 'integer', nullable: false, description: 'rows quarantined from it' },
    { name: 'submitted_at', type: 'timestamp', description: 'when the job loaded was submitted (UTC)' },
    { name: 'completed_at', type: 'timestamp', description: "the vendor's dtJobCompleted (UTC)" },
  ],
  key: ['bot_id', 'window_start'],
  bigquery: { partitionBy: 'window_start', clusterBy: ['bot_id'] },
});

/** The private exhaust's personal columns: what `pii` governs. */
export const PERSONAL_USER_COLUMNS = ['Decrypted Device ID', 'Encrypted Device ID'] as const;

const piiNote = 'NULL with pii "drop" (the default), `hmac:<hex>` (HMAC-SHA256 with pii_key) with "hash", as delivered with "raw"';

export const userRecords = recordTable({
  name: 'raw_sunbird_users',
  description:
    'Raw Sunbird UCI private exhaust rows (include_private_exhaust), one per (bot_id, device_uuid): the users who conversed with the bot, ' +
    'read whole from the newest daily request (dates do not apply). Device UUID joins to raw_sunbird_responses.device_id. Personal ' +
    'columns follow `pii`, in `record` too.',
  fields: [
    { name: 'bot_id', type: 'string', nullable: false, description: 'the bot (Conversation ID)' },
    { name: 'device_uuid', type: 'string', nullable: false, description: 'Device UUID: the user' },
    { name: 'conversation_name', type: 'string', description: 'Conversation Name: the bot\'s name' },
    { name: 'phone', type: 'string', description: `Decrypted Device ID (a phone number, "phone:91…"): ${piiNote}` },
    { name: 'encrypted_device_id', type: 'string', description: `Encrypted Device ID: ${piiNote}` },
    { name: 'snapshot_date', type: 'date', nullable: false, description: 'the day whose request delivered this version of the row' },
  ] satisfies Field[],
  key: ['bot_id', 'device_uuid'],
  open: true,
  bigquery: { partitionBy: 'snapshot_date', clusterBy: ['bot_id', 'device_uuid'] },
  freshness: false, // empty unless include_private_exhaust
});
