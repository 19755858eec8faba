-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Ultimate (Zendesk AI agents) conversations, one row per (bot_id, conversation_id): the newest
-- version seen in any export file. Typed columns hold what the dbt models need, normalised
-- (lower-case keys, numeric counts, UTC timestamps); `record` holds the whole source record exactly
-- as the export delivered it, so fields Parley does not type (labels, conversations_data, v3
-- extras) survive; only the pii_fields of conversations_data are kept as `pii` says (NULL by
-- default). BigQuery: partitioned by the day the conversation STARTED (stable for a conversation,
-- unlike the export day), clustered by the key.
-- Key: source_instance, bot_id, conversation_id.
CREATE TABLE IF NOT EXISTS raw_ultimate_conversations (
    source_instance                VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id                         VARCHAR NOT NULL,                     -- the bot (the export's bot when the record has none)
    conversation_id                VARCHAR NOT NULL,                     -- the conversation
    export_date                    DATE NOT NULL,                        -- the export day whose file held this version (the day it ended, UTC)
    bot_name                       VARCHAR,                              -- the bot's display name
    platform_conversation_id       VARCHAR,                              -- the id on the chat platform (Zendesk, Salesforce, ...)
    conversation_start_time        TIMESTAMP NOT NULL,                   -- UTC
    conversation_end_time          TIMESTAMP,                            -- UTC
    language                       VARCHAR,                              -- conversation language
    channel                        VARCHAR,                              -- chat or ticket
    test_mode                      BOOLEAN,                              -- a test conversation
    conversation_status            VARCHAR,                              -- botHandled, agent, email, customEscalation, failedEscalation, notHandled, ...
    last_resolution                VARCHAR,                              -- informed, resolved, escalated, ...
    triggered_intent_replies       JSON USING COMPRESSION zstd,          -- normalised: [{intent_id, intent_name, intent_timestamp (ISO UTC), not_meaningful}] in source order
    is_llm_conversation            BOOLEAN,                              -- an LLM answered in the conversation
    bot_messages_count             INTEGER,                              -- messages the bot sent (0: an agent-assist conversation)
    visitor_messages_count         INTEGER,                              -- messages the visitor sent
    not_understood_messages_count  INTEGER,                              -- visitor messages the bot did not understand
    record                         JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at                  TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id                       VARCHAR NOT NULL                      -- the sync that loaded this version
);
