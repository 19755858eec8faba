-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Genesys Cloud conversations, one row per conversation_id: the newest version seen (a job
-- returns every conversation overlapping its interval, so one appears in several; an active one is
-- replaced once it has ended). Typed columns are the detail record's top-level fields and facts
-- read mechanically off its participant tree (connector/sources/genesys/record.ts); `record` is the
-- whole conversation as delivered: participants, sessions, segments, metrics, flow outcomes
-- (personal fields — people's names, externalContactId, attributes, ani, dnis — as `pii` says: NULL
-- by default). BigQuery: partitioned by the day the conversation STARTED, clustered by the key.
-- Key: source_instance, conversation_id.
CREATE TABLE IF NOT EXISTS raw_genesys_conversations (
    source_instance           VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    conversation_id           VARCHAR NOT NULL,                     -- the conversation
    conversation_start        TIMESTAMP NOT NULL,                   -- UTC
    conversation_end          TIMESTAMP,                            -- UTC; NULL while the conversation is active
    originating_direction     VARCHAR,                              -- inbound or outbound
    self_served               BOOLEAN,                              -- the vendor's flag; often absent
    division_ids              JSON USING COMPRESSION zstd,          -- divisions the conversation belongs to
    media_type                VARCHAR,                              -- the customer's first session: voice, message, chat, email, ...
    first_flow_id             VARCHAR,                              -- the first flow entered (bot, IVR or chat entry flow)
    first_flow_name           VARCHAR,                              -- its name
    first_flow_type           VARCHAR,                              -- its type: BOT, DIGITALBOT, INBOUNDCALL, INBOUNDCHAT, ...
    bot_flow_id               VARCHAR,                              -- the first BOT / DIGITALBOT flow, if any
    bot_flow_name             VARCHAR,                              -- its name
    bot_flow_type             VARCHAR,                              -- BOT or DIGITALBOT
    bot_flow_started_at       TIMESTAMP,                            -- when the conversation entered it (UTC)
    bot_flow_exit_reason      VARCHAR,                              -- e.g. TRANSFER, DISCONNECT, FLOW_DISCONNECT
    bot_flow_transfer_type    VARCHAR,                              -- e.g. ACD
    acd_started_at            TIMESTAMP,                            -- first queue (acd participant) segment (UTC)
    agent_started_at          TIMESTAMP,                            -- first agent segment (UTC)
    customer_disconnect_type  VARCHAR,                              -- the customer's last disconnectType, e.g. client
    flow_outcomes             JSON NOT NULL USING COMPRESSION zstd, -- [{flow_id, flow_type, outcome_id, outcome_value, started_at, ended_at}] by started_at
    record                    JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at             TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id                  VARCHAR NOT NULL                      -- the sync that loaded this version
);
