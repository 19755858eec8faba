-- Generated from the table declarations in connector/ (npm run generate); the connector runs the same DDL itself.
-- One row per (bot_id, window_start) of getAnalytics windows read whole (successintent and
-- failintent): the latest read of it.
-- Key: source_instance, bot_id, window_start.
CREATE TABLE IF NOT EXISTS raw_kore_intent_windows (
    source_instance    VARCHAR NOT NULL,                     -- the vendor account (source instance) the row came from, e.g. an Ultimate organization id; part of the key
    bot_id             VARCHAR NOT NULL,                     -- the bot
    window_start       TIMESTAMP NOT NULL,                   -- the window read (UTC, inclusive)
    window_end         TIMESTAMP NOT NULL,                   -- its end (UTC, exclusive)
    read_at            TIMESTAMP NOT NULL,                   -- the sync's clock when the window was last read
    settled            BOOLEAN NOT NULL,                     -- read at least lookback_hours after window_end: no longer re-read, its rows are final
    record_count       INTEGER NOT NULL,                     -- intent events read in it
    quarantined_count  INTEGER NOT NULL,                     -- records quarantined from it
    record             JSON NOT NULL USING COMPRESSION zstd, -- the whole record as the vendor delivered it
    _extracted_at      TIMESTAMP NOT NULL,                   -- start of the sync that loaded this version (UTC)
    _sync_id           VARCHAR NOT NULL                      -- the sync that loaded this version
);
