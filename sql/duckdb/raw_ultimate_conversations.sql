-- Raw Ultimate (Zendesk AI agents) conversations, one row per (bot_id, conversation_id): the newest
-- version seen in any export file. Typed columns hold what the dbt models need, normalised
-- (lower-case keys, numeric counts, UTC timestamps); `record` holds the whole source record exactly as
-- the export delivered it, so fields Parley does not type (labels, conversations_data, v3 extras)
-- survive. Loaded by connector/destinations/duckdb with DELETE + INSERT on the key, in the same
-- transaction as the stream state.
CREATE TABLE IF NOT EXISTS raw_ultimate_conversations (
    bot_id                         VARCHAR   NOT NULL,
    conversation_id                VARCHAR   NOT NULL,
    export_date                    DATE      NOT NULL, -- the export day whose file held this version (the day it ended, UTC)
    bot_name                       VARCHAR,
    platform_conversation_id       VARCHAR,
    conversation_start_time        TIMESTAMP,          -- UTC
    conversation_end_time          TIMESTAMP,          -- UTC
    language                       VARCHAR,
    channel                        VARCHAR,
    test_mode                      BOOLEAN,
    conversation_status            VARCHAR,
    last_resolution                VARCHAR,
    is_llm_conversation            BOOLEAN,
    bot_messages_count             INTEGER,
    visitor_messages_count         INTEGER,
    not_understood_messages_count  INTEGER,
    triggered_intent_replies       JSON,               -- normalised: [{intent_id, intent_name, intent_timestamp (ISO UTC), not_meaningful}] in source order
    record                         JSON      NOT NULL, -- the whole source record as delivered
    _extracted_at                  TIMESTAMP NOT NULL,
    _sync_id                       VARCHAR   NOT NULL
);
