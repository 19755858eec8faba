/**
 * The Kore.ai records and raw tables, declared once (core/tables/declare.ts). Session and intent
 * columns are what the dbt models need, typed and normalised (record.ts); `record` is the vendor's
 * row as delivered, except that a user id that is an e-mail address or a phone number is kept as
 * `pii` says (personal data: dropped by default, HMAC-hashed or raw) and intent utterances — what the user typed — are dropped before anything is
 * stored.
 */
import { recordTable, type Field } from '../../core/tables/declare.js';

const SESSION_FIELDS: Field[] = [
  { name: 'bot_id', type: 'string', nullable: false, description: 'the bot (st-…)' },
  { name: 'session_id', type: 'string', nullable: false, description: 'the session' },
  {
    name: 'containment_type',
    type: 'string',
    nullable: false,
    description: 'the containment type the session was listed under: selfService, agent or dropOff (Parley asks for each type; this is the one asked)',
  },
  { name: 'reported_containment_type', type: 'string', description: "the reply's own containmentType, as sent (its casing varies; often absent)" },
  { name: 'session_status', type: 'string', description: 'active or closed (lower case); NULL when the reply had none' },
  { name: 'started_at', type: 'timestamp', nullable: false, description: 'start_time (UTC)' },
  { name: 'ended_at', type: 'timestamp', description: 'end_time (UTC); NULL while the session is active' },
  { name: 'channel', type: 'string', description: 'rtm (web/mobile SDK), msteams, whatsapp, korevg (voice), slack, …' },
  { name: 'user_id', type: 'string', description: "the user: Kore's id; an e-mail address or phone number follows `pii`: NULL (drop, the default), `hmac:<hex>` (hash, HMAC-SHA256 with pii_key) or as delivered (raw)" },
  { name: 'languages', type: 'array', description: 'session_lang, in order', jsonSchema: { type: ['null', 'array'], items: { type: 'string' } } },
  { name: 'session_type', type: 'string', description: 'interactive (the user wrote) or non-interactive' },
  { name: 'is_developer', type: 'boolean', description: "isDeveloper: the bot's developers testing it" },
  { name: 'messages_exchanged', type: 'integer', description: 'noOfMessagesExchanged (bot and user messages; so far, while active)' },
  { name: 'tasks_executed', type: 'integer', description: 'noOfTasksExecuted' },
  { name: 'tags', type: 'object', column: false, description: '{userTags, sessionTags} as delivered' },
];

export const sessionRecords = recordTable({
  name: 'raw_kore_sessions',
  description:
    'Raw Kore.ai sessions (getSessions), one row per (bot_id, session_id): the newest version read. An active session is replaced ' +
    'once a later sync reads it closed (windows are re-read for lookback_hours). Typed columns are normalised (UTC timestamps, ' +
    'lower-case status); `record` is the session as delivered, with personal user ids as `pii` says. BigQuery: partitioned by the day the ' +
    'session started, clustered by the key.',
  fields: SESSION_FIELDS,
  key: ['bot_id', 'session_id'],
  open: true,
  bigquery: { partitionBy: 'started_at', clusterBy: ['bot_id', 'session_id'] },
});

export const intentRecords = recordTable({
  name: 'raw_kore_intents',
  description:
    'Raw Kore.ai intent events (getAnalytics successintent and failintent), one row per (bot_id, session_id, event_id): a success row ' +
    'is an intent the bot recognised, a fail row an utterance it did not understand. Utterances are not stored (personal data).',
  fields: [
    { name: 'bot_id', type: 'string', nullable: false, description: 'the bot' },
    { name: 'session_id', type: 'string', nullable: false, description: 'the session the event belongs to' },
    {
      name: 'event_id',
      type: 'string',
      nullable: false,
      description: 'the messageId when Kore sends one, else `<kind>:<timestamp>:<n>` (n-th such row of the session at that instant, in reply order)',
    },
    { name: 'kind', type: 'string', nullable: false, description: 'success (successintent) or fail (failintent: not understood)' },
    { name: 'intent', type: 'string', description: 'the intent recognised; NULL on fail rows' },
    { name: 'occurred_at', type: 'timestamp', nullable: false, description: 'timestamp (UTC)' },
    { name: 'message_id', type: 'string', description: 'messageId, when sent' },
    { name: 'channel', type: 'string', description: 'the channel of the message' },
    { name: 'language', type: 'string', description: 'the language of the message' },
    { name: 'user_id', type: 'string', description: 'as in raw_kore_sessions.user_id' },
  ],
  key: ['bot_id', 'session_id', 'event_id'],
  open: true,
  bigquery: { partitionBy: 'occurred_at', clusterBy: ['bot_id', 'session_id'] },
});

function windowFields(what: string): Field[] {
  return [
    { name: 'bot_id', type: 'string', nullable: false, description: 'the bot' },
    { name: 'window_start', type: 'timestamp', nullable: false, description: 'the window read (UTC, inclusive)' },
    { name: 'window_end', type: 'timestamp', nullable: false, description: 'its end (UTC, exclusive)' },
    { name: 'read_at', type: 'timestamp', nullable: false, description: "the sync's clock when the window was last read" },
    { name: 'settled', type: 'boolean', nullable: false, description: 'read at least lookback_hours after window_end: no longer re-read, its rows are final' },
    { name: 'record_count', type: 'integer', nullable: false, description: `${what} read in it` },
    { name: 'quarantined_count', type: 'integer', nullable: false, description: 'records quarantined from it' },
  ];
}

export const sessionWindowRecords = recordTable({
  name: 'raw_kore_session_windows',
  description:
    'One row per (bot_id, window_start) of getSessions windows read whole (the three containment types): the latest read of it. ' +
    "dbt's `is_complete` for a Kore day: every window overlapping the day settled, for sessions and intents alike.",
  fields: windowFields('sessions'),
  key: ['bot_id', 'window_start'],
  bigquery: { partitionBy: 'window_start', clusterBy: ['bot_id'] },
});

export const intentWindowRecords = recordTable({
  name: 'raw_kore_intent_windows',
  description: 'One row per (bot_id, window_start) of getAnalytics windows read whole (successintent and failintent): the latest read of it.',
  fields: windowFields('intent events'),
  key: ['bot_id', 'window_start'],
  bigquery: { partitionBy: 'window_start', clusterBy: ['bot_id'] },
});
