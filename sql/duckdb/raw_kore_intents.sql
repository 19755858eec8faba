-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- Raw Kore.ai intent events (getAnalytics successintent and failintent), one row per (bot_id,
-- session_id, event_id): a success row is an intent the bot recognised, a fail row an utterance it
-- did not understand. Utterances are not stored (personal data).
-- Key: source_instance, bot_id, session_id, event_id.
CREATE TABLE IF NOT EXISTS raw_kore_intents (
    source_instance  VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id           VARCHAR NOT NULL,                     -- the bot
    session_id       VARCHAR NOT NULL,                     -- the session the event belongs to
    event_id         VARCHAR NOT NULL,                     -- the messageId when Kore sends one, else `<kind>:<timestamp>:<n>` (n-th such row of the session at that instant, in reply order)
    kind             VARCHAR NOT NULL,                     -- success (successintent) or fail (failintent: not understood)
    intent           VARCHAR,                              -- the intent recognised; NULL on fail rows
    occurred_at      TIMESTAMP NOT NULL,                   -- timestamp (UTC)
    message_id       VARCHAR,                              -- messageId, when sent
    channel          VARCHAR,                              -- the channel of the message
    language         VARCHAR,                              -- the language of the message
    user_id          VARCHAR,                              -- as in raw_kore_sessions.user_id
    record           JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at    TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id         VARCHAR NOT NULL                      -- the sync that loaded this version
);
