-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Kore.ai sessions (getSessions), one row per (bot_id, session_id): the newest version read. An
-- active session is replaced once a later sync reads it closed (windows are re-read for
-- lookback_hours). Typed columns are normalised (UTC timestamps, lower-case status); `record` is
-- the session as delivered, with personal user ids as `pii` says. BigQuery: partitioned by the day
-- the session started, clustered by the key.
-- Key: source_instance, bot_id, session_id.
CREATE TABLE IF NOT EXISTS raw_kore_sessions (
    source_instance            VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id                     VARCHAR NOT NULL,                     -- the bot (st-…)
    session_id                 VARCHAR NOT NULL,                     -- the session
    containment_type           VARCHAR NOT NULL,                     -- the containment type the session was listed under: selfService, agent or dropOff (Parley asks for each type; this is the one asked)
    reported_containment_type  VARCHAR,                              -- the reply's own containmentType, as sent (its casing varies; often absent)
    session_status             VARCHAR,                              -- active or closed (lower case); NULL when the reply had none
    started_at                 TIMESTAMP NOT NULL,                   -- start_time (UTC)
    ended_at                   TIMESTAMP,                            -- end_time (UTC); NULL while the session is active
    channel                    VARCHAR,                              -- rtm (web/mobile SDK), msteams, whatsapp, korevg (voice), slack, …
    user_id                    VARCHAR,                              -- the user: Kore's id; an e-mail address or phone number follows `pii`: NULL (drop, the default), `hmac:<hex>` (hash, HMAC-SHA256 with pii_key) or as delivered (raw)
    languages                  JSON USING COMPRESSION zstd,          -- session_lang, in order
    session_type               VARCHAR,                              -- interactive (the user wrote) or non-interactive
    is_developer               BOOLEAN,                              -- isDeveloper: the bot's developers testing it
    messages_exchanged         INTEGER,                              -- noOfMessagesExchanged (bot and user messages; so far, while active)
    tasks_executed             INTEGER,                              -- noOfTasksExecuted
    record                     JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at              TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id                   VARCHAR NOT NULL                      -- the sync that loaded this version
);
